/**
 * FIFO lists threaded through the slots of a ring buffer, kept in typed arrays: the TraceStore's
 * per-duration-bucket and error indexes. The store evicts strictly oldest-first, so an evicted slot
 * is always the front of the one list holding it and leaves in O(1).
 *
 * Why typed arrays and not Sets or arrays of spans: benchmarks/traced-overhead.ts showed pointer-
 * holding indexes over 10,000 retained spans making every young-generation GC scan and copy them
 * (about 2 µs per recorded call on the 2-core benchmark machine); slot numbers in typed arrays hold
 * no pointers, so the GC never looks at them.
 */

const NONE = -1;

/** @internal Several FIFO lists of ring slots. A slot is in at most one list at a time. */
export class SlotLists {
  readonly #next: Int32Array;
  readonly #listOf: Int32Array;
  readonly #head: Int32Array;
  readonly #tail: Int32Array;

  constructor(slots: number, lists: number) {
    this.#next = new Int32Array(slots).fill(NONE);
    this.#listOf = new Int32Array(slots).fill(NONE);
    this.#head = new Int32Array(lists).fill(NONE);
    this.#tail = new Int32Array(lists).fill(NONE);
  }

  /** Appends `slot` to the back of `list`. */
  append(list: number, slot: number): void {
    this.#next[slot] = NONE;
    this.#listOf[slot] = list;
    const tail = this.#tail[list]!;
    if (tail === NONE) this.#head[list] = slot;
    else this.#next[tail] = slot;
    this.#tail[list] = slot;
  }

  /**
   * Takes `slot` out of its list, if it is in one; it must be that list's front (the oldest entry),
   * which oldest-first eviction guarantees. Returns false (and changes nothing) otherwise.
   */
  removeFront(slot: number): boolean {
    const list = this.#listOf[slot]!;
    if (list === NONE || this.#head[list] !== slot) return false;
    const next = this.#next[slot]!;
    this.#head[list] = next;
    if (next === NONE) this.#tail[list] = NONE;
    this.#listOf[slot] = NONE;
    return true;
  }

  /** Calls `visit` with every slot of `list`, oldest first. */
  forEach(list: number, visit: (slot: number) => void): void {
    for (let slot = this.#head[list]!; slot !== NONE; slot = this.#next[slot]!) visit(slot);
  }

  /** Empties every list. */
  clear(): void {
    this.#next.fill(NONE);
    this.#listOf.fill(NONE);
    this.#head.fill(NONE);
    this.#tail.fill(NONE);
  }
}
