import { configure, traced, TraceStore } from '../../../index.js';
import { spanToSessionEvents } from '../../../lib/extend/index.js';
import { sessionEventsToSpans } from '../../../lib/query/session-spans.js';
import { generateDashboardData } from '../../../lib/query/dashboard-data.js';
import { groupErrors, groupStats, openSource, spanMatcher, spanModel, statsFromSummaries, QueryError, type GroupStats } from '../../../lib/query/index.js';
import type { SpanData } from '../../../index.js';
import { collect } from '../../helpers/collect.js';
import { seededSpans, summariesOf, writeStore } from '../../helpers/query-store.js';
import { exactPercentile } from '../../helpers/seeded-random.js';
import { removeTempDirs, tempDir } from '../../helpers/temp-dir.js';

beforeAll(() => configure({ store: new TraceStore(), logger: { format: 'hidden' } }));
afterAll(removeTempDirs);

const spans = seededSpans(31, 60);

function row(rows: GroupStats[], key: string): GroupStats {
  const found = rows.find((r) => r.key === key);
  if (!found) throw new Error(`no row ${key}`);
  return found;
}

describe('grouped statistics', () => {
  test('per model: counts, success rate, exact percentiles, TTFT, tokens and cost, computed independently', () => {
    const rows = groupStats(spans, 'model');
    for (const model of ['gpt-4o-mini', 'claude-haiku-4-5']) {
      const calls = spans.filter((s) => s.attributes['gen_ai.request.model'] === model);
      const r = row(rows, model);
      const durations = calls.map((s) => s.duration);
      expect(r.calls).toBe(calls.length);
      expect(r.successes).toBe(calls.filter((s) => s.status === 'success').length);
      expect(r.successRate).toBeCloseTo(r.successes / r.calls, 12);
      expect(r.p50Ms).toBeCloseTo(exactPercentile(durations, 0.5), 9);
      expect(r.p90Ms).toBeCloseTo(exactPercentile(durations, 0.9), 9);
      expect(r.p99Ms).toBeCloseTo(exactPercentile(durations, 0.99), 9);
      expect(r.maxMs).toBe(Math.max(...durations));
      const ttfts = calls.map((s) => s.attributes['llmtrace.time_to_first_token_ms']).filter((v): v is number => typeof v === 'number');
      expect(r.ttftP50Ms).toBe(ttfts.length ? exactPercentile(ttfts, 0.5) : null);
      expect(r.inputTokens).toBe(calls.reduce((n, s) => n + ((s.attributes['gen_ai.usage.input_tokens'] as number) ?? 0), 0));
      expect(r.costUsd).toBeCloseTo(calls.reduce((n, s) => n + ((s.attributes['llmtrace.cost_usd'] as number) ?? 0), 0), 12);
      expect(r.unpricedCalls).toBe(calls.filter((s) => s.attributes['llmtrace.cost_usd'] === null).length);
      expect(r.basis).toBe('spans');
    }
    // Scope spans (run) are not calls, and the tool calls are not model calls: per model, only model calls count.
    expect(spans.some((s) => s.kind === 'tool')).toBe(true);
    expect(rows.find((r) => r.key === 'unknown')).toBeUndefined();
    expect(rows.reduce((n, r) => n + r.calls, 0)).toBe(spans.filter((s) => s.kind === 'llm').length);
    // Per function, every call counts, the tools too.
    expect(groupStats(spans, 'function').reduce((n, r) => n + r.calls, 0)).toBe(spans.filter((s) => s.kind !== 'run').length);
  });

  test('per model, a failed call (no answer) counts with the successes its model answered under a dated name', () => {
    const call = (status: 'success' | 'error', answered?: string): SpanData => {
      const [base] = seededSpans(1, 1, 1).filter((s) => s.kind === 'llm');
      const attributes: SpanData['attributes'] = { ...base!.attributes, 'gen_ai.request.model': 'gpt-4o-mini' };
      if (answered) attributes['gen_ai.response.model'] = answered;
      else delete attributes['gen_ai.response.model'];
      return { ...base!, status, attributes, error: status === 'error' ? { type: 'RateLimitError', message: '429' } : undefined } as SpanData;
    };
    const calls = [call('success', 'gpt-4o-mini-2024-07-18'), call('success', 'gpt-4o-mini-2024-07-18'), call('success', 'gpt-4o-mini-2024-07-18'), call('error')];
    const rows = groupStats(calls, 'model');
    expect(rows.map((r) => [r.key, r.calls, r.successRate])).toEqual([['gpt-4o-mini', 4, 0.75]]);
    // Filters name either: the requested model, or the answered one.
    expect(calls.filter(spanMatcher({ model: 'gpt-4o-mini' }))).toHaveLength(4);
    expect(calls.filter(spanMatcher({ model: 'gpt-4o-mini-2024-07-18' }))).toHaveLength(3);
  });

  test.each([
    ['gpt-4o-mini', 'gpt-4o-mini-2024-07-18', 'gpt-4o-mini'],
    ['gpt-3.5-turbo', 'gpt-3.5-turbo-0125', 'gpt-3.5-turbo'],
    ['gpt-4', 'gpt-4-0613', 'gpt-4'],
    ['claude-sonnet-4-5', 'claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
    ['claude-3-5-sonnet-latest', 'claude-3-5-sonnet-20241022', 'claude-3-5-sonnet-latest'],
    ['mistral-large-latest', 'mistral-large-2411', 'mistral-large-latest'],
    ['models/gemini-1.5-pro', 'gemini-1.5-pro-002', 'gemini-1.5-pro'],
    ['claude-3-5-sonnet', 'claude-3-5-sonnet@20240620', 'claude-3-5-sonnet'],
    ['llama3', 'llama3:latest', 'llama3'],
    ['gpt-4o', 'gpt-4o-mini-2024-07-18', 'gpt-4o-mini-2024-07-18'], // another model answered: a client default guessed
    ['prod-chat', 'gpt-4o-2024-08-06', 'gpt-4o-2024-08-06'], // a deployment name
  ])('a call requesting %s answered as %s counts under %s', (request, response, counted) => {
    expect(spanModel({ ...spans[0]!, attributes: { 'gen_ai.request.model': request, 'gen_ai.response.model': response } })).toBe(counted);
  });

  test('per model, a failed call named by a deployment or a client default counts with the model its answered calls name', () => {
    const [base] = seededSpans(1, 1, 1).filter((s) => s.kind === 'llm');
    const call = (request: string, answered?: string): SpanData => {
      const attributes: SpanData['attributes'] = { ...base!.attributes, 'gen_ai.request.model': request };
      if (answered) attributes['gen_ai.response.model'] = answered;
      else delete attributes['gen_ai.response.model'];
      return { ...base!, status: answered ? 'success' : 'error', attributes, error: answered ? undefined : { type: 'RateLimitError', message: '429' } } as SpanData;
    };
    const azure = [call('prod-chat', 'gpt-4o-2024-08-06'), call('prod-chat', 'gpt-4o-2024-08-06'), call('prod-chat')];
    expect(groupStats(azure, 'model').map((r) => [r.key, r.calls, r.failures])).toEqual([['gpt-4o-2024-08-06', 3, 1]]);
    // llmtrace errors groups the failure the same way.
    expect(groupErrors(azure).map((g) => [g.type, g.model, g.count])).toEqual([['RateLimitError', 'gpt-4o-2024-08-06', 1]]);
    // A router answered by two models: which one a failure was meant for is not known, so it keeps its row.
    const router = [call('router', 'gpt-4o-2024-08-06'), call('router', 'claude-sonnet-4-5-20250929'), call('router')];
    expect(groupStats(router, 'model').map((r) => [r.key, r.calls, r.failures]).sort()).toEqual([['claude-sonnet-4-5-20250929', 1, 0], ['gpt-4o-2024-08-06', 1, 0], ['router', 1, 1]]);
    // A name that is a model in its own right (answered as itself) keeps its row.
    const mixed = [...azure, call('gpt-4o', 'gpt-4o-2024-08-06'), call('gpt-4o')];
    expect(groupStats(mixed, 'model').map((r) => [r.key, r.calls, r.failures]).sort()).toEqual([['gpt-4o', 2, 1], ['gpt-4o-2024-08-06', 3, 1]]);
  });

  test('per model, a decorated method around an instrumented SDK call is not a second model call', () => {
    const [base] = seededSpans(1, 1, 1).filter((s) => s.kind === 'llm');
    const sdk = { ...base!, attributes: { ...base!.attributes, 'gen_ai.request.model': 'gpt-4o-mini' } } as SpanData;
    const wrapper = { ...sdk, id: 'f'.repeat(16), attributes: { ...sdk.attributes, 'llmtrace.model_call.in_children': true, 'llmtrace.usage.in_children': true } } as SpanData;
    expect(groupStats([sdk, wrapper], 'model').map((r) => [r.key, r.calls])).toEqual([['gpt-4o-mini', 1]]);
    expect(groupStats([sdk, wrapper], 'function').reduce((n, r) => n + r.calls, 0)).toBe(2);
  });

  test('per function and per provider', () => {
    const byFunction = groupStats(spans, 'function');
    expect(row(byFunction, 'summarise').calls).toBe(spans.filter((s) => s.attributes['llmtrace.function'] === 'summarise').length);
    const byProvider = groupStats(spans, 'provider');
    expect(row(byProvider, 'anthropic').calls).toBe(spans.filter((s) => s.attributes['gen_ai.provider.name'] === 'anthropic').length);
  });

  test('summaries written before modelCalls existed: an unknown model (tools, chains) counts per function only', () => {
    const legacy = summariesOf(spans).map(({ modelCalls: _dropped, ...s }) => s);
    expect(legacy.some((s) => s.model === 'unknown')).toBe(true);
    const rows = statsFromSummaries(legacy, 'model');
    expect(rows.find((r) => r.key === 'unknown')).toBeUndefined();
    expect(rows.reduce((n, r) => n + r.calls, 0)).toBe(spans.filter((s) => s.kind === 'llm').length);
    expect(statsFromSummaries(legacy, 'function').reduce((n, r) => n + r.calls, 0)).toBe(spans.filter((s) => s.kind !== 'run').length);
  });

  test('stored window summaries merge to the same figures as the spans they summarise', async () => {
    const dir = tempDir();
    await writeStore(dir, spans, summariesOf(spans));
    const source = await openSource(dir);
    const fromSpans = groupStats(await collect(source.spans()), 'model');
    const fromSummaries = statsFromSummaries(await source.summaries(), 'model');
    expect(fromSummaries.map((r) => r.key).sort()).toEqual(fromSpans.map((r) => r.key).sort());
    for (const s of fromSummaries) {
      const e = row(fromSpans, s.key);
      expect(s.basis).toBe('summaries');
      expect([s.calls, s.successes, s.failures, s.inputTokens, s.outputTokens, s.unpricedCalls]).toEqual([
        e.calls, e.successes, e.failures, e.inputTokens, e.outputTokens, e.unpricedCalls,
      ]);
      expect(s.costUsd).toBeCloseTo(e.costUsd, 9);
      // Few values per group: the stored distributions are exact (rounded to 3 decimals when serialised).
      expect(s.p50Ms).toBeCloseTo(e.p50Ms!, 2);
      expect(s.p99Ms).toBeCloseTo(e.p99Ms!, 2);
    }
  });

  test('summaries cannot be grouped by provider, and say so', () => {
    expect(() => statsFromSummaries([], 'provider')).toThrow(QueryError);
    expect(() => statsFromSummaries([], 'provider')).toThrow(/use --by model or --by function/);
  });

  test('a sampled store estimates the whole: each kept span counts the calls it stands for (llmtrace.sample_weight)', async () => {
    const store = new TraceStore({ maxSpans: 10_000 });
    configure({ store, sampling: { ratio: 0.25, keepErrors: true } });
    const call = traced(async (i: number) => {
      if (i % 10 === 0) throw new Error('rate limited');
      return { object: 'chat.completion', model: 'gpt-4o-mini', choices: [], usage: { prompt_tokens: 10, completion_tokens: 5 } };
    }, { name: 'answer', kind: 'llm' });
    try {
      for (let i = 0; i < 800; i++) await call(i).catch(() => undefined);
    } finally {
      configure({ store: new TraceStore(), sampling: { ratio: 1 } });
    }
    const kept = store.getRecent(10_000);
    const keptErrors = kept.filter((s) => s.status === 'error');
    expect(keptErrors).toHaveLength(80); // every error is kept, standing for itself
    expect(keptErrors.every((s) => s.attributes['llmtrace.sample_weight'] === undefined)).toBe(true);
    expect(kept.filter((s) => s.status === 'success').every((s) => s.attributes['llmtrace.sample_weight'] === 4)).toBe(true);
    expect(keptErrors.length / kept.length).toBeGreaterThan(0.25); // what an unweighted count would report

    const [r] = groupStats(kept, 'function');
    expect(r!.sampled).toBe(true);
    expect(r!.calls).toBeGreaterThan(800 * 0.8);
    expect(r!.calls).toBeLessThan(800 * 1.2);
    expect(r!.errorTypes).toEqual({ Error: 80 });
    expect(1 - r!.successRate).toBeGreaterThan(0.07);
    expect(1 - r!.successRate).toBeLessThan(0.14);
    expect(r!.outputTokens).toBe(5 * r!.successes);

    // The dashboard's overview from spans weights them the same way.
    const overview = generateDashboardData({ spans: kept, from: kept.at(-1)!.endTime - 1, to: kept[0]!.endTime + 1 });
    expect(overview.summary.requests).toBe(r!.calls);
    expect(overview.summary.errors).toBe(80);
    expect(overview.latencyHistogram.reduce((n, b) => n + b.count, 0)).toBe(r!.calls);

    // Session files carry the weight on each call line, and read back the same.
    const lines = kept.flatMap((span) => spanToSessionEvents(span.toJSON(), 'session-1'));
    expect(lines.filter((line) => line.data.sample_weight === 4).length).toBe(kept.length - 80);
    const [fromFile] = groupStats(sessionEventsToSpans(lines), 'function');
    expect(fromFile).toMatchObject({ calls: r!.calls, successes: r!.successes, sampled: true });
  });
});
