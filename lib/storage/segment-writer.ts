/**
 * Writes records of one kind (spans, summaries or evaluations) into this process's segment files,
 * by appending (the line layout, segment-lines.ts): the first batch of a segment creates it
 * atomically (temp file, fsync, rename), each later batch is written at the offset where the open
 * tail began (write-at.ts), so one flush costs the bytes of its batch, never those of the segment
 * or the store (benchmarks/store-flush.ts). A segment holds one time window and at most
 * `maxRecords` records / about `maxBytes` bytes; at most two segments (the current window and the
 * one before, for late records) are open. A segment the writer is done with (full, pushed out, or
 * at shutdown: `sealAll`) is sealed: its tail gets the trace-id index and the seal.
 *
 * The lines of each open segment are kept in memory (about `maxBytes` a segment), so a segment
 * whose file went away (a deleted directory: the writer heals it) or whose last append failed
 * midway is written again whole and atomically, and the exit path can take over an append under
 * way with the same bytes.
 */
import { join } from 'node:path';
import { errorCode, type StorageFileSystem } from './fs-facade.js';
import { writeFileAtomic } from './atomic-write.js';
import { writeAtSync, writeFileAtomicSync } from './atomic-write-sync.js';
import { writeAt } from './write-at.js';
import { segmentFileName, type SegmentKind, type SegmentRecords } from './layout.js';
import { OPEN_TAIL, OPEN_TAIL_BYTES, sealedTail, segmentHead } from './segment-lines.js';

/** Size limits of one segment. */
export interface SegmentLimits {
  maxRecords: number;
  maxBytes: number;
}

/** A segment this writer may still append to. */
interface OpenSegment {
  readonly path: string;
  readonly windowStart: number;
  /** Its first line. */
  readonly head: string;
  /** Its record lines as written, one string per batch. */
  readonly chunks: string[];
  records: number;
  /** Byte offset of the open tail: the file's size less OPEN_TAIL_BYTES. */
  tailAt: number;
  readonly traceIds: Set<string>;
  /** Whether the file holds exactly `head`, `chunks` and the open tail (false: the next write rewrites it whole). */
  onDisk: boolean;
}

/** A batch's lines, ready to write into one segment. */
interface Lines {
  text: string;
  bytes: number;
  /** Records in `text`. */
  count: number;
  /** Records JSON could not hold (left out). */
  dropped: number;
  traceIds: string[];
}

const MAX_OPEN_SEGMENTS = 2;

/** The lines of `records[from, from + count)`; the first starts without a comma when the segment has no record yet. */
function linesOf<K extends SegmentKind>(records: readonly SegmentRecords[K][], from: number, count: number, first: boolean): Lines {
  let text = '';
  let written = 0;
  let dropped = 0;
  const traceIds: string[] = [];
  for (let i = from; i < from + count; i++) {
    const record = records[i]!;
    let json: string | undefined;
    try {
      json = JSON.stringify(record);
    } catch {
      json = undefined; // a BigInt, a cycle, a throwing toJSON: this record alone is left out
    }
    if (json === undefined) {
      dropped++;
      continue;
    }
    text += first && written === 0 ? `${json}\n` : `,${json}\n`;
    written++;
    const traceId = (record as { traceId?: unknown }).traceId;
    if (typeof traceId === 'string') traceIds.push(traceId);
  }
  return { text, bytes: Buffer.byteLength(text, 'utf8'), count: written, dropped, traceIds };
}

/** The whole file of `segment` with `lines` appended. */
function wholeText(segment: OpenSegment, lines: Lines): string {
  return `${segment.head}${segment.chunks.join('')}${lines.text}${OPEN_TAIL}`;
}

/** Appends records of kind `K` to this process's segment files in one directory. */
/** An async append in progress: which of its records are placed, and the write in flight, if any. */
interface AppendUnderWay<K extends SegmentKind> {
  readonly windowStart: number;
  readonly records: readonly SegmentRecords[K][];
  /** The first record not yet handed to a write. */
  next: number;
  /** The lines being written to `segment` (set until the write lands). */
  writing: { segment: OpenSegment; lines: Lines } | undefined;
}

export class SegmentWriter<K extends SegmentKind> {
  readonly #fs: StorageFileSystem;
  readonly #dir: string;
  readonly #kind: K;
  readonly #instance: string;
  readonly #limits: SegmentLimits;
  readonly #onRotate: () => void;
  readonly #heal: (() => Promise<void>) | undefined;
  readonly #open = new Map<number, OpenSegment>();
  #seq = 0;
  #grown = 0;
  /**
   * The async append under way, from its start to its return: its records from `next` on are not
   * placed yet, and `writing` is set while `lines` are being written to `segment`. Kept across every
   * await of the append (sealing a full segment, opening the next), so a takeover at process exit
   * places the rest of a batch that crosses a segment boundary.
   */
  #current: AppendUnderWay<K> | undefined;
  /** Set by `takeOverSync()`: the async append under way stops touching anything. */
  #final = false;

  /**
   * @param onRotate told when a segment is full (retention may run)
   * @param heal recreates the store's directories; called when a write finds them gone (ENOENT),
   *   then the write is retried once, so a directory deleted while running loses nothing after it
   */
  constructor(
    fs: StorageFileSystem,
    dir: string,
    kind: K,
    instance: string,
    limits: SegmentLimits,
    onRotate: () => void,
    heal?: () => Promise<void>,
  ) {
    this.#heal = heal;
    this.#fs = fs;
    this.#dir = dir;
    this.#kind = kind;
    this.#instance = instance;
    this.#limits = limits;
    this.#onRotate = onRotate;
  }

  /** Bytes the segment files written by this writer have grown by, in total (the disk bound counts them). */
  get bytesGrown(): number {
    return this.#grown;
  }

  /** Paths of the segments still being appended to (retention must not delete them). */
  openPaths(): string[] {
    return [...this.#open.values()].map((segment) => segment.path);
  }

  /**
   * Appends `records` (all of window `windowStart`) and writes them out, starting new segments as
   * they fill. Resolves to the number of records dropped because JSON could not hold them (the
   * others are written). On failure the records not yet written are forgotten and the error is
   * rethrown; records already on disk stay.
   */
  async append(windowStart: number, records: readonly SegmentRecords[K][]): Promise<number> {
    let unserialisable = 0;
    const current: AppendUnderWay<K> = { windowStart, records, next: 0, writing: undefined };
    this.#current = current;
    try {
      while (current.next < records.length) {
        const segment = await this.#segmentFor(windowStart);
        if (this.#final) return unserialisable; // the records from `next` on are placed by takeOverSync()
        const take = Math.min(records.length - current.next, this.#limits.maxRecords - segment.records);
        const lines = linesOf(records, current.next, take, segment.records === 0);
        unserialisable += lines.dropped;
        current.next += take;
        if (lines.count === 0) continue;
        current.writing = { segment, lines };
        try {
          await this.#write(segment, lines);
        } catch (error) {
          if (this.#final) return unserialisable;
          this.#forgetIfEmpty(segment);
          throw error;
        }
        if (this.#final) return unserialisable; // written again, in full, by takeOverSync()
        current.writing = undefined;
        this.#commit(segment, lines);
        const full = this.#isFull(segment);
        if (full || this.#open.get(windowStart) !== segment) {
          await this.#seal(segment); // full, or a late window pushed out at once
          if (this.#final) return unserialisable;
          if (full) this.#onRotate();
        }
      }
      return unserialisable;
    } finally {
      if (this.#current === current) this.#current = undefined;
    }
  }

  /**
   * Seals every open segment (its tail gets the trace-id index and the seal), as at shutdown: a
   * sealed segment is final for retention and indexed for readers. Never rejects: a segment that
   * cannot be sealed stays whole, only without its index.
   */
  async sealAll(): Promise<void> {
    for (const segment of [...this.#open.values()]) await this.#seal(segment);
  }

  /** The synchronous twin of `sealAll`, for process exit. Never throws. */
  sealAllSync(): void {
    for (const segment of [...this.#open.values()]) this.#sealSync(segment);
  }

  /**
   * For process exit: takes over from the async append under way, if any, synchronously. The
   * segment it was writing is written again, whole and atomically, with the lines under way (so
   * whichever write lands last, the file is the same; an append that opened the file before lands
   * on the replaced one), is closed for writing, its records not yet placed go to new segments, and
   * the async append stops. Afterwards only `appendSync` writes. Throws on I/O failure.
   */
  takeOverSync(): void {
    this.#final = true;
    const current = this.#current;
    this.#current = undefined;
    if (!current) return;
    const writing = current.writing;
    if (writing) {
      writeFileAtomicSync(writing.segment.path, wholeText(writing.segment, writing.lines));
      if (this.#open.get(current.windowStart) === writing.segment) this.#open.delete(current.windowStart);
    }
    this.appendSync(current.windowStart, current.records.slice(current.next));
  }

  /**
   * Appends `records` (all of window `windowStart`) and writes them synchronously, like `append`.
   * Used at process exit, after `takeOverSync()`. A record JSON cannot hold (a BigInt, a cycle) is
   * dropped alone; returns how many were. On I/O failure the records not yet written are forgotten
   * and the error is rethrown.
   */
  appendSync(windowStart: number, records: readonly SegmentRecords[K][]): number {
    let at = 0;
    let dropped = 0;
    while (at < records.length) {
      const segment = this.#segmentForSync(windowStart);
      const take = Math.min(records.length - at, this.#limits.maxRecords - segment.records);
      const lines = linesOf(records, at, take, segment.records === 0);
      dropped += lines.dropped;
      at += take;
      if (lines.count === 0) continue;
      try {
        this.#writeSync(segment, lines);
      } catch (error) {
        this.#forgetIfEmpty(segment);
        throw error;
      }
      this.#commit(segment, lines);
      if (this.#isFull(segment) || this.#open.get(windowStart) !== segment) this.#sealSync(segment);
    }
    return dropped;
  }

  /**
   * Writes `lines` into `segment`: in place at its tail when the file is as the writer left it,
   * else (new, gone, or a failed append) the whole segment atomically; heals a missing directory
   * and retries once.
   */
  async #write(segment: OpenSegment, lines: Lines): Promise<void> {
    if (segment.onDisk) {
      segment.onDisk = false; // until this append is known to have landed whole
      try {
        await writeAt(this.#fs, segment.path, `${lines.text}${OPEN_TAIL}`, segment.tailAt);
        segment.onDisk = true;
        this.#grown += lines.bytes;
        return;
      } catch (error) {
        if (errorCode(error) !== 'ENOENT') throw error; // the next append rewrites the segment whole
      }
    }
    const text = wholeText(segment, lines);
    try {
      await writeFileAtomic(this.#fs, segment.path, text);
    } catch (error) {
      if (errorCode(error) !== 'ENOENT' || !this.#heal) throw error;
      await this.#heal();
      await writeFileAtomic(this.#fs, segment.path, text);
    }
    segment.onDisk = true;
    this.#grown += Buffer.byteLength(text, 'utf8') - (segment.records === 0 ? 0 : segment.tailAt + OPEN_TAIL_BYTES);
  }

  /** The synchronous twin of `#write` (the directories are set up by the caller). */
  #writeSync(segment: OpenSegment, lines: Lines): void {
    if (segment.onDisk) {
      segment.onDisk = false;
      try {
        writeAtSync(segment.path, `${lines.text}${OPEN_TAIL}`, segment.tailAt);
        segment.onDisk = true;
        this.#grown += lines.bytes;
        return;
      } catch (error) {
        if (errorCode(error) !== 'ENOENT') throw error;
      }
    }
    const text = wholeText(segment, lines);
    writeFileAtomicSync(segment.path, text);
    segment.onDisk = true;
    this.#grown += Buffer.byteLength(text, 'utf8') - (segment.records === 0 ? 0 : segment.tailAt + OPEN_TAIL_BYTES);
  }

  /** Records `lines` as part of `segment` once they are on disk. */
  #commit(segment: OpenSegment, lines: Lines): void {
    segment.chunks.push(lines.text);
    segment.records += lines.count;
    if (segment.records === lines.count) segment.tailAt = Buffer.byteLength(segment.head, 'utf8');
    segment.tailAt += lines.bytes;
    for (const id of lines.traceIds) segment.traceIds.add(id);
  }

  #isFull(segment: OpenSegment): boolean {
    return segment.records >= this.#limits.maxRecords || segment.tailAt + OPEN_TAIL_BYTES >= this.#limits.maxBytes;
  }

  /** Forgets a segment no record of which reached the disk. */
  #forgetIfEmpty(segment: OpenSegment): void {
    if (segment.records === 0 && this.#open.get(segment.windowStart) === segment) this.#open.delete(segment.windowStart);
  }

  /** Closes `segment` for writing and writes its sealed tail (best effort: unsealed, it is still whole). */
  async #seal(segment: OpenSegment): Promise<void> {
    if (this.#open.get(segment.windowStart) === segment) this.#open.delete(segment.windowStart);
    if (!segment.onDisk || this.#final) return;
    const tail = sealedTail(this.#kind, segment.traceIds);
    try {
      await writeAt(this.#fs, segment.path, tail, segment.tailAt);
      this.#grown += Buffer.byteLength(tail, 'utf8') - OPEN_TAIL_BYTES;
    } catch {
      // Unsealed, the segment is still whole: it only lacks its index.
    }
  }

  /** The open segment of `windowStart`, or a new one (sealing the oldest open one when too many are open). */
  async #segmentFor(windowStart: number): Promise<OpenSegment> {
    const { segment, evicted } = this.#openSegment(windowStart);
    if (evicted) await this.#seal(evicted);
    return segment;
  }

  #segmentForSync(windowStart: number): OpenSegment {
    const { segment, evicted } = this.#openSegment(windowStart);
    if (evicted) this.#sealSync(evicted);
    return segment;
  }

  /** The synchronous twin of `#seal`. */
  #sealSync(segment: OpenSegment): void {
    if (this.#open.get(segment.windowStart) === segment) this.#open.delete(segment.windowStart);
    if (!segment.onDisk) return;
    const tail = sealedTail(this.#kind, segment.traceIds);
    try {
      writeAtSync(segment.path, tail, segment.tailAt);
      this.#grown += Buffer.byteLength(tail, 'utf8') - OPEN_TAIL_BYTES;
    } catch {
      // Unsealed, the segment is still whole: it only lacks its index.
    }
  }

  /**
   * The open segment of `windowStart`, or a new one; when that makes too many open, the oldest
   * window is pushed out (`evicted`, to seal; undefined when the new segment is itself the oldest:
   * it is sealed after its one write).
   */
  #openSegment(windowStart: number): { segment: OpenSegment; evicted: OpenSegment | undefined } {
    const existing = this.#open.get(windowStart);
    if (existing) return { segment: existing, evicted: undefined };
    this.#seq++;
    const segment: OpenSegment = {
      path: join(this.#dir, segmentFileName(windowStart, this.#instance, this.#seq)),
      windowStart,
      head: segmentHead(this.#kind, this.#instance, windowStart),
      chunks: [],
      records: 0,
      tailAt: 0,
      traceIds: new Set(),
      onDisk: false,
    };
    this.#open.set(windowStart, segment);
    let evicted: OpenSegment | undefined;
    if (this.#open.size > MAX_OPEN_SEGMENTS) {
      const oldest = this.#open.get(Math.min(...this.#open.keys()))!;
      this.#open.delete(oldest.windowStart);
      if (oldest !== segment) evicted = oldest;
    }
    return { segment, evicted };
  }
}
