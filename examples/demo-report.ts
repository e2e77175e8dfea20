/**
 * Printing for the demo: a per-model table (calls, errors, latency, time to first token, tokens,
 * cost) of the spans in a TraceStore, by the query layer, and short listings of the slow and
 * failed calls.
 * Kept apart from the demo's calls so the summary can grow without touching them.
 */
import { GenAI, LLMTrace, type Span } from '../index.js';
import { groupStats } from '../lib/query/index.js';

const ms = (v: number | null | undefined): string => (v === null || v === undefined ? '-' : `${v.toFixed(0)} ms`);

/** A left-aligned text table. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/**
 * The per-model table of the model-call spans, from the query layer (`groupStats`), so its figures
 * are the ones `llmtrace stats --by model` prints for the same spans.
 */
export function modelTable(spans: readonly Span[]): string {
  return table(
    ['model', 'calls', 'errors', 'cached', 'p50 latency', 'p90 latency', 'ttft p50', 'tokens in/out', 'cost'],
    groupStats(spans, 'model').map((r) => [
      r.key,
      String(r.calls),
      String(r.failures),
      String(r.cacheHits),
      ms(r.p50Ms),
      ms(r.p90Ms),
      ms(r.ttftP50Ms),
      `${r.inputTokens}/${r.outputTokens}`,
      `$${r.costUsd.toFixed(6)}${r.unpricedCalls > 0 ? '+' : ''}`,
    ]),
  );
}

/** A listing of spans: name, model, duration, status, and the error or stream end. */
export function spanListing(spans: readonly Span[], limit: number): string {
  return table(
    ['span', 'model', 'duration', 'status', 'detail'],
    spans.slice(0, limit).map((s) => [
      s.name,
      String(s.attributes[GenAI.REQUEST_MODEL] ?? '-'),
      ms(s.duration),
      s.status,
      s.error
        ? `${s.error.type}${s.attributes[GenAI.HTTP_STATUS_CODE] ? ` (HTTP ${s.attributes[GenAI.HTTP_STATUS_CODE]})` : ''}: ${s.error.message.slice(0, 60)}`
        : String(s.attributes[LLMTrace.STREAM_END] ?? ''),
    ]),
  );
}
