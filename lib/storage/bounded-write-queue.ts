/**
 * The store's write backlog: a `p-queue` with concurrency 1 (one file operation at a time, in
 * order) in front of a bounded list of pending batches. When the disk is slower than the traffic
 * and the list is full, the OLDEST pending batch is dropped (handed to `onDrop` to be counted) and
 * the new one takes its place. The list is bounded by count and, when a size function is given, by
 * bytes too (payloads vary: one batch of captured prompts can weigh a thousand of metadata), so
 * memory stays bounded and `push` never blocks or throws.
 */
import PQueue from 'p-queue';

/** Writes one batch; must not reject (failures are counted by the caller). */
export type BatchWriter<T> = (batch: T) => Promise<void>;

/** The byte bound of a queue: the most bytes waiting, and how to weigh a batch. */
export interface ByteBound<T> {
  /** Most bytes waiting (the newest batch is always kept, even when it alone is larger). */
  maxBytes: number;
  /** The weight of a batch, bytes. */
  sizeOf: (batch: T) => number;
}

/** A bounded, drop-oldest, one-at-a-time write queue. */
export class BoundedWriteQueue<T> {
  readonly #queue = new PQueue({ concurrency: 1 });
  readonly #pending: T[] = [];
  readonly #max: number;
  readonly #write: BatchWriter<T>;
  readonly #onDrop: (batch: T) => void;
  readonly #bytes: ByteBound<T> | undefined;
  #pendingBytes = 0;
  #tasks = 0;

  /**
   * @param maxPending most batches waiting (the one being written is not counted)
   * @param write writes one batch, one call at a time
   * @param onDrop told about each batch dropped to make room
   * @param bytes optional byte bound of the batches waiting
   */
  constructor(maxPending: number, write: BatchWriter<T>, onDrop: (batch: T) => void, bytes?: ByteBound<T>) {
    this.#max = maxPending;
    this.#write = write;
    this.#onDrop = onDrop;
    this.#bytes = bytes;
  }

  /** Queues `batch`; drops the oldest waiting batches when full. Never blocks, never throws. */
  push(batch: T): void {
    if (this.#bytes) {
      const size = this.#bytes.sizeOf(batch);
      // Drop whole oldest batches until the new one fits.
      while (this.#pending.length > 0 && this.#pendingBytes + size > this.#bytes.maxBytes) this.#drop();
      this.#pendingBytes += size;
    }
    if (this.#pending.length >= this.#max) this.#drop();
    this.#pending.push(batch);
    // One queued task per waiting batch at most: a task whose batch was dropped writes a later one.
    if (this.#tasks < this.#pending.length) {
      this.#tasks++;
      void this.#queue.add(() => this.#writeNext());
    }
  }

  /** Runs `task` in order with the batch writes (for housekeeping that must not interleave with them). */
  run(task: () => Promise<void>): Promise<void> {
    return this.#queue.add(task);
  }

  /** Bytes of the batches waiting (0 without a byte bound). */
  get pendingBytes(): number {
    return this.#pendingBytes;
  }

  /** Batches waiting (not counting one being written). */
  get pending(): readonly T[] {
    return this.#pending;
  }

  /**
   * Removes and returns every waiting batch, oldest first (for a synchronous write at process
   * exit); the queued tasks that would have written them find nothing to do.
   */
  drain(): T[] {
    return this.#pending.splice(0, this.#pending.length);
  }

  /** Resolves when every queued batch has been written (or has failed). */
  onIdle(): Promise<void> {
    return this.#queue.onIdle();
  }

  /** Drops the oldest waiting batch (the queue must not be empty). */
  #drop(): void {
    const batch = this.#pending.shift()!;
    if (this.#bytes) this.#pendingBytes -= this.#bytes.sizeOf(batch);
    this.#onDrop(batch);
  }

  async #writeNext(): Promise<void> {
    this.#tasks--;
    const batch = this.#pending.shift();
    if (batch === undefined) return;
    if (this.#bytes) this.#pendingBytes -= this.#bytes.sizeOf(batch);
    await this.#write(batch);
  }
}
