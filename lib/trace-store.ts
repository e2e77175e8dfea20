/**
 * TraceStore: the bounded in-memory store of finished spans that users query while debugging.
 *
 * Memory is bounded by `maxSpans` (a ring; the oldest span is evicted first and counted). Besides
 * the ring the store keeps three indexes so that queries cost in proportion to what they return:
 * errors in insertion order, spans per trace id, and spans per duration bucket (powers of two of a
 * millisecond) for `getSlow`. Every span handed to `add` is also passed to subscribers, kept or not
 * (aggregates count sampled-out calls too).
 */
import type { Span } from './span.js';
import { reportInternalError } from './internal/diagnostics.js';

/** Default capacity of a TraceStore. */
export const DEFAULT_MAX_SPANS = 10_000;

/** A listener for finished spans. */
export type SpanListener = (span: Span) => void;

/** Options for a TraceStore. */
export interface TraceStoreOptions {
  /**
   * Most spans kept; the oldest is evicted first.
   * @default 10000 (DEFAULT_MAX_SPANS)
   */
  maxSpans?: number;
}

/** Counters a TraceStore keeps. */
export interface TraceStoreStats {
  /** Spans held now. */
  size: number;
  /** Capacity. */
  maxSpans: number;
  /** Spans handed to the store since creation (kept or not). */
  added: number;
  /** Spans evicted to make room. */
  evicted: number;
  /** Spans not kept because they were sampled out. */
  sampledOut: number;
  /** Errors thrown by subscribers (each is caught, counted and reported). */
  listenerErrors: number;
}

const BUCKETS = 40;

/** Duration bucket: 0 for < 1 ms, then one bucket per power of two of a millisecond. */
function bucketOf(durationMs: number): number {
  if (durationMs < 1) return 0;
  return Math.min(BUCKETS - 1, 1 + Math.floor(Math.log2(durationMs)));
}

/** A bounded, indexed, in-memory store of finished spans. */
export class TraceStore {
  readonly #max: number;
  readonly #ring: (Span | undefined)[];
  #head = 0;
  #size = 0;
  readonly #errors = new Set<Span>();
  readonly #byTrace = new Map<string, Span[]>();
  readonly #byDuration: Set<Span>[] = Array.from({ length: BUCKETS }, () => new Set<Span>());
  readonly #listeners: SpanListener[] = [];
  #added = 0;
  #evicted = 0;
  #sampledOut = 0;
  #listenerErrors = 0;

  /** @throws TypeError when `maxSpans` is not a positive integer. */
  constructor(options: TraceStoreOptions = {}) {
    const max = options.maxSpans ?? DEFAULT_MAX_SPANS;
    if (!Number.isInteger(max) || max < 1) {
      throw new TypeError(`llmtrace: maxSpans must be a positive integer, got ${String(max)} (${typeof max})`);
    }
    this.#max = max;
    this.#ring = new Array<Span | undefined>(max);
  }

  /**
   * Hands a finished span to the store: subscribers see it, and it is kept when `span.sampled`.
   * Never throws: a failing subscriber is counted and reported.
   */
  add(span: Span): void {
    this.#added++;
    for (const listener of this.#listeners) {
      try {
        listener(span);
      } catch (error) {
        this.#listenerErrors++;
        reportInternalError('store.listener', error);
      }
    }
    if (!span.sampled) {
      this.#sampledOut++;
      return;
    }
    const slot = (this.#head + this.#size) % this.#max;
    if (this.#size === this.#max) {
      this.#unindex(this.#ring[this.#head]!);
      this.#head = (this.#head + 1) % this.#max;
      this.#evicted++;
    } else {
      this.#size++;
    }
    this.#ring[slot] = span;
    this.#index(span);
  }

  /**
   * Subscribes to every finished span handed to this store, kept or sampled out.
   * Returns the function that unsubscribes.
   */
  subscribe(listener: SpanListener): () => void {
    this.#listeners.push(listener);
    return () => {
      const at = this.#listeners.indexOf(listener);
      if (at >= 0) this.#listeners.splice(at, 1);
    };
  }

  /** The `n` most recent spans, newest first. */
  getRecent(n = 100): Span[] {
    const count = Math.min(Math.max(0, Math.floor(n)), this.#size);
    const out = new Array<Span>(count);
    for (let i = 0; i < count; i++) {
      out[i] = this.#ring[(this.#head + this.#size - 1 - i) % this.#max]!;
    }
    return out;
  }

  /** Failed spans, newest first. */
  getErrors(): Span[] {
    return Array.from(this.#errors).reverse();
  }

  /** Spans that took at least `thresholdMs`, slowest first. */
  getSlow(thresholdMs: number): Span[] {
    const out: Span[] = [];
    for (let b = bucketOf(thresholdMs); b < BUCKETS; b++) {
      for (const span of this.#byDuration[b]!) if (span.duration >= thresholdMs) out.push(span);
    }
    return out.sort((a, b) => b.duration - a.duration);
  }

  /** Every kept span of one trace, in the order they ended. */
  getTrace(traceId: string): Span[] {
    return this.#byTrace.get(traceId)?.slice() ?? [];
  }

  /** Spans matching `predicate`, newest first (a full scan: use the indexed getters where they fit). */
  query(predicate: (span: Span) => boolean): Span[] {
    const out: Span[] = [];
    for (let i = this.#size - 1; i >= 0; i--) {
      const span = this.#ring[(this.#head + i) % this.#max]!;
      if (predicate(span)) out.push(span);
    }
    return out;
  }

  /** Spans held now. */
  get size(): number {
    return this.#size;
  }

  /** Counters since creation. */
  stats(): TraceStoreStats {
    return {
      size: this.#size,
      maxSpans: this.#max,
      added: this.#added,
      evicted: this.#evicted,
      sampledOut: this.#sampledOut,
      listenerErrors: this.#listenerErrors,
    };
  }

  /** Removes every span (counters and subscribers stay). */
  clear(): void {
    this.#ring.fill(undefined);
    this.#head = 0;
    this.#size = 0;
    this.#errors.clear();
    this.#byTrace.clear();
    for (const bucket of this.#byDuration) bucket.clear();
  }

  #index(span: Span): void {
    if (span.status === 'error') this.#errors.add(span);
    const trace = this.#byTrace.get(span.traceId);
    if (trace) trace.push(span);
    else this.#byTrace.set(span.traceId, [span]);
    this.#byDuration[bucketOf(span.duration)]!.add(span);
  }

  #unindex(span: Span): void {
    this.#errors.delete(span);
    const trace = this.#byTrace.get(span.traceId);
    if (trace) {
      const at = trace.indexOf(span);
      if (at >= 0) trace.splice(at, 1);
      if (trace.length === 0) this.#byTrace.delete(span.traceId);
    }
    this.#byDuration[bucketOf(span.duration)]!.delete(span);
  }
}
