/**
 * A filterable, sortable, pageable list of traces (what the dashboard's Traces page pages through,
 * usable with 100,000 traces): spans are folded once into one row per trace (a `TraceSummary` plus
 * the functions it ran and the lowercased text of its span names and error messages), then each
 * query filters and sorts those rows in memory and returns one page. Memory follows the number of
 * traces, not of spans.
 */
import type { SpanData } from '../span.js';
import { spanFunction } from './span-fields.js';
import { TraceSummariser } from './traces.js';
import type { TracePage, TraceSummary } from './wire-types.js';

/** What a trace listing can be sorted by. */
export type TraceSortKey = 'start' | 'duration' | 'spans' | 'errors' | 'tokens' | 'cost' | 'name';

/** Valid sort keys. */
export const TRACE_SORT_KEYS: readonly TraceSortKey[] = ['start', 'duration', 'spans', 'errors', 'tokens', 'cost', 'name'];

/** Rows a page holds when no limit is given. */
export const DEFAULT_TRACE_PAGE = 100;

/** Most rows one page may hold. */
export const MAX_TRACE_PAGE = 1_000;

/** Which traces to list. All given fields must match. */
export interface TraceQuery {
  /** Traces that ended at or after this time, epoch ms. */
  from?: number;
  /** Traces that started before this time, epoch ms. */
  to?: number;
  /** A model the trace called. */
  model?: string;
  /** A traced function the trace ran (`llmtrace.function`, else span name). */
  function?: string;
  /** `error`: traces with a failed span; `success`: traces without. */
  status?: 'success' | 'error';
  /** Minimum trace duration, ms. */
  minDurationMs?: number;
  /** Text (case-insensitive) in a span name, error message or the trace id. */
  text?: string;
  /** @default 'start' */
  sort?: TraceSortKey;
  /** @default 'desc' */
  order?: 'asc' | 'desc';
  /** Rows to skip. @default 0 */
  offset?: number;
  /** Rows to return, at most MAX_TRACE_PAGE. @default 100 */
  limit?: number;
}

interface Extra {
  functions: Set<string>;
  text: string[];
}

const SORT: Record<TraceSortKey, (t: TraceSummary) => number | string> = {
  start: (t) => t.start,
  duration: (t) => t.durationMs,
  spans: (t) => t.spanCount,
  errors: (t) => t.errors,
  tokens: (t) => t.inputTokens + t.outputTokens,
  cost: (t) => t.costUsd,
  name: (t) => t.rootName,
};

/** Folds spans into trace rows and answers paged queries over them. */
export class TraceListing {
  readonly #summariser = new TraceSummariser();
  readonly #extra = new Map<string, Extra>();
  #rows: { summary: TraceSummary; functions: Set<string>; text: string }[] | undefined;

  /** Counts one span into its trace. */
  add(span: SpanData): void {
    this.#summariser.add(span);
    let extra = this.#extra.get(span.traceId);
    if (!extra) {
      extra = { functions: new Set(), text: [span.traceId] };
      this.#extra.set(span.traceId, extra);
    }
    extra.functions.add(spanFunction(span));
    extra.text.push(span.name.toLowerCase());
    if (span.error?.message) extra.text.push(span.error.message.toLowerCase());
    this.#rows = undefined;
  }

  /** Number of traces. */
  get size(): number {
    return this.#summariser.size;
  }

  /** The models and traced functions seen, sorted (what the filters offer). */
  facets(): { models: string[]; functions: string[] } {
    const models = new Set<string>();
    const functions = new Set<string>();
    for (const row of this.#all()) {
      for (const model of row.summary.models) models.add(model);
      for (const fn of row.functions) functions.add(fn);
    }
    return { models: [...models].sort(), functions: [...functions].sort() };
  }

  /** The row of one trace (exact id), or undefined. */
  get(traceId: string): TraceSummary | undefined {
    return this.#all().find((r) => r.summary.traceId === traceId)?.summary;
  }

  #all(): { summary: TraceSummary; functions: Set<string>; text: string }[] {
    this.#rows ??= this.#summariser.summaries().map((summary) => {
      const extra = this.#extra.get(summary.traceId)!;
      return { summary, functions: extra.functions, text: extra.text.join('\n') };
    });
    return this.#rows;
  }

  /** One page of the traces matching `query`. */
  query(query: TraceQuery = {}): TracePage {
    const text = query.text?.toLowerCase();
    const from = query.from ?? -Infinity;
    const to = query.to ?? Infinity;
    const matching: TraceSummary[] = [];
    for (const row of this.#all()) {
      const t = row.summary;
      if (t.end < from || t.start >= to) continue;
      if (query.model !== undefined && !t.models.includes(query.model)) continue;
      if (query.function !== undefined && !row.functions.has(query.function)) continue;
      if (query.status === 'error' && t.errors === 0) continue;
      if (query.status === 'success' && t.errors > 0) continue;
      if (query.minDurationMs !== undefined && t.durationMs < query.minDurationMs) continue;
      if (text && !row.text.includes(text)) continue;
      matching.push(t);
    }
    const key = SORT[query.sort ?? 'start'];
    const sign = query.order === 'asc' ? 1 : -1;
    // The rows are kept newest first: the default order needs no sort.
    if (key !== SORT.start || sign !== -1) matching.sort((a, b) => {
      const x = key(a);
      const y = key(b);
      const c = typeof x === 'string' ? x.localeCompare(y as string) : x - (y as number);
      return sign * c || b.start - a.start;
    });
    const offset = Math.max(0, Math.floor(query.offset ?? 0));
    const limit = Math.min(MAX_TRACE_PAGE, Math.max(1, Math.floor(query.limit ?? DEFAULT_TRACE_PAGE)));
    return { total: matching.length, offset, rows: matching.slice(offset, offset + limit) };
  }
}
