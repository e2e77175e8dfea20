/**
 * A filterable, sortable, pageable list of traces (what the dashboard's Traces page pages through,
 * usable with 100,000 traces): spans are folded once into one row per trace (a `TraceSummary` plus
 * the distinct status, model and function of its spans (so a filter on them matches one span, as
 * listRuns does) and the lowercased text of its span names and error messages), then each
 * query filters and sorts those rows in memory and returns one page. Memory follows the number of
 * traces, not of spans.
 *
 * Spans come in parts (a part per store segment, say): `setPart` replaces one part's spans and
 * `deletePart` drops them, and only the traces those spans belong to are folded again, so a store
 * that changed in one segment costs a re-read of that segment (see span-file-follower.ts), not of
 * the store. A trace's row is the merge of its folds in every part (trace-fold.ts).
 *
 * The newest-first order, and any order paged beyond its first PICK_WITHIN_ROWS rows, is kept
 * sorted as rows change (sorted-rows.ts): a query walks it, filtering, and keeps only the rows of
 * its page. The first pages of the other orders are picked from the newest-first rows
 * (first-in-order.ts). So a page costs one pass over the rows, and a change costs merging the
 * changed rows into the orders read next, never a sort of them all while a request waits
 * (benchmarks/dashboard-server.ts, `traces.page_100_rows_max_ms`).
 */
import type { SpanData, SpanStatus } from '../span.js';
import { spanFunction, spanModel } from './span-fields.js';
import { firstInOrder } from './first-in-order.js';
import { ModelSets } from './model-sets.js';
import { SortedRows } from './sorted-rows.js';
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

/**
 * Pages ending within this many rows of the top of an order not sorted yet are picked from the
 * rows (first-in-order.ts) instead of sorting them all; a page further down sorts and keeps the order.
 */
export const PICK_WITHIN_ROWS = 1_000;

/**
 * Which traces to list. All given fields must match. `model`, `function` and `status` pick the
 * traces holding one span that matches all three of them, as `llmtrace runs` (listRuns) does:
 * `{ status: 'error', model: 'gpt-4o' }` is a trace with a failed gpt-4o call, not one with any
 * failure and any gpt-4o call.
 */
export interface TraceQuery {
  /** Traces that ended at or after this time, epoch ms. */
  from?: number;
  /** Traces that started before this time, epoch ms. */
  to?: number;
  /** The model of a span (response model, else request model). */
  model?: string;
  /** The traced function of a span (`llmtrace.function`, else span name). */
  function?: string;
  /** The status of a span: `error`, traces with a failed span; `success`, traces with a span that succeeded. */
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

/** What a span offers `model`, `function` and `status` of a TraceQuery: a trace keeps each distinct one once. */
interface SpanKey {
  status: SpanStatus;
  /** '' when the span names no model (as spanMatcher reads it). */
  model: string;
  fn: string;
}

/** One trace's spans within one part. */
interface PartTrace {
  fold: TraceFold;
  /** The distinct keys of its spans, by `status model function`. */
  keys: Map<string, SpanKey>;
  text: string[];
  spanIds: string[];
}

/** One trace's row: its spans in every part, merged. */
interface Row {
  summary: TraceSummary;
  keys: SpanKey[];
  text: string;
  /** False once the row was replaced (its trace merged again) or deleted: the orders drop it. */
  live: boolean;
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

/** The order of rows by `key` (`sign` 1 ascending, -1 descending), then newest first, then by trace id: a total order. */
function rowOrder(key: TraceSortKey, sign: number): (a: Row, b: Row) => number {
  const value = SORT[key];
  const collator = key === 'name' ? new Intl.Collator() : undefined;
  const primary = collator
    ? (a: Row, b: Row) => collator.compare(a.summary.rootName, b.summary.rootName)
    : (a: Row, b: Row) => (value(a.summary) as number) - (value(b.summary) as number);
  return (a, b) => {
    const c = sign * primary(a, b) || b.summary.start - a.summary.start;
    if (c !== 0) return c;
    return a.summary.traceId < b.summary.traceId ? -1 : a.summary.traceId > b.summary.traceId ? 1 : 0;
  };
}

const isLive = (row: Row): boolean => row.live;

/** The key of `span`, and its text (`status model function`, NUL-separated). */
function spanKey(span: SpanData): [string, SpanKey] {
  const key = { status: span.status, model: spanModel(span) ?? '', fn: spanFunction(span) };
  return [`${key.status}\0${key.model}\0${key.fn}`, key];
}

/** Whether `key` matches the span fields of `query` (those not given match anything). */
function keyMatches(key: SpanKey, query: TraceQuery): boolean {
  return (query.status === undefined || key.status === query.status) && (query.model === undefined || key.model === query.model) && (query.function === undefined || key.fn === query.function);
}

/** Whether `row` passes every filter of `query` (`text` already lowercased). */
function matches(row: Row, query: TraceQuery, text: string | undefined): boolean {
  const t = row.summary;
  if (query.from !== undefined && t.end < query.from) return false;
  if (query.to !== undefined && t.start >= query.to) return false;
  const bySpan = query.model !== undefined || query.function !== undefined || query.status !== undefined;
  if (bySpan && !row.keys.some((key) => keyMatches(key, query))) return false;
  if (query.minDurationMs !== undefined && t.durationMs < query.minDurationMs) return false;
  return !text || row.text.includes(text);
}

/** Folds spans into trace rows and answers paged queries over them. */
export class TraceListing {
  /** Part key -> trace id -> that trace's spans in the part. */
  readonly #parts = new Map<string, Map<string, PartTrace>>();
  /** Trace id -> the parts holding some of its spans. */
  readonly #partsOf = new Map<string, Set<string>>();
  readonly #rows = new Map<string, Row>();
  /** Traces whose row must be merged again before the next read. */
  readonly #dirty = new Set<string>();
  /** `sort:order` -> the rows in that order, kept up to date by `#merge`. */
  readonly #orders = new Map<string, SortedRows<Row>>();
  readonly #models = new ModelSets();

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
    this.#merge();
    for (const row of this.#rows.values()) {
      for (const model of row.summary.models) models.add(model);
      for (const key of row.keys) functions.add(key.fn);
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
      trace = { fold: newFold(span), keys: new Map(), text: [span.traceId], spanIds: [] };
      part.set(span.traceId, trace);
      const keys = this.#partsOf.get(span.traceId);
      if (keys) keys.add(key);
      else this.#partsOf.set(span.traceId, new Set([key]));
    }
    addToFold(trace.fold, span, this.#models);
    const [id, spanFields] = spanKey(span);
    if (!trace.keys.has(id)) trace.keys.set(id, spanFields);
    trace.text.push(span.name.toLowerCase());
    if (span.error?.message) trace.text.push(span.error.message.toLowerCase());
    trace.spanIds.push(span.id);
    this.#dirty.add(span.traceId);
  }

  /** Merges the rows of the traces changed since the last read, and notes the change in every kept order. */
  #merge(): void {
    if (this.#dirty.size === 0) return;
    const added: Row[] = [];
    for (const traceId of this.#dirty) {
      const old = this.#rows.get(traceId);
      if (old) old.live = false;
      const keys = this.#partsOf.get(traceId);
      if (!keys) {
        this.#rows.delete(traceId);
        continue;
      }
      const traces = [...keys].map((key) => this.#parts.get(key)!.get(traceId)!);
      const fold = traces.map((t) => t.fold).reduce((a, b) => mergeFolds(a, b, this.#models));
      const spanKeys = traces.length === 1 ? [...traces[0]!.keys.values()] : [...new Map(traces.flatMap((t) => [...t.keys])).values()];
      const row = { summary: foldSummary(fold), keys: spanKeys, text: traces.map((t) => t.text.join('\n')).join('\n'), live: true };
      this.#rows.set(traceId, row);
      added.push(row);
    }
    this.#dirty.clear();
    for (const order of this.#orders.values()) order.changed(added);
  }

  /** The kept order of `sort` and `order`: sorted on first use, kept up to date from then on. */
  #ordered(sort: TraceSortKey, order: 'asc' | 'desc'): SortedRows<Row> {
    const key = `${sort}:${order}`;
    let rows = this.#orders.get(key);
    if (!rows) {
      rows = new SortedRows(this.#rows.values(), rowOrder(sort, order === 'asc' ? 1 : -1), isLive);
      this.#orders.set(key, rows);
    }
    return rows;
  }

  /**
   * One page of the traces matching `query`. The newest-first order, and any order once a page
   * beyond its first PICK_WITHIN_ROWS rows was asked for, is kept sorted; the first pages of the
   * other orders are picked from the rows.
   * @throws TypeError on an unknown sort key.
   */
  query(query: TraceQuery = {}): TracePage {
    const sort = query.sort ?? 'start';
    if (!Object.hasOwn(SORT, sort)) throw new TypeError(`llmtrace: sort must be one of ${TRACE_SORT_KEYS.join(', ')}, got ${JSON.stringify(sort)}`);
    const order = query.order === 'asc' ? 'asc' : 'desc';
    const offset = Math.max(0, Math.floor(query.offset ?? 0));
    const limit = Math.min(MAX_TRACE_PAGE, Math.max(1, Math.floor(query.limit ?? DEFAULT_TRACE_PAGE)));
    const keep = (sort === 'start' && order === 'desc') || offset + limit > PICK_WITHIN_ROWS;
    this.#merge();
    const kept = keep ? this.#ordered(sort, order) : this.#orders.get(`${sort}:${order}`);
    const text = query.text?.toLowerCase();
    // Picked from the newest-first order, the order ties are broken in: a row tying with the worst
    // picked so far is behind it, so it costs one comparison (many rows tie on cost or name).
    return kept ? walkPage(kept.items, query, text, offset, limit) : pickPage(this.#ordered('start', 'desc').items, query, text, offset, limit, rowOrder(sort, order === 'asc' ? 1 : -1));
  }
}

/** The page at `offset` of the matching rows of `sorted`, and how many match. */
function walkPage(sorted: readonly Row[], query: TraceQuery, text: string | undefined, offset: number, limit: number): TracePage {
  const rows: TraceSummary[] = [];
  let total = 0;
  for (const row of sorted) {
    if (!matches(row, query, text)) continue;
    if (total >= offset && rows.length < limit) rows.push(row.summary);
    total++;
  }
  return { total, offset, rows };
}

/** The page at `offset` of the matching rows of `unsorted` in the order of `compare`, picked without sorting them all. */
function pickPage(unsorted: readonly Row[], query: TraceQuery, text: string | undefined, offset: number, limit: number, compare: (a: Row, b: Row) => number): TracePage {
  let total = 0;
  const matching = function* (): Generator<Row> {
    for (const row of unsorted) {
      if (!matches(row, query, text)) continue;
      total++;
      yield row;
    }
  };
  const first = firstInOrder(matching(), offset + limit, compare);
  return { total, offset, rows: first.slice(offset).map((row) => row.summary) };
}
