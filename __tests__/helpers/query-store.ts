/**
 * Test helper for the query layer: seeded spans with known times, durations, models, tokens and
 * errors, written into a store directory by the real FileStore (and window summaries made by the
 * real Aggregator from the same spans), so queries can be checked against an independent count.
 */
import { Aggregator } from '../../lib/aggregator/aggregator.js';
import type { WindowSummary } from '../../lib/aggregator/window-summary.js';
import type { FileStoreOptions, Span, SpanData } from '../../index.js';
import { createFileStore } from '../../lib/extend/index.js';
import { seededLogNormal, seededUniform } from './seeded-random.js';

/** 2026-11-24T21:00:00Z: the first seeded trace starts here. */
export const T0 = Date.UTC(2026, 10, 24, 21, 0, 0);

/** The models of the seeded calls, with their mean latency (log-normal mu). */
export const SEEDED_MODELS = [
  { model: 'gpt-4o-mini', provider: 'openai', mu: Math.log(400) },
  { model: 'claude-haiku-4-5', provider: 'anthropic', mu: Math.log(900) },
] as const;

function hex(random: () => number, digits: number): string {
  let out = '';
  for (let i = 0; i < digits; i++) out += Math.floor(random() * 16).toString(16);
  return out;
}

/**
 * `traces` traces, one minute apart from T0: a `run` root with `callsPerTrace` model calls (models
 * alternate, latencies log-normal, about 1 in 8 fails with RateLimitError or TimeoutError, half of
 * gpt's calls stream with a TTFT) and one `tool` call.
 */
export function seededSpans(seed: number, traces: number, callsPerTrace = 4): SpanData[] {
  const random = seededUniform(seed);
  const latency = SEEDED_MODELS.map((m, i) => seededLogNormal(seed + i + 1, m.mu, 0.5));
  const spans: SpanData[] = [];
  for (let t = 0; t < traces; t++) {
    const traceId = hex(random, 32);
    const runId = hex(random, 16);
    const start = T0 + t * 60_000;
    let clock = start + 1;
    const children: SpanData[] = [];
    for (let c = 0; c < callsPerTrace; c++) {
      const which = (t + c) % SEEDED_MODELS.length;
      const { model, provider } = SEEDED_MODELS[which]!;
      const duration = Math.round(latency[which]!() * 100) / 100;
      const failed = random() < 0.125;
      const errorType = random() < 0.5 ? 'RateLimitError' : 'TimeoutError';
      const streamed = which === 0 && c % 2 === 0;
      const attributes: SpanData['attributes'] = {
        'llmtrace.function': c % 2 === 0 ? 'answer' : 'summarise',
        'gen_ai.request.model': model,
        'gen_ai.provider.name': provider,
        'llmtrace.context': c === 0 ? 'first' : 'later',
      };
      if (!failed) {
        attributes['gen_ai.usage.input_tokens'] = 10 + Math.floor(random() * 90);
        attributes['gen_ai.usage.output_tokens'] = 5 + Math.floor(random() * 50);
        attributes['llmtrace.cost_usd'] = which === 0 ? 0.0001 * (1 + c) : null;
      }
      if (streamed) attributes['llmtrace.time_to_first_token_ms'] = Math.round(duration * 0.3);
      children.push({
        id: hex(random, 16),
        traceId,
        parentId: runId,
        name: c % 2 === 0 ? 'answer' : 'summarise',
        kind: 'llm',
        startTime: clock,
        endTime: clock + duration,
        duration,
        status: failed ? 'error' : 'success',
        attributes,
        events: failed ? [{ name: 'exception', time: clock + duration, attributes: { 'exception.type': errorType } }] : [],
        ...(failed ? { error: { type: errorType, message: `${errorType} on call ${c} of trace ${t}` } } : {}),
        scopes: { run: runId },
        sampled: true,
      });
      clock += duration + 2;
    }
    const toolDuration = 5 + Math.round(random() * 20);
    children.push({
      id: hex(random, 16),
      traceId,
      parentId: runId,
      name: 'lookup',
      kind: 'tool',
      startTime: clock,
      endTime: clock + toolDuration,
      duration: toolDuration,
      status: 'success',
      attributes: { 'llmtrace.function': 'lookup' },
      events: [],
      scopes: { run: runId },
      sampled: true,
    });
    clock += toolDuration + 1;
    spans.push(...children, {
      id: runId,
      traceId,
      name: `run-${t}`,
      kind: 'run',
      startTime: start,
      endTime: clock,
      duration: clock - start,
      status: children.some((s) => s.status === 'error') ? 'error' : 'success',
      attributes: {},
      events: [],
      scopes: { run: runId },
      sampled: true,
    });
  }
  return spans;
}

/** Spans as the FileStore takes them (it stores `toJSON()`). */
export function asSpans(spans: readonly SpanData[]): Span[] {
  return spans.map((data) => ({ sampled: true, toJSON: () => data }) as unknown as Span);
}

/** One window summary per (function, model) per 10-minute window, made by the real Aggregator. */
export function summariesOf(spans: readonly SpanData[], windowMs = 10 * 60_000): WindowSummary[] {
  const windows = new Map<number, SpanData[]>();
  for (const span of spans) {
    const w = Math.floor(span.endTime / windowMs) * windowMs;
    const list = windows.get(w);
    if (list) list.push(span);
    else windows.set(w, [span]);
  }
  const out: WindowSummary[] = [];
  for (const [windowStart, list] of windows) {
    const aggregator = new Aggregator({ intervalMs: 3_600_000 });
    for (const span of list) aggregator.record(span);
    for (const s of aggregator.flush()) out.push({ ...s, windowStart, windowEnd: windowStart + windowMs });
  }
  return out;
}

/** Writes `spans` (and `summaries`) into `dir` with the real FileStore (`options` as createFileStore takes them). */
export async function writeStore(
  dir: string,
  spans: readonly SpanData[],
  summaries: readonly WindowSummary[] = [],
  options: Omit<FileStoreOptions, 'dir' | 'flushOnExit'> = {},
): Promise<void> {
  const store = createFileStore({ dir, flushOnExit: false, ...options });
  for (let i = 0; i < spans.length; i += 200) await store.export(asSpans(spans.slice(i, i + 200)));
  if (summaries.length) store.writeSummaries(summaries);
  await store.shutdown();
}
