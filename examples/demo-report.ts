/**
 * Printing for the demo: a per-model table (calls, errors, latency, time to first token, tokens,
 * cost) built from the spans in a TraceStore, and short listings of the slow and failed calls.
 * Kept apart from the demo's calls so the summary can grow without touching them.
 */
import { GenAI, LLMTrace, type Span } from '../index.js';

interface ModelRow {
  model: string;
  provider: string;
  calls: number;
  errors: number;
  cached: number;
  latencies: number[];
  ttfts: number[];
  inputTokens: number;
  outputTokens: number;
  cost: number | null;
}

function percentile(values: number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const ms = (v: number | undefined): string => (v === undefined ? '-' : `${v.toFixed(0)} ms`);
const usd = (v: number | null): string => (v === null ? 'unknown' : `$${v.toFixed(6)}`);

/** A left-aligned text table. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** Per-model rows of the model-call spans (scopes and decorators' non-model spans left out). */
export function modelRows(spans: readonly Span[]): ModelRow[] {
  const rows = new Map<string, ModelRow>();
  for (const span of spans) {
    if (span.kind !== 'llm' && span.kind !== 'embedding') continue;
    const a = span.attributes;
    const model = String(a[GenAI.RESPONSE_MODEL] ?? a[GenAI.REQUEST_MODEL] ?? 'unknown');
    const provider = String(a[GenAI.PROVIDER_NAME] ?? '-');
    let row = rows.get(model);
    if (!row) {
      row = { model, provider, calls: 0, errors: 0, cached: 0, latencies: [], ttfts: [], inputTokens: 0, outputTokens: 0, cost: 0 };
      rows.set(model, row);
    }
    if (row.provider === '-') row.provider = provider;
    row.calls++;
    if (span.status === 'error') row.errors++;
    if (a[LLMTrace.CACHED] === true) {
      row.cached++;
      continue;
    }
    row.latencies.push(span.duration);
    if (typeof a[LLMTrace.TIME_TO_FIRST_TOKEN_MS] === 'number') row.ttfts.push(a[LLMTrace.TIME_TO_FIRST_TOKEN_MS] as number);
    row.inputTokens += num(a[GenAI.USAGE_INPUT_TOKENS]);
    row.outputTokens += num(a[GenAI.USAGE_OUTPUT_TOKENS]);
    const recorded = a[LLMTrace.COST_USD];
    if (recorded === null || row.cost === null) row.cost = null;
    else if (typeof recorded === 'number') row.cost += recorded;
  }
  return [...rows.values()].sort((a, b) => a.provider.localeCompare(b.provider) || a.model.localeCompare(b.model));
}

/** The per-model table. */
export function modelTable(spans: readonly Span[]): string {
  return table(
    ['provider', 'model', 'calls', 'errors', 'cached', 'p50 latency', 'p95 latency', 'mean TTFT', 'tokens in/out', 'cost'],
    modelRows(spans).map((r) => [
      r.provider,
      r.model,
      String(r.calls),
      String(r.errors),
      String(r.cached),
      ms(percentile(r.latencies, 50)),
      ms(percentile(r.latencies, 95)),
      ms(r.ttfts.length ? r.ttfts.reduce((s, v) => s + v, 0) / r.ttfts.length : undefined),
      `${r.inputTokens}/${r.outputTokens}`,
      usd(r.cost),
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
