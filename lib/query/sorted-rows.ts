/**
 * An array kept in one order as its items change a few at a time (the trace listing keeps one per
 * sort the Traces page asked for). Changes are only noted (`changed`: the new items; the replaced
 * and deleted ones are told apart by `isLive`) and applied when the order is next read: the live
 * items stay, the new ones are sorted and merged in, which costs one pass over the array, not a sort
 * of everything, and an order nobody reads costs almost nothing (once more items were added than it
 * holds, the gone ones are dropped and it is sorted afresh at its next read, so an unread order
 * never holds more than twice its live items). So a new span in a 100,000-trace listing
 * does not make the next page request sort 100,000 rows again, nor update orders it does not use
 * (benchmarks/dashboard-server.ts, `traces.page_100_rows_p95_ms`).
 */

/** Items in the order of `compare`, brought up to date when read. */
export class SortedRows<T> {
  readonly #compare: (a: T, b: T) => number;
  readonly #isLive: (item: T) => boolean;
  #items: T[];
  /** Items added since the order was last read. */
  #added: T[] = [];
  /** Whether some item may have gone (been replaced or deleted) since the order was last read. */
  #stale = false;
  /** Whether `#items` lost its order (compacted with the added items unread) and must be sorted. */
  #unsorted = false;

  /**
   * Sorts `items` (copied) once.
   * @param compare a total order (ties broken), so merging in equals a fresh sort.
   * @param isLive false for an item that was replaced or deleted: it leaves the order at the next read.
   */
  constructor(items: Iterable<T>, compare: (a: T, b: T) => number, isLive: (item: T) => boolean) {
    this.#compare = compare;
    this.#isLive = isLive;
    this.#items = [...items].sort(compare);
  }

  /** Notes a change: `added` are the new items; items no longer live go at the next read. */
  changed(added: readonly T[]): void {
    for (const item of added) this.#added.push(item);
    this.#stale = true;
    if (this.#added.length <= this.#items.length) return;
    this.#items = [...this.#items, ...this.#added].filter(this.#isLive);
    this.#added = [];
    this.#unsorted = true;
  }

  /** Items held, live or gone (what the order costs in memory): at most twice the live ones. */
  get held(): number {
    return this.#items.length + this.#added.length;
  }

  /** The live items in order (read-only: the array is replaced, not changed, by later reads). */
  get items(): readonly T[] {
    if (this.#unsorted) {
      this.#items = this.#items.filter(this.#isLive).sort(this.#compare);
      this.#unsorted = false;
    }
    if (!this.#stale) return this.#items;
    const incoming = this.#added.filter(this.#isLive).sort(this.#compare);
    const out: T[] = [];
    let next = 0;
    for (const item of this.#items) {
      if (!this.#isLive(item)) continue;
      while (next < incoming.length && this.#compare(incoming[next]!, item) < 0) out.push(incoming[next++]!);
      out.push(item);
    }
    while (next < incoming.length) out.push(incoming[next++]!);
    this.#items = out;
    this.#added = [];
    this.#stale = false;
    return out;
  }
}
