/**
 * Spans and window summaries as flat rows with documented columns (what `llmtrace export` writes
 * as CSV and the dashboard offers as a download). Fixed columns first, then one `attr.<key>`
 * column per attribute key seen (arrays as JSON text). Pure; the CSV quoting is the caller's.
 * Column meanings: docs/cli.md#export.
 */
import type { WindowSummary } from '../aggregator/window-summary.js';
import type { EvaluationRecord } from '../evaluations/types.js';
import type { AttributeValue, SpanData } from '../span.js';
import { spanCost, spanFunction, spanInputTokens, spanModel, spanOutputTokens, spanProvider, spanTtft } from './span-fields.js';

/** A flat row: column name -> cell (strings, numbers, booleans, or empty). */
export type FlatRow = Record<string, string | number | boolean | null>;

/** The fixed columns of a span row, in order. */
export const SPAN_COLUMNS: readonly string[] = [
  'trace_id', 'span_id', 'parent_id', 'name', 'kind', 'status', 'start_time', 'end_time', 'duration_ms',
  'model', 'provider', 'function', 'input_tokens', 'output_tokens', 'cost_usd', 'ttft_ms', 'error_type', 'error_message',
];

/** Prefix of the flattened attribute columns. */
export const ATTRIBUTE_COLUMN_PREFIX = 'attr.';

/** The fixed columns of a summary row, in order. */
export const SUMMARY_COLUMNS: readonly string[] = [
  'window_start', 'window_end', 'function', 'model', 'call_count', 'success_count', 'failure_count', 'success_rate',
  'cache_hits', 'min_ms', 'avg_ms', 'max_ms', 'p50_ms', 'p90_ms', 'p99_ms', 'ttft_p50_ms', 'ttft_p90_ms',
  'input_tokens', 'output_tokens', 'cost_usd', 'unpriced_calls', 'error_types',
];

function cell(value: AttributeValue | undefined): string | number | boolean | null {
  if (value === undefined || value === null) return null;
  return Array.isArray(value) ? JSON.stringify(value) : (value as string | number | boolean);
}

/** The columns of span rows for spans carrying `attributeKeys`: SPAN_COLUMNS then `attr.<key>` sorted. */
export function spanColumns(attributeKeys: Iterable<string>): string[] {
  return [...SPAN_COLUMNS, ...[...new Set(attributeKeys)].sort().map((k) => `${ATTRIBUTE_COLUMN_PREFIX}${k}`)];
}

/** One span as a flat row (times as ISO 8601, attributes under `attr.<key>`). */
export function spanRow(span: SpanData): FlatRow {
  const cost = spanCost(span);
  const row: FlatRow = {
    trace_id: span.traceId,
    span_id: span.id,
    parent_id: span.parentId ?? null,
    name: span.name,
    kind: span.kind,
    status: span.status,
    start_time: new Date(span.startTime).toISOString(),
    end_time: new Date(span.endTime).toISOString(),
    duration_ms: span.duration,
    model: spanModel(span) ?? null,
    provider: spanProvider(span) ?? null,
    function: spanFunction(span),
    input_tokens: spanInputTokens(span),
    output_tokens: spanOutputTokens(span),
    cost_usd: cost ?? null,
    ttft_ms: spanTtft(span) ?? null,
    error_type: span.error?.type ?? null,
    error_message: span.error?.message ?? null,
  };
  for (const [key, value] of Object.entries(span.attributes)) row[`${ATTRIBUTE_COLUMN_PREFIX}${key}`] = cell(value);
  return row;
}

/** One window summary as a flat row (error types as JSON text). */
export function summaryRow(s: WindowSummary): FlatRow {
  return {
    window_start: new Date(s.windowStart).toISOString(),
    window_end: new Date(s.windowEnd).toISOString(),
    function: s.function,
    model: s.model,
    call_count: s.callCount,
    success_count: s.successCount,
    failure_count: s.failureCount,
    success_rate: s.successRate,
    cache_hits: s.cacheHits,
    min_ms: s.minMs,
    avg_ms: s.avgMs,
    max_ms: s.maxMs,
    p50_ms: s.p50Ms,
    p90_ms: s.p90Ms,
    p99_ms: s.p99Ms,
    ttft_p50_ms: s.ttftP50Ms,
    ttft_p90_ms: s.ttftP90Ms,
    input_tokens: s.inputTokens,
    output_tokens: s.outputTokens,
    cost_usd: s.costUsd,
    unpriced_calls: s.unpricedCalls,
    error_types: JSON.stringify(s.errorTypes),
  };
}

/** The columns of an evaluation row, in order (a decision or a score per row). */
export const EVALUATION_COLUMNS: readonly string[] = [
  'id', 'type', 'time', 'trace_id', 'span_id', 'evaluator', 'name', 'model', 'candidates', 'chosen', 'value', 'scores', 'prompt', 'analysis', 'comment',
];

/**
 * One evaluation as a flat row: a decision has `evaluator`, `candidates` (models, `;`-separated),
 * `chosen` (the chosen model), `scores` (JSON), `prompt` (text or JSON) and `analysis`; a score has
 * `name`, `model`, `value` and `comment`.
 */
export function evaluationRow(e: EvaluationRecord): FlatRow {
  const base: FlatRow = { id: e.id, type: e.type, time: new Date(e.time).toISOString(), trace_id: e.traceId ?? null, span_id: e.spanId ?? null };
  if (e.type === 'score') {
    return { ...base, name: e.name, model: e.model ?? null, value: e.value, comment: e.comment ?? null };
  }
  return {
    ...base,
    evaluator: e.evaluator,
    candidates: e.candidates.map((c) => c.model).join(';'),
    chosen: e.chosen === null ? null : (e.candidates[e.chosen]?.model ?? null),
    scores: JSON.stringify(e.scores),
    prompt: e.prompt === undefined ? null : typeof e.prompt === 'string' ? e.prompt : JSON.stringify(e.prompt),
    analysis: e.analysis ?? null,
  };
}
