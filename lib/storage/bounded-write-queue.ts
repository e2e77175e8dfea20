/**
 * The store's write backlog: a `p-queue` with concurrency 1 (one file operation at a time, in
 * order) in front of a bounded list of pending batches. When the disk is slower than the traffic
 * and the list is full, the OLDEST pending batch is dropped (handed to `onDrop` to be counted) and
 * the new one takes its place: memory stays bounded and `push` never blocks or throws.
 */
import PQueue from 'p-queue';

/** Writes one batch; must not reject (failures are counted by the caller). */
export type BatchWriter<T> = (batch: T) => Promise<void>;

/** A bounded, drop-oldest, one-at-a-time write queue. */
export class BoundedWriteQueue<T> {
  readonly #queue = new PQueue({ concurrency: 1 });
  readonly #pending: T[] = [];
  readonly #max: number;
  readonly #write: BatchWriter<T>;
  readonly #onDrop: (batch: T) => void;

  /**
   * @param maxPending most batches waiting (the one being written is not counted)
   * @param write writes one batch, one call at a time
   * @param onDrop told about each batch dropped to make room
   */
  constructor(maxPending: number, write: BatchWriter<T>, onDrop: (batch: T) => void) {
    this.#max = maxPending;
    this.#write = write;
    this.#onDrop = onDrop;
  }

  /** Queues `batch`; drops the oldest waiting batch when full. Never blocks, never throws. */
  push(batch: T): void {
    if (this.#pending.length >= this.#max) {
      // The queued task that would have written the dropped batch writes the next one instead,
      // so p-queue holds exactly one task per pending batch.
      this.#onDrop(this.#pending.shift()!);
      this.#pending.push(batch);
      return;
    }
    this.#pending.push(batch);
    void this.#queue.add(() => this.#writeNext());
  }

  /** Runs `task` in order with the batch writes (for housekeeping that must not interleave with them). */
  run(task: () => Promise<void>): Promise<void> {
    return this.#queue.add(task);
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

  async #writeNext(): Promise<void> {
    const batch = this.#pending.shift();
    if (batch !== undefined) await this.#write(batch);
  }
}
