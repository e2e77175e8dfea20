/**
 * The first `k` items of a sequence in a given order, without sorting it all: a bounded max-heap
 * holds the best `k` seen so far, so most items cost one comparison with its worst (O(n log k) at
 * worst, against O(n log n) for a sort). The trace listing serves the first pages of an order it
 * has not sorted yet this way (a page of 100 rows sorted by duration out of 100,000 traces,
 * benchmarks/dashboard-server.ts `traces.page_100_rows_max_ms`).
 */

/** The `k` first items of `items` in the order of `compare`, in that order (fewer when `items` holds fewer). */
export function firstInOrder<T>(items: Iterable<T>, k: number, compare: (a: T, b: T) => number): T[] {
  // heap[0] is the worst of the best k: the max-heap is ordered by `compare`, largest at the root.
  const heap: T[] = [];
  const above = (i: number, j: number): boolean => compare(heap[i]!, heap[j]!) > 0;
  const swap = (i: number, j: number): void => {
    const t = heap[i]!;
    heap[i] = heap[j]!;
    heap[j] = t;
  };
  for (const item of items) {
    if (heap.length < k) {
      heap.push(item);
      for (let i = heap.length - 1; i > 0 && above(i, (i - 1) >> 1); i = (i - 1) >> 1) swap(i, (i - 1) >> 1);
    } else if (k > 0 && compare(item, heap[0]!) < 0) {
      heap[0] = item;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let top = i;
        if (l < heap.length && above(l, top)) top = l;
        if (r < heap.length && above(r, top)) top = r;
        if (top === i) break;
        swap(i, top);
        i = top;
      }
    }
  }
  return heap.sort(compare);
}
