/**
 * Writes records of one kind (spans or summaries) into this process's segment files. Each segment
 * is a lowdb `Low` document over a `JsonFileAdapter`: records are appended in memory and the whole
 * (small) file is rewritten atomically. A segment holds one time window and at most
 * `maxRecords` records / about `maxBytes` bytes, so one flush costs in proportion to its batch,
 * never to what the store holds. At most two segments (the current window and the one before,
 * for late records) are kept open. A span or evaluation segment carries its trace-id index (segment-index.ts),
 * brought up to date before every write, so index and records land in the same atomic rewrite.
 */
import { join } from 'node:path';
import { Low } from 'lowdb';
import { errorCode, type StorageFileSystem } from './fs-facade.js';
import { JsonFileAdapter } from './json-file-adapter.js';
import { traceIdsOf } from './segment-index.js';
import { isJsonable } from './storable-span.js';
import { writeFileAtomicSync } from './atomic-write-sync.js';
import {
  isSegmentDoc,
  SEGMENT_FORMAT,
  segmentFileName,
  STORE_SCHEMA_VERSION,
  type SegmentDoc,
  type SegmentKind,
  type SegmentRecords,
} from './layout.js';

/** Size limits of one segment. */
export interface SegmentLimits {
  maxRecords: number;
  maxBytes: number;
}

interface OpenSegment<K extends SegmentKind> {
  readonly db: Low<SegmentDoc<K>>;
  readonly adapter: JsonFileAdapter<SegmentDoc<K>>;
}

const MAX_OPEN_SEGMENTS = 2;

/** Whether JSON can hold `record` (no BigInt, no cycle, no throwing toJSON). */
function hasJson(record: unknown): boolean {
  try {
    JSON.stringify(record);
    return true;
  } catch {
    return false;
  }
}

/** Brings a span or evaluation segment's trace-id index up to date with its records (summaries have none); returns `doc`. */
function indexed<K extends SegmentKind>(doc: SegmentDoc<K>): SegmentDoc<K> {
  if (doc.traceIds) doc.traceIds = traceIdsOf(doc.records as readonly { traceId?: string }[]);
  return doc;
}

/** Appends records of kind `K` to this process's segment files in one directory. */
export class SegmentWriter<K extends SegmentKind> {
  readonly #fs: StorageFileSystem;
  readonly #dir: string;
  readonly #kind: K;
  readonly #instance: string;
  readonly #limits: SegmentLimits;
  readonly #onRotate: () => void;
  readonly #heal: (() => Promise<void>) | undefined;
  readonly #open = new Map<number, OpenSegment<K>>();
  #seq = 0;
  #grown = 0;
  /** The async append under way: its records from `next` on are not in a segment yet. */
  #current: { windowStart: number; records: readonly SegmentRecords[K][]; next: number; segment: OpenSegment<K> } | undefined;
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
    return [...this.#open.values()].map((segment) => segment.adapter.path);
  }

  /**
   * Appends `records` (all of window `windowStart`) and writes them out, starting new segments as
   * they fill. Resolves to the number of records dropped because JSON could not hold them (the
   * others are written). On failure the records not yet written are removed from memory and the
   * error is rethrown; records already on disk stay.
   */
  async append(windowStart: number, records: readonly SegmentRecords[K][]): Promise<number> {
    let at = 0;
    let unserialisable = 0;
    while (at < records.length) {
      const segment = this.#segmentFor(windowStart);
      const held = segment.db.data.records;
      const before = held.length;
      const take = Math.min(records.length - at, this.#limits.maxRecords - before);
      for (let i = 0; i < take; i++) held.push(records[at + i]!);
      this.#current = { windowStart, records, next: at + take, segment };
      try {
        unserialisable += await this.#write(segment, before);
      } catch (error) {
        if (this.#final) return unserialisable;
        this.#current = undefined;
        held.length = before;
        if (before === 0) this.#open.delete(windowStart);
        throw error;
      }
      if (this.#final) return unserialisable; // written again, in full, by takeOverSync()
      this.#current = undefined;
      at += take;
      if (held.length >= this.#limits.maxRecords || segment.adapter.lastWrittenLength >= this.#limits.maxBytes) {
        this.#open.delete(windowStart);
        this.#onRotate();
      }
    }
    return unserialisable;
  }

  /**
   * For process exit: takes over from the async append under way, if any, synchronously. The
   * segment it was writing is written again with the same content (so whichever write lands last,
   * the file is the same), its records not yet placed go to new segments, and the async append
   * stops. Afterwards only `appendSync` writes. Throws on I/O failure.
   */
  takeOverSync(): void {
    this.#final = true;
    const current = this.#current;
    this.#current = undefined;
    if (!current) return;
    writeFileAtomicSync(current.segment.adapter.path, JSON.stringify(indexed(current.segment.db.data)));
    if (this.#open.get(current.windowStart) === current.segment) this.#open.delete(current.windowStart);
    this.appendSync(current.windowStart, current.records.slice(current.next));
  }

  /**
   * Appends `records` (all of window `windowStart`) and writes them synchronously, like `append`.
   * Used at process exit, after `takeOverSync()`. A record JSON cannot hold (a BigInt, a cycle) is
   * dropped alone; returns how many were. On I/O failure the records not yet written are removed
   * from memory and the error is rethrown.
   */
  appendSync(windowStart: number, records: readonly SegmentRecords[K][]): number {
    let at = 0;
    let dropped = 0;
    while (at < records.length) {
      const segment = this.#segmentFor(windowStart);
      const held = segment.db.data.records;
      const before = held.length;
      const take = Math.min(records.length - at, this.#limits.maxRecords - before);
      for (let i = 0; i < take; i++) held.push(records[at + i]!);
      let length: number;
      try {
        let text: string;
        try {
          text = JSON.stringify(indexed(segment.db.data));
        } catch {
          // JSON cannot hold a record appended now: drop those records alone, as the async path does.
          const kept = held.splice(before).filter(hasJson);
          dropped += take - kept.length;
          held.push(...kept);
          text = JSON.stringify(indexed(segment.db.data));
        }
        writeFileAtomicSync(segment.adapter.path, text);
        length = text.length;
      } catch (error) {
        held.length = before;
        if (before === 0) this.#open.delete(windowStart);
        throw error;
      }
      at += take;
      if (held.length >= this.#limits.maxRecords || length >= this.#limits.maxBytes) this.#open.delete(windowStart);
    }
    return dropped;
  }

  /**
   * Writes `segment`; heals a missing directory and retries once; when JSON cannot hold a record
   * appended since `from`, drops those records alone and retries. Resolves to the records dropped.
   */
  async #write(segment: OpenSegment<K>, from: number): Promise<number> {
    const before = segment.adapter.lastWrittenLength;
    try {
      return await this.#writeOrRepair(segment, from);
    } finally {
      this.#grown += segment.adapter.lastWrittenLength - before;
    }
  }

  async #writeOrRepair(segment: OpenSegment<K>, from: number): Promise<number> {
    try {
      indexed(segment.db.data);
      await segment.db.write();
      return 0;
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT' && this.#heal) {
        await this.#heal();
        await segment.db.write();
        return 0;
      }
      if (code !== undefined) throw error;
      const held = segment.db.data.records;
      const kept = held.slice(from).filter(isJsonable);
      const dropped = held.length - from - kept.length;
      if (dropped === 0) throw error;
      held.length = from;
      held.push(...kept);
      indexed(segment.db.data);
      await segment.db.write();
      return dropped;
    }
  }

  #segmentFor(windowStart: number): OpenSegment<K> {
    const existing = this.#open.get(windowStart);
    if (existing) return existing;
    this.#seq++;
    const path = join(this.#dir, segmentFileName(windowStart, this.#instance, this.#seq));
    const adapter = new JsonFileAdapter(this.#fs, path, isSegmentDoc(this.#kind));
    const doc: SegmentDoc<K> = {
      format: SEGMENT_FORMAT,
      schemaVersion: STORE_SCHEMA_VERSION,
      kind: this.#kind,
      instance: this.#instance,
      windowStart,
      ...(this.#kind === 'summaries' ? {} : { traceIds: [] }),
      records: [],
      complete: true,
    };
    const segment = { db: new Low(adapter, doc), adapter };
    this.#open.set(windowStart, segment);
    if (this.#open.size > MAX_OPEN_SEGMENTS) this.#open.delete(Math.min(...this.#open.keys()));
    return segment;
  }
}
