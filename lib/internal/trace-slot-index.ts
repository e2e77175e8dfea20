/**
 * The TraceStore's trace-id index: trace id -> the ring slot of that trace's newest kept span, as an
 * open-addressing hash table (linear probing, backward-shift deletion) in typed arrays. Keys are not
 * stored: a slot's key is read back from the span in it (`keyOf`), so the table holds no pointers.
 *
 * Why not a `Map<string, …>`: benchmarks/traced-overhead.ts measured a Map keyed by fresh trace-id
 * strings, churned once per call over 10,000 retained spans, at about 0.7 µs per recorded call on the
 * 2-core benchmark machine (young-generation GC work on the table's pointers); this table costs a
 * few array reads.
 */

const EMPTY = -1;

/** Hash of a hex trace id: its last 8 hex digits (random for generated ids). */
function hashOf(traceId: string): number {
  let h = 0;
  const end = traceId.length;
  for (let i = Math.max(0, end - 8); i < end; i++) h = (Math.imul(h, 31) + traceId.charCodeAt(i)) | 0;
  return h;
}

/** @internal Trace id -> slot, for at most `capacity` distinct trace ids. */
export class TraceSlotIndex {
  readonly #slots: Int32Array;
  readonly #hashes: Int32Array;
  /** The hash each ring slot was stored under, so removing a slot reads no span (an evicted one is cold). */
  readonly #hashOfSlot: Int32Array;
  readonly #mask: number;
  readonly #keyOf: (slot: number) => string;

  /** `keyOf(slot)` returns the trace id of the span in `slot`. */
  constructor(capacity: number, keyOf: (slot: number) => string) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.#slots = new Int32Array(size).fill(EMPTY);
    this.#hashes = new Int32Array(size);
    this.#hashOfSlot = new Int32Array(capacity);
    this.#mask = size - 1;
    this.#keyOf = keyOf;
  }

  #find(traceId: string, hash: number): number {
    for (let i = hash & this.#mask; ; i = (i + 1) & this.#mask) {
      const slot = this.#slots[i]!;
      if (slot === EMPTY) return ~i;
      if (this.#hashes[i] === hash && this.#keyOf(slot) === traceId) return i;
    }
  }

  /** The slot stored for `traceId`, or undefined. */
  get(traceId: string): number | undefined {
    const at = this.#find(traceId, hashOf(traceId));
    return at >= 0 ? this.#slots[at] : undefined;
  }

  /** Stores `slot` for `traceId` (replacing any previous one). */
  set(traceId: string, slot: number): void {
    const hash = hashOf(traceId);
    const found = this.#find(traceId, hash);
    const at = found >= 0 ? found : ~found;
    this.#slots[at] = slot;
    this.#hashes[at] = hash;
    this.#hashOfSlot[slot] = hash;
  }

  /** Removes the entry holding `slot`, if any (its trace's newest span may be a later slot). */
  deleteSlot(slot: number): void {
    const hash = this.#hashOfSlot[slot]!;
    let i = hash & this.#mask;
    for (; this.#slots[i] !== slot; i = (i + 1) & this.#mask) if (this.#slots[i] === EMPTY) return;
    // Backward-shift deletion: pull later entries of the probe run into the hole.
    for (let j = (i + 1) & this.#mask; this.#slots[j] !== EMPTY; j = (j + 1) & this.#mask) {
      const home = this.#hashes[j]! & this.#mask;
      const between = i <= j ? i < home && home <= j : i < home || home <= j;
      if (between) continue;
      this.#slots[i] = this.#slots[j]!;
      this.#hashes[i] = this.#hashes[j]!;
      i = j;
    }
    this.#slots[i] = EMPTY;
  }

  /** Removes every entry. */
  clear(): void {
    this.#slots.fill(EMPTY);
  }
}
