/**
 * A filterable, sortable, pageable list of traces (what the dashboard's Traces page pages through,
 * usable with 100,000 traces): spans are folded once into one row per trace (a `TraceSummary` plus
 * the functions it ran and the lowercased text of its span names and error messages), then each
 * query filters and sorts those rows in memory and returns one page. Memory follows the number of
 * traces, not of spans.
 *
 * Spans come in parts (a part per store segment, say): `setPart` replaces one part's spans and
 * `deletePart` drops them, and only the traces those spans belong to are folded again, so a store
 * that changed in one segment costs a re-read of that segment (see span-file-follower.ts), not of
 * the store. A trace's row is the merge of its folds in every part (trace-fold.ts).
 */
import type { SpanData } from '../span.js';
import { spanFunction } from './span-fields.js';
import { addToFold, foldSummary, mergeFolds, newFold, type TraceFold } from './trace-fold.js';
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

/** One trace's spans within one part. */
interface PartTrace {
  fold: TraceFold;
  functions: Set<string>;
  text: string[];
  spanIds: string[];
}

/** One trace's row: its spans in every part, merged. */
interface Row {
  summary: TraceSummary;
  functions: Set<string>;
  text: string;
}

/** The part `add` puts spans into. */
const ADDED = '';

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
  /** Part key -> trace id -> that trace's spans in the part. */
  readonly #parts = new Map<string, Map<string, PartTrace>>();
  /** Trace id -> the parts holding some of its spans. */
  readonly #partsOf = new Map<string, Set<string>>();
  readonly #rows = new Map<string, Row>();
  /** Traces whose row must be merged again before the next read. */
  readonly #dirty = new Set<string>();
  /** The rows, newest start first (undefined after a change). */
  #sorted: Row[] | undefined;

  /** Counts one span into its trace. */
  add(span: SpanData): void {
    this.#addTo(ADDED, span);
  }

  /**
   * Makes `spans` the whole content of part `key` (a segment's path, say), replacing what the part
   * held: only the traces of the old and the new spans are folded again.
   */
  setPart(key: string, spans: Iterable<SpanData>): void {
    this.deletePart(key);
    for (const span of spans) this.#addTo(key, span);
  }

  /** Drops part `key` and its spans (a deleted segment); nothing when there is no such part. */
  deletePart(key: string): void {
    const part = this.#parts.get(key);
    if (!part) return;
    this.#parts.delete(key);
    for (const traceId of part.keys()) {
      const keys = this.#partsOf.get(traceId)!;
      keys.delete(key);
      if (keys.size === 0) this.#partsOf.delete(traceId);
      this.#dirty.add(traceId);
    }
  }

  /** Whether some part already holds `span` (same trace, same span id). */
  holds(span: Pick<SpanData, 'traceId' | 'id'>): boolean {
    for (const key of this.#partsOf.get(span.traceId) ?? []) if (this.#parts.get(key)!.get(span.traceId)!.spanIds.includes(span.id)) return true;
    return false;
  }

  /** Number of traces. */
  get size(): number {
    this.#merge();
    return this.#rows.size;
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
    this.#merge();
    return this.#rows.get(traceId)?.summary;
  }

  #addTo(key: string, span: SpanData): void {
    let part = this.#parts.get(key);
    if (!part) {
      part = new Map();
      this.#parts.set(key, part);
    }
    let trace = part.get(span.traceId);
    if (!trace) {
      trace = { fold: newFold(span), functions: new Set(), text: [span.traceId], spanIds: [] };
      part.set(span.traceId, trace);
      const keys = this.#partsOf.get(span.traceId);
      if (keys) keys.add(key);
      else this.#partsOf.set(span.traceId, new Set([key]));
    }
    addToFold(trace.fold, span);
    trace.functions.add(spanFunction(span));
    trace.text.push(span.name.toLowerCase());
    if (span.error?.message) trace.text.push(span.error.message.toLowerCase());
    trace.spanIds.push(span.id);
    this.#dirty.add(span.traceId);
  }

  /** Merges the rows of the traces changed since the last read. */
  #merge(): void {
    if (this.#dirty.size === 0) return;
    for (const traceId of this.#dirty) {
      const keys = this.#partsOf.get(traceId);
      if (!keys) {
        this.#rows.delete(traceId);
        continue;
      }
      const traces = [...keys].map((key) => this.#parts.get(key)!.get(traceId)!);
      const fold = traces.map((t) => t.fold).reduce(mergeFolds);
      const functions = traces.length === 1 ? traces[0]!.functions : new Set(traces.flatMap((t) => [...t.functions]));
      this.#rows.set(traceId, { summary: foldSummary(fold), functions, text: traces.map((t) => t.text.join('\n')).join('\n') });
    }
    this.#dirty.clear();
    this.#sorted = undefined;
  }

  #all(): Row[] {
    this.#merge();
    this.#sorted ??= [...this.#rows.values()].sort((a, b) => b.summary.start - a.summary.start);
    return this.#sorted;
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
