import { configure, createLogger, GenAI, LLMTrace, SUMMARY_LOG_MESSAGE, traced, withSpan, type Attributes, type SpanKind, type WindowSummary } from '../../../index.js';
import { Aggregator, Distribution } from '../../../lib/extend/index.js';
import { freshStore } from '../../helpers/fresh-store.js';
import { exactPercentile, rankPercentile, seededLogNormal } from '../../helpers/seeded-random.js';

interface FakeSpan {
  name: string;
  kind: SpanKind;
  status: 'success' | 'error';
  duration: number;
  attributes: Attributes;
  error?: { type: string; message: string };
}

function span(fn: string, model: string | undefined, duration: number, extra: Partial<FakeSpan> & { attrs?: Attributes } = {}): FakeSpan {
  const attributes: Attributes = { [LLMTrace.FUNCTION]: fn, ...extra.attrs };
  if (model !== undefined) attributes[GenAI.REQUEST_MODEL] = model;
  return { name: fn, kind: extra.kind ?? 'llm', status: extra.status ?? 'success', duration, attributes, error: extra.error };
}

function quietAggregator(options: ConstructorParameters<typeof Aggregator>[0] = {}) {
  const logger = createLogger({ format: 'hidden' });
  return { logger, aggregator: new Aggregator({ logger, intervalMs: 3_600_000, ...options }) };
}

function only(summaries: WindowSummary[], fn: string, model: string): WindowSummary {
  const found = summaries.filter((s) => s.function === fn && s.model === model);
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe('Aggregator', () => {
  it('reports exact percentiles, min/avg/max and counts for a small window', () => {
    const { aggregator } = quietAggregator();
    const durations = [120, 80, 450, 300, 95, 1_000, 210, 130, 610, 75, 88, 240];
    for (const d of durations) aggregator.record(span('answer', 'gpt-4o', d));
    const s = only(aggregator.flush(), 'answer', 'gpt-4o');
    expect(s.callCount).toBe(durations.length);
    expect(s.successCount).toBe(durations.length);
    expect(s.successRate).toBe(1);
    expect(s.p50Ms).toBe(exactPercentile(durations, 0.5));
    expect(s.p90Ms).toBe(exactPercentile(durations, 0.9));
    expect(s.p99Ms).toBe(exactPercentile(durations, 0.99));
    expect(s.minMs).toBe(75);
    expect(s.maxMs).toBe(1_000);
    expect(s.avgMs).toBeCloseTo(durations.reduce((a, b) => a + b, 0) / durations.length, 9);
    expect(s.windowEnd).toBeGreaterThanOrEqual(s.windowStart);
  });

  it('interpolates small-window percentiles the way numpy and spreadsheets do', () => {
    const { aggregator } = quietAggregator();
    for (const d of [100, 200, 300, 400, 1_000]) aggregator.record(span('answer', 'gpt-4o', d));
    const s = only(aggregator.flush(), 'answer', 'gpt-4o');
    expect(s.p50Ms).toBe(300);
    expect(s.p90Ms).toBeCloseTo(760, 9); // rank 3.6: 400 + 0.6 * (1000 - 400)
    expect(s.p99Ms).toBeCloseTo(976, 9); // rank 3.96: close to the max, not the second-slowest call
  });

  it('keeps p90 of a 100k-call window within 1% of the exact value', () => {
    const { aggregator } = quietAggregator();
    const next = seededLogNormal(11, Math.log(1_200), 0.8);
    const durations = Array.from({ length: 100_000 }, next);
    for (const d of durations) aggregator.record(span('answer', 'gpt-4o', d));
    const s = only(aggregator.flush(), 'answer', 'gpt-4o');
    for (const [q, field] of [[0.5, 'p50Ms'], [0.9, 'p90Ms'], [0.99, 'p99Ms']] as const) {
      const exact = rankPercentile(durations, q);
      expect(Math.abs(s[field]! - exact) / exact).toBeLessThanOrEqual(0.01);
    }
  });

  it('separates groups by function and model, the requested model winning over the answered one', () => {
    const { aggregator } = quietAggregator();
    aggregator.record(span('answer', 'gpt-4o', 10));
    aggregator.record(span('answer', 'gpt-4o', 20));
    aggregator.record(span('answer', 'gpt-4o-mini', 30));
    aggregator.record(span('summarise', 'gpt-4o', 40));
    // Answered by a dated snapshot, and a failure with no answer: both in the gpt-4o group.
    aggregator.record(span('answer', 'gpt-4o', 50, { attrs: { [GenAI.RESPONSE_MODEL]: 'gpt-4o-2024-08-06' } }));
    aggregator.record(span('answer', 'gpt-4o', 60, { status: 'error', error: { type: 'RateLimitError', message: '' } }));
    aggregator.record(span('embed', undefined, 5, { attrs: { [GenAI.RESPONSE_MODEL]: 'text-embedding-3-small' } }));
    aggregator.record(span('tagger', undefined, 7));
    const summaries = aggregator.flush();
    expect(summaries).toHaveLength(5);
    expect(only(summaries, 'answer', 'gpt-4o')).toMatchObject({ callCount: 4, failureCount: 1 });
    expect(only(summaries, 'answer', 'gpt-4o-mini').callCount).toBe(1);
    expect(only(summaries, 'summarise', 'gpt-4o').callCount).toBe(1);
    expect(only(summaries, 'embed', 'text-embedding-3-small').callCount).toBe(1);
    expect(only(summaries, 'tagger', 'unknown').callCount).toBe(1);
  });

  it('puts a failure named by a deployment with the model its answered calls named, as stats does', () => {
    const { aggregator } = quietAggregator();
    aggregator.record(span('answer', 'prod-chat', 10, { attrs: { [GenAI.RESPONSE_MODEL]: 'gpt-4o-2024-08-06' } }));
    aggregator.record(span('answer', 'prod-chat', 20, { status: 'error', error: { type: 'RateLimitError', message: '' } }));
    expect(aggregator.flush().map((s) => [s.model, s.callCount, s.failureCount])).toEqual([['gpt-4o-2024-08-06', 2, 1]]);
  });

  it('keeps model calls apart from the other kinds it counts, and a wrapper of model calls from the calls in it', () => {
    const { aggregator } = quietAggregator();
    aggregator.record(span('answer', 'gpt-4o', 10));
    aggregator.record(span('answer', 'gpt-4o', 20, { kind: 'tool' }));
    aggregator.record(span('ask', 'gpt-4o', 30, { attrs: { [LLMTrace.MODEL_CALL_IN_CHILDREN]: true } }));
    const summaries = aggregator.flush();
    expect(summaries.map((s) => [s.function, s.model, s.callCount, s.modelCalls]).sort()).toEqual([
      ['answer', 'gpt-4o', 1, false],
      ['answer', 'gpt-4o', 1, true],
      ['ask', 'gpt-4o', 1, false],
    ]);
  });

  it('counts failures by error type', () => {
    const { aggregator } = quietAggregator();
    aggregator.record(span('answer', 'm', 10));
    aggregator.record(span('answer', 'm', 10, { status: 'error', error: { type: 'RateLimitError', message: '' } }));
    aggregator.record(span('answer', 'm', 10, { status: 'error', error: { type: 'RateLimitError', message: '' } }));
    aggregator.record(span('answer', 'm', 10, { status: 'error', error: { type: 'APITimeoutError', message: '' } }));
    const s = only(aggregator.flush(), 'answer', 'm');
    expect(s.callCount).toBe(4);
    expect(s.failureCount).toBe(3);
    expect(s.successRate).toBe(0.25);
    expect(s.errorTypes).toEqual({ RateLimitError: 2, APITimeoutError: 1 });
  });

  it('counts cache hits apart: not in latency, tokens or cost', () => {
    const { aggregator } = quietAggregator();
    const usage = { [GenAI.USAGE_INPUT_TOKENS]: 100, [GenAI.USAGE_OUTPUT_TOKENS]: 10 };
    aggregator.record(span('answer', 'm', 1, { attrs: { [LLMTrace.CACHED]: true, ...usage, [LLMTrace.COST_USD]: 0 } }));
    aggregator.record(span('answer', 'm', 2, { attrs: { [LLMTrace.CACHED]: true } }));
    aggregator.record(span('answer', 'm', 500, { attrs: { [LLMTrace.CACHED]: false, ...usage, [LLMTrace.COST_USD]: 0.002 } }));
    aggregator.record(span('answer', 'm', 700, { attrs: { ...usage, [LLMTrace.COST_USD]: null } }));
    const s = only(aggregator.flush(), 'answer', 'm');
    expect(s.cacheHits).toBe(2);
    expect(s.cacheMisses).toBe(1);
    expect(s.callCount).toBe(2);
    expect(s.minMs).toBe(500);
    expect(s.inputTokens).toBe(200);
    expect(s.outputTokens).toBe(20);
    expect(s.costUsd).toBeCloseTo(0.002, 12);
    expect(s.unpricedCalls).toBe(1);
  });

  it('reports time to first token percentiles of streamed calls only', () => {
    const { aggregator } = quietAggregator();
    const ttfts = [150, 90, 400, 220, 310, 120, 180, 260, 500, 75];
    for (const t of ttfts) aggregator.record(span('stream', 'm', t * 3, { attrs: { [LLMTrace.TIME_TO_FIRST_TOKEN_MS]: t } }));
    aggregator.record(span('stream', 'm', 50));
    const s = only(aggregator.flush(), 'stream', 'm');
    expect(s.ttftP50Ms).toBe(exactPercentile(ttfts, 0.5));
    expect(s.ttftP90Ms).toBe(exactPercentile(ttfts, 0.9));
    aggregator.record(span('plain', 'm', 50));
    expect(only(aggregator.flush(), 'plain', 'm').ttftP50Ms).toBeNull();
  });

  it('writes one LLM_AGGREGATED_METRICS line per group per window, without the distributions', () => {
    const { aggregator, logger } = quietAggregator();
    aggregator.record(span('a', 'm1', 10));
    aggregator.record(span('b', 'm2', 20));
    aggregator.flush();
    const lines = logger.buffer.query().filter((e) => e.message === SUMMARY_LOG_MESSAGE);
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => l.fields.function).sort()).toEqual(['a', 'b']);
    expect(lines[0]!.fields).toMatchObject({ callCount: 1, successRate: 1 });
    expect(lines[0]!.fields).not.toHaveProperty('latencyDistribution');
    expect(aggregator.flush()).toEqual([]);
    expect(logger.buffer.query().filter((e) => e.message === SUMMARY_LOG_MESSAGE)).toHaveLength(2);
  });

  it('does not log when logSummaries is false, and still notifies listeners', () => {
    const { aggregator, logger } = quietAggregator({ logSummaries: false });
    const seen: WindowSummary[][] = [];
    aggregator.onSummary((s) => seen.push([...s]));
    aggregator.record(span('a', 'm', 1));
    aggregator.flush();
    expect(logger.buffer.query()).toHaveLength(0);
    expect(seen).toHaveLength(1);
    expect(seen[0]![0]!.function).toBe('a');
  });

  it('subscribes to the store: counts sampled-out calls and skips scope spans', async () => {
    const store = freshStore();
    configure({ sampling: { ratio: 0, keepErrors: false } });
    const { aggregator } = quietAggregator({ store });
    aggregator.start();
    const ask = traced(async (prompt: string, model: string) => `${prompt}:${model}`, { name: 'ask' });
    const fail = traced(
      async (model: string) => {
        throw new TypeError(`bad ${model}`);
      },
      { name: 'ask' },
    );
    await withSpan('run', { kind: 'run' }, async () => {
      await ask('hi', 'gpt-4o-mini');
      await ask('hi', 'gpt-4o-mini');
      await expect(fail('gpt-4o-mini')).rejects.toThrow('bad');
    });
    configure({ sampling: { ratio: 1, keepErrors: true } });
    const summaries = aggregator.stop();
    expect(store.size).toBe(0);
    expect(store.stats().sampledOut).toBe(4);
    expect(summaries).toHaveLength(1);
    expect(only(summaries, 'ask', 'gpt-4o-mini')).toMatchObject({ callCount: 3, failureCount: 1, errorTypes: { TypeError: 1 } });
    expect(aggregator.running).toBe(false);
    await ask('after', 'gpt-4o-mini');
    expect(aggregator.flush()).toEqual([]);
  });

  it('flushes on its own timer, which does not keep the process alive', async () => {
    const { aggregator } = quietAggregator({ intervalMs: 20, store: freshStore() });
    const windows: WindowSummary[][] = [];
    aggregator.onSummary((s) => windows.push([...s]));
    aggregator.start();
    aggregator.record(span('tick', 'm', 1));
    // Generous deadline: the 20 ms timer only has to fire once within 5 s on a loaded machine.
    const deadline = Date.now() + 5_000;
    while (windows.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    aggregator.stop();
    expect(windows[0]![0]!.function).toBe('tick');
  });

  it('aggregates the kinds it is told to', () => {
    const { aggregator } = quietAggregator({ kinds: ['run'] });
    aggregator.record(span('r', undefined, 5, { kind: 'run' }));
    aggregator.record(span('l', 'm', 5));
    expect(aggregator.flush().map((s) => s.function)).toEqual(['r']);
  });

  it('caps the groups of a window and counts the rest under (other)', () => {
    const { aggregator } = quietAggregator({ maxGroups: 2 });
    for (const fn of ['a', 'b', 'c', 'd']) aggregator.record(span(fn, 'm', 1));
    const summaries = aggregator.flush();
    expect(summaries.map((s) => `${s.function}/${s.model}`)).toEqual(['a/m', 'b/m', '(other)/(other)']);
    expect(summaries[2]!.callCount).toBe(2);
  });

  it('survives a throwing listener', () => {
    const { aggregator } = quietAggregator();
    const seen: number[] = [];
    aggregator.onSummary(() => {
      throw new Error('listener broke');
    });
    aggregator.onSummary((s) => seen.push(s.length));
    aggregator.record(span('a', 'm', 1));
    expect(() => aggregator.flush()).not.toThrow();
    expect(seen).toEqual([1]);
  });

  it('publishes every group of a window past the exact limit, with plain-JSON sketches', () => {
    const { aggregator } = quietAggregator();
    const seen: WindowSummary[][] = [];
    aggregator.onSummary((s) => seen.push([...s]));
    for (let i = 0; i < 2_000; i++) aggregator.record(span('busy', 'm', 1 + (i % 700)));
    aggregator.record(span('quiet', 'm', 5));
    const summaries = aggregator.flush();
    expect(summaries.map((s) => s.function)).toEqual(['busy', 'quiet']);
    expect(seen).toEqual([summaries]);
    const stored = JSON.parse(JSON.stringify(summaries[0]!.latencyDistribution));
    expect(stored.kind).toBe('ddsketch');
    expect(Distribution.fromJSON(stored)!.count).toBe(2_000);
  });

  it('never throws from flush, even with a throwing logger and alert listener', () => {
    const throwing = { log: { info: () => { throw new Error('log broke'); }, warn: () => { throw new Error('log broke'); } } };
    const aggregator = new Aggregator({ store: freshStore(), logger: throwing as never, alerts: [{ metric: 'errorRate', above: 0, minCalls: 1 }] });
    aggregator.onAlert(() => {
      throw new Error('alert listener broke');
    });
    const seen: number[] = [];
    aggregator.onSummary((s) => seen.push(s.length));
    aggregator.record(span('a', 'm', 1, { status: 'error' }));
    aggregator.record(span('b', 'm', 1, { status: 'error' }));
    expect(() => aggregator.flush()).not.toThrow();
    expect(seen).toEqual([2]);
  });

  it('rejects bad options with precise TypeErrors', () => {
    expect(() => new Aggregator({ intervalMs: 0 })).toThrow('llmtrace: Aggregator: intervalMs must be a positive number of milliseconds, got 0 (number)');
    expect(() => new Aggregator({ maxGroups: 1.5 })).toThrow('llmtrace: Aggregator: maxGroups must be a positive integer, got 1.5 (number)');
    expect(() => new Aggregator({ kinds: ['llm', 'nope' as SpanKind] })).toThrow(TypeError);
    expect(() => new Aggregator({ store: {} as never })).toThrow('llmtrace: Aggregator: store must be a TraceStore (new TraceStore({ maxSpans })), got [object Object] (object)');
    expect(() => new Aggregator().onSummary('x' as never)).toThrow('llmtrace: onSummary must be a function, got x (string)');
  });
});
