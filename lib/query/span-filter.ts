/**
 * Span filters: which stored spans a query looks at. A `SpanFilter` is plain data (what the CLI
 * flags and the dashboard's query string become); `spanMatcher` compiles it once into a predicate
 * that is cheap per span. The time range is also applied by the source while reading (whole
 * segments outside it are never opened); the predicate checks it again so it is exact.
 */
import type { AttributeValue, SpanData, SpanKind, SpanStatus } from '../span.js';
import { spanFunction, spanHasModel, spanProvider } from './span-fields.js';

/** Which spans to keep. Every field is optional; all given fields must match. */
export interface SpanFilter {
  /** Spans that ended at or after this time, epoch ms. */
  from?: number;
  /** Spans that ended before this time, epoch ms. */
  to?: number;
  /** Model name(s), exact: the requested or the answered model. */
  model?: string | readonly string[];
  /** Traced function name(s) (`llmtrace.function`, else the span name), exact. */
  function?: string | readonly string[];
  /** Provider name(s) (`gen_ai.provider.name`), exact. */
  provider?: string | readonly string[];
  /** `success` or `error`. */
  status?: Exclude<SpanStatus, 'running'>;
  /** Span kind(s). */
  kind?: SpanKind | readonly SpanKind[];
  /** Minimum duration, ms (inclusive). */
  minDurationMs?: number;
  /** Trace id prefix (lowercase hex). */
  traceId?: string;
  /**
   * Attributes that must be present with these values; a value compares equal when its string
   * form matches (`{ 'llmtrace.context': 'agent_turn', 'gen_ai.request.stream': 'true' }`).
   */
  attributes?: Readonly<Record<string, string | number | boolean>>;
}

function oneOf<T>(value: T | readonly T[] | undefined): ReadonlySet<T> | undefined {
  if (value === undefined) return undefined;
  return new Set(Array.isArray(value) ? (value as readonly T[]) : [value as T]);
}

function attributeText(value: AttributeValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}

/**
 * Compiles `filter` into a predicate over spans.
 * @example
 * const keep = spanMatcher({ model: 'gpt-4o-mini', status: 'error', from: Date.now() - 3_600_000 });
 * const failures = spans.filter(keep);
 */
export function spanMatcher(filter: SpanFilter = {}): (span: SpanData) => boolean {
  const models = oneOf(filter.model);
  const functions = oneOf(filter.function);
  const providers = oneOf(filter.provider);
  const kinds = oneOf(filter.kind);
  const attributes = Object.entries(filter.attributes ?? {}).map(([key, value]) => [key, String(value)] as const);
  const traceId = filter.traceId?.toLowerCase();
  const from = filter.from ?? -Infinity;
  const to = filter.to ?? Infinity;
  return (span) => {
    if (span.endTime < from || span.endTime >= to) return false;
    if (filter.status !== undefined && span.status !== filter.status) return false;
    if (filter.minDurationMs !== undefined && span.duration < filter.minDurationMs) return false;
    if (traceId !== undefined && !span.traceId.startsWith(traceId)) return false;
    if (kinds && !kinds.has(span.kind)) return false;
    if (models && !spanHasModel(span, models)) return false;
    if (functions && !functions.has(spanFunction(span))) return false;
    if (providers && !providers.has(spanProvider(span) ?? '')) return false;
    for (const [key, value] of attributes) if (attributeText(span.attributes[key]) !== value) return false;
    return true;
  };
}

/** Whether `filter` constrains anything but time (then stored window summaries cannot answer it). */
export function filtersBeyondTime(filter: SpanFilter): boolean {
  return Object.entries(filter).some(([key, value]) => value !== undefined && key !== 'from' && key !== 'to');
}
