/**
 * The slowest spans of a stream, bounded: a min-heap of the top N keeps memory at N spans however
 * many are read (the across-processes `store.getSlow()`). Pure.
 */
import type { SpanData } from '../span.js';

/** Keeps the `limit` slowest spans seen. */
export class SlowestSpans {
  readonly #limit: number;
  readonly #heap: SpanData[] = [];

  /** @param limit how many to keep (a positive integer). */
  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new TypeError(`llmtrace: limit must be a positive integer, got ${String(limit)} (${typeof limit})`);
    this.#limit = limit;
  }

  /** Offers one span. */
  add(span: SpanData): void {
    const heap = this.#heap;
    if (heap.length < this.#limit) {
      heap.push(span);
      this.#up(heap.length - 1);
    } else if (span.duration > heap[0]!.duration) {
      heap[0] = span;
      this.#down(0);
    }
  }

  /** The kept spans, slowest first. */
  result(): SpanData[] {
    return [...this.#heap].sort((a, b) => b.duration - a.duration);
  }

  #up(i: number): void {
    const heap = this.#heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.duration <= heap[i]!.duration) return;
      [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
      i = parent;
    }
  }

  #down(i: number): void {
    const heap = this.#heap;
    for (;;) {
      let smallest = i;
      for (const child of [2 * i + 1, 2 * i + 2]) {
        if (child < heap.length && heap[child]!.duration < heap[smallest]!.duration) smallest = child;
      }
      if (smallest === i) return;
      [heap[smallest], heap[i]] = [heap[i]!, heap[smallest]!];
      i = smallest;
    }
  }
}

/** The `limit` slowest of `spans`, slowest first. */
export function slowestSpans(spans: Iterable<SpanData>, limit: number): SpanData[] {
  const slowest = new SlowestSpans(limit);
  for (const span of spans) slowest.add(span);
  return slowest.result();
}
