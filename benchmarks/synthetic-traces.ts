/**
 * Benchmark helper (not a scenario): the synthetic traces the dashboard scenarios read. Each trace
 * is a `run` span over one model call (five models, log-uniform latency, every 40th failing with a
 * rate-limit error) and one tool call; traces start 100 ms apart from `start`. Seeded, so every
 * run writes the same spans.
 */
import type { Span, SpanData } from '../index.js';

/** `count` traces (three spans each), the first starting at `start` (epoch ms). */
export function syntheticTraces(count: number, start = 1_800_000_000_000): SpanData[] {
  let seed = 42;
  const uniform = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const out: SpanData[] = [];
  for (let t = 0; t < count; t++) {
    const traceId = t.toString(16).padStart(32, '0');
    const at = start + t * 100;
    const root = `${traceId.slice(16)}`;
    const base = { traceId, events: [], scopes: {}, sampled: true } as const;
    const d1 = Math.exp(5 + uniform() * 3);
    const failed = t % 40 === 0;
    out.push(
      { ...base, id: `${t.toString(16).padStart(15, '0')}a`, parentId: root, name: 'chat', kind: 'llm', startTime: at + 1, endTime: at + 1 + d1, duration: d1, status: failed ? 'error' : 'success', attributes: { 'llmtrace.function': 'answer', 'gen_ai.request.model': `model_${t % 5}`, 'gen_ai.usage.input_tokens': 300, 'gen_ai.usage.output_tokens': 80, 'llmtrace.cost_usd': 0.0002 }, ...(failed ? { error: { type: 'RateLimitError', message: `429 rate limited ${t}` } } : {}) },
      { ...base, id: `${t.toString(16).padStart(15, '0')}b`, parentId: root, name: 'lookup', kind: 'tool', startTime: at + 2 + d1, endTime: at + 12 + d1, duration: 10, status: 'success', attributes: { 'llmtrace.function': 'lookup' } },
      { ...base, id: root, name: 'agent_turn', kind: 'run', startTime: at, endTime: at + 13 + d1, duration: 13 + d1, status: failed ? 'error' : 'success', attributes: {} },
    );
  }
  return out;
}

/** Spans as the exporter seam takes them (only `sampled` and `toJSON` are read). */
export function asSpans(list: readonly SpanData[]): Span[] {
  return list.map((data) => ({ sampled: true, toJSON: () => data }) as unknown as Span);
}
