/**
 * TraceStore: the bounded in-memory store of finished spans that users query while debugging.
 *
 * Memory is bounded by `maxSpans` (a ring; the oldest span is evicted first and counted). Besides
 * the ring the store keeps three indexes so that queries cost in proportion to what they return:
 * errors in insertion order, spans per trace id, and spans per duration bucket (powers of two of a
 * millisecond) for `getSlow`. Every span handed to `add` is also passed to subscribers, kept or not
 * (aggregates count sampled-out calls too).
 */
import { GenAI, LLMTrace } from './attributes.js';
import { positiveInteger } from './internal/validate.js';
import type { Span } from './span.js';
import { reportInternalError } from './internal/diagnostics.js';
import { SlotLists } from './internal/slot-lists.js';
import { TraceSlotIndex } from './internal/trace-slot-index.js';
import { checkOptions } from './internal/option-schemas.js';

/** Default capacity of a TraceStore. */
export const DEFAULT_MAX_SPANS = 10_000;

/**
 * Default bound on the weight of the spans kept, bytes (estimated): with captured content the ring
 * is bounded by bytes before count (10,000 spans with 2 KB prompts captured in full held ~300 MiB
 * RSS; see benchmarks/memory-capture-full.ts), without it the count bound decides.
 */
export const DEFAULT_TRACE_STORE_MAX_BYTES = 16 * 1024 * 1024;

/** The weight of a span without events: the object, its ids and typical attributes, bytes. */
const SPAN_BASE_BYTES = 1024;

/** The attributes that hold captured content (capture `full`), the large ones. */
const CONTENT_ATTRIBUTES = [
  GenAI.INPUT_MESSAGES,
  GenAI.OUTPUT_MESSAGES,
  GenAI.SYSTEM_INSTRUCTIONS,
  LLMTrace.REQUEST_CONTENT,
  LLMTrace.RESPONSE_CONTENT,
] as const;

/** The estimated bytes a kept span holds: a base, plus the text of its captured content and of its events. */
function spanWeight(span: Span): number {
  let bytes = SPAN_BASE_BYTES;
  const a = span.attributes;
  for (let i = 0; i < CONTENT_ATTRIBUTES.length; i++) {
    const value = a[CONTENT_ATTRIBUTES[i]!];
    if (typeof value === 'string') bytes += value.length;
  }
  const events = span.events;
  for (let i = 0; i < events.length; i++) {
    const attributes = events[i]!.attributes;
    for (const key in attributes) {
      const value = attributes[key];
      if (typeof value === 'string') bytes += value.length;
    }
  }
  return bytes;
}

/** A listener for finished spans. */
export type SpanListener = (span: Span) => void;

/** Options for a TraceStore. */
export interface TraceStoreOptions {
  /**
   * Most spans kept; the oldest is evicted first.
   * @default 10000 (DEFAULT_MAX_SPANS)
   */
  maxSpans?: number;
  /**
   * Most bytes the kept spans may hold (estimated from a per-span base and the text of their events,
   * where captured content lives); the oldest are evicted first. Keeps memory bounded when content
   * is captured in full.
   * @default 16 MiB (DEFAULT_TRACE_STORE_MAX_BYTES)
   */
  maxBytes?: number;
}

/** Counters a TraceStore keeps. */
export interface TraceStoreStats {
  /** Spans held now. */
  size: number;
  /** Capacity. */
  maxSpans: number;
  /** Spans handed to the store since creation (kept or not). */
  added: number;
  /** Spans evicted to make room (by count or by bytes). */
  evicted: number;
  /** Estimated bytes the kept spans hold now. */
  bytes: number;
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

/** @internal `store` unless it is set to something other than a TraceStore: then throws a TypeError. */
export function checkStore(store: unknown): TraceStore | undefined {
  if (store !== undefined && !(store instanceof TraceStore)) {
    throw new TypeError('llmtrace: store must be a TraceStore (new TraceStore({ maxSpans }))');
  }
  return store;
}

/** A bounded, indexed, in-memory store of finished spans. */
export class TraceStore {
  readonly #max: number;
  readonly #maxBytes: number;
  readonly #weights: Float64Array;
  #bytes = 0;
  readonly #ring: (Span | undefined)[];
  #head = 0;
  #size = 0;
  // The indexes hold ring slot numbers in typed arrays, not spans in Sets or arrays: pointer-holding
  // indexes over 10,000 retained spans made every young-generation GC scan them (about 2 µs per call
  // in benchmarks/traced-overhead.ts). See lib/internal/slot-lists.ts.
  readonly #errors: SlotLists;
  readonly #byDuration: SlotLists;
  /** Newest kept slot per trace id; older spans of a trace chain back through #prevInTrace. */
  readonly #byTrace: TraceSlotIndex;
  readonly #prevInTrace: Int32Array;
  /** The sequence number #prevInTrace's slot had when linked: a mismatch means it was overwritten. */
  readonly #prevSeq: Float64Array;
  readonly #seqOfSlot: Float64Array;
  #seq = 0;
  // Replaced, never mutated, on (un)subscribe: a listener that unsubscribes while `add` iterates
  // must not make the next one miss the span.
  #listeners: readonly SpanListener[] = [];
  #startListeners: readonly SpanListener[] = [];
  #added = 0;
  #evicted = 0;
  #sampledOut = 0;
  #listenerErrors = 0;

  /** @throws TypeError when `maxSpans` is not a positive integer. */
  constructor(options: TraceStoreOptions = {}) {
    checkOptions('TraceStore', options);
    const max = positiveInteger(options.maxSpans, 'maxSpans', DEFAULT_MAX_SPANS);
    this.#max = max;
    this.#maxBytes = positiveInteger(options.maxBytes, 'maxBytes', DEFAULT_TRACE_STORE_MAX_BYTES);
    this.#weights = new Float64Array(max);
    this.#ring = new Array<Span | undefined>(max);
    this.#errors = new SlotLists(max, 1);
    this.#byDuration = new SlotLists(max, BUCKETS);
    this.#byTrace = new TraceSlotIndex(max, (slot) => this.#ring[slot]!.traceId);
    this.#prevInTrace = new Int32Array(max);
    this.#prevSeq = new Float64Array(max);
    this.#seqOfSlot = new Float64Array(max);
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
    const weight = spanWeight(span);
    if (this.#size === this.#max) this.#evictOldest();
    while (this.#size > 0 && this.#bytes + weight > this.#maxBytes) this.#evictOldest();
    const slot = (this.#head + this.#size) % this.#max;
    this.#size++;
    this.#ring[slot] = span;
    this.#weights[slot] = weight;
    this.#bytes += weight;
    this.#index(span, slot);
  }

  /**
   * Subscribes to every finished span handed to this store, kept or sampled out.
   * Returns the function that unsubscribes.
   */
  subscribe(listener: SpanListener): () => void {
    this.#listeners = [...this.#listeners, listener];
    return () => {
      const at = this.#listeners.indexOf(listener);
      if (at >= 0) this.#listeners = this.#listeners.filter((_, i) => i !== at);
    };
  }

  /**
   * Subscribes to span starts: `listener` sees each span handed to `announceStart` while it is
   * still running (what a live dashboard shows as calls in flight). Returns the function that
   * unsubscribes. Nothing is paid per call while nobody listens.
   */
  subscribeStarts(listener: SpanListener): () => void {
    this.#startListeners = [...this.#startListeners, listener];
    return () => {
      this.#startListeners = this.#startListeners.filter((l) => l !== listener);
    };
  }

  /**
   * Announces a span that has just started to the start subscribers (the recorder calls it).
   * Never throws: a failing subscriber is counted and reported.
   */
  announceStart(span: Span): void {
    for (const listener of this.#startListeners) {
      try {
        listener(span);
      } catch (error) {
        this.#listenerErrors++;
        reportInternalError('store.start-listener', error);
      }
    }
  }

  /** The `n` most recent spans, newest first. */
  getRecent(n = 100): Span[] {
    const count = Math.min(Math.max(0, Math.floor(n) || 0), this.#size);
    const out = new Array<Span>(count);
    for (let i = 0; i < count; i++) {
      out[i] = this.#ring[(this.#head + this.#size - 1 - i) % this.#max]!;
    }
    return out;
  }

  /** Failed spans, newest first. */
  getErrors(): Span[] {
    const out: Span[] = [];
    this.#errors.forEach(0, (slot) => out.push(this.#ring[slot]!));
    return out.reverse();
  }

  /** Spans that took at least `thresholdMs`, slowest first. */
  getSlow(thresholdMs: number): Span[] {
    const out: Span[] = [];
    for (let b = bucketOf(thresholdMs); b < BUCKETS; b++) {
      this.#byDuration.forEach(b, (slot) => {
        const span = this.#ring[slot]!;
        if (span.duration >= thresholdMs) out.push(span);
      });
    }
    return out.sort((a, b) => b.duration - a.duration);
  }

  /** Every kept span of one trace, in the order they ended. */
  getTrace(traceId: string): Span[] {
    const out: Span[] = [];
    let slot = this.#byTrace.get(traceId);
    while (slot !== undefined) {
      out.push(this.#ring[slot]!);
      const prev = this.#prevInTrace[slot]!;
      slot = prev >= 0 && this.#seqOfSlot[prev] === this.#prevSeq[slot] ? prev : undefined;
    }
    return out.reverse();
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
      bytes: this.#bytes,
      sampledOut: this.#sampledOut,
      listenerErrors: this.#listenerErrors,
    };
  }

  /** Removes every span (counters and subscribers stay). */
  clear(): void {
    this.#ring.fill(undefined);
    this.#head = 0;
    this.#size = 0;
    this.#bytes = 0;
    this.#errors.clear();
    this.#byDuration.clear();
    this.#byTrace.clear();
  }

  #index(span: Span, slot: number): void {
    this.#seqOfSlot[slot] = ++this.#seq;
    if (span.status === 'error') this.#errors.append(0, slot);
    this.#byDuration.append(bucketOf(span.duration), slot);
    const prev = this.#byTrace.get(span.traceId);
    if (prev === undefined) this.#prevInTrace[slot] = -1;
    else {
      this.#prevInTrace[slot] = prev;
      this.#prevSeq[slot] = this.#seqOfSlot[prev]!;
    }
    this.#byTrace.set(span.traceId, slot);
  }

  /** Evicts the oldest kept span (by count or by bytes). */
  #evictOldest(): void {
    const slot = this.#head;
    this.#unindex(slot);
    this.#bytes -= this.#weights[slot]!;
    this.#ring[slot] = undefined;
    this.#head = (this.#head + 1) % this.#max;
    this.#size--;
    this.#evicted++;
  }

  /** Drops the span in `slot` (the oldest one, about to be overwritten) from every index. */
  #unindex(slot: number): void {
    this.#errors.removeFront(slot);
    this.#byDuration.removeFront(slot);
    this.#byTrace.deleteSlot(slot);
  }
}
