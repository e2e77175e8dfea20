/**
 * The JSON file store: a `SpanExporter` that keeps finished, sampled-in spans and window summaries
 * in a local directory for the CLI and dashboard (layout in `layout.ts`, docs/storage.md).
 *
 * Guarantees: `export` and `writeSummaries` only queue (never block, never throw); writes run one
 * at a time through a bounded backlog that drops the oldest batch when the disk falls behind;
 * segments are appended to (a crash can cut only the last line short, see segment-lines.ts) and
 * every other file write is atomic, all `0600`; each process writes only its own segment files, so
 * processes sharing a directory lose nothing; a corrupt file is moved aside, never overwritten;
 * I/O failures are counted and reported once, never thrown into the traced program; pending data
 * is flushed at exit (beforeExit, SIGTERM, SIGINT), and written synchronously on `exit`
 * (`flushSync`: after `process.exit()`, an uncaught exception, a crashing rejection). The store heals
 * itself: a directory deleted while running is recreated on the next write, and a span JSON cannot
 * hold costs only its bad attributes (or itself), never its batch. The backlog is bounded in batches
 * and in bytes, and the disk bound is kept before every write. Only files provably llmtrace's are
 * ever deleted or renamed (ownership.ts). See docs/storage.md, "Faults: what you see, what is kept".
 */
import { checkBoolean, checkNonEmptyString, positiveInteger } from '../internal/validate.js';
import { hostname } from 'node:os';
import { Low } from 'lowdb';
import { join, resolve } from 'node:path';
import { debug, reportInternalError, warnOnce } from '../internal/diagnostics.js';
import { onExit } from '../internal/exit-hooks.js';
import { suppressTracing } from '../context.js';
import type { SpanExporter } from '../export/span-exporter.js';
import type { Span, SpanData } from '../span.js';
import type { WindowSummary } from '../aggregator/window-summary.js';
import type { EvaluationRecord } from '../evaluations/types.js';
import { writeFileAtomic } from './atomic-write.js';
import { mkdirOwnedSync, writeFileAtomicSync } from './atomic-write-sync.js';
import { existsSync } from 'node:fs';
import { BoundedWriteQueue } from './bounded-write-queue.js';
import { errorCode, nodeFileSystem, type StorageFileSystem } from './fs-facade.js';
import { checkStoreAtStart, enforceRetention } from './housekeeping.js';
import { SegmentCatalog } from './segment-catalog.js';
import { JsonFileAdapter } from './json-file-adapter.js';
import {
  DEFAULT_MAX_SEGMENT_BYTES,
  DEFAULT_MAX_SEGMENT_RECORDS,
  DEFAULT_MAX_STORE_BYTES,
  DEFAULT_RETENTION_MS,
  DEFAULT_SEGMENT_WINDOW_MS,
  DEFAULT_STORE_DIR,
  isStoreMeta,
  type StoreMeta,
  META_FILE,
  META_FORMAT,
  newInstanceId,
  PROCESS_FORMAT,
  PROCESSES_DIR,
  SEGMENT_DIRS,
  STORE_SCHEMA_VERSION,
  windowStartOf,
  type ProcessRecord,
  type SegmentKind,
  type SegmentRecords,
} from './layout.js';
import { SegmentWriter } from './segment-writer.js';
import { storableSpan } from './storable-span.js';
import { reportForeignFile } from './ownership.js';
import { ensurePrivateDir } from './private-dir.js';
import { jsonSize } from '../json-size.js';
import { checkOptions } from '../internal/option-schemas.js';

/** Most batches waiting for the disk before the oldest is dropped. */
export const DEFAULT_MAX_PENDING_BATCHES = 64;

/**
 * Most bytes (JSON size of the records) waiting for the disk before the oldest batches are
 * dropped: with captured content one batch can weigh megabytes (see benchmarks/memory-capture-full.ts).
 */
export const DEFAULT_MAX_PENDING_BYTES = 16 * 1024 * 1024;

/**
 * Delay between a segment rotation and the retention pass it triggers: retention lists every
 * segment name (and stats what changed), so it runs later, apart from the flush (see
 * benchmarks/store-flush.ts).
 */
export const RETENTION_DELAY_MS = 2_000;

/**
 * When a write would take the store past `maxStoreBytes`, retention first deletes the oldest
 * segments down to this fraction of it (less the incoming batch), so passes stay rare.
 */
export const DISK_LOW_WATERMARK = 0.9;

/** Most session ids remembered in this process's record. */
export const MAX_TRACKED_SESSIONS = 1_000;

/** Options of the JSON file store. */
export interface FileStoreOptions {
  /**
   * The store directory (created `0700` when missing). Use `fileStoreOptionsFromEnv()` to take it
   * from `LLMTRACE_DIR`.
   * @default './.llmtrace' (DEFAULT_STORE_DIR, resolved against the working directory)
   */
  dir?: string;
  /**
   * Most batches waiting for the disk; beyond it the OLDEST is dropped and counted.
   * @default 64 (DEFAULT_MAX_PENDING_BATCHES)
   */
  maxPendingBatches?: number;
  /**
   * Most bytes (JSON size of the records) waiting for the disk; beyond it the OLDEST batches are
   * dropped and counted.
   * @default 16777216 (DEFAULT_MAX_PENDING_BYTES, 16 MiB)
   */
  maxPendingBytes?: number;
  /**
   * Time window of a segment file, ms.
   * @default 3600000 (DEFAULT_SEGMENT_WINDOW_MS, one hour)
   */
  segmentWindowMs?: number;
  /**
   * Records per segment file before a new one is started.
   * @default 1000 (DEFAULT_MAX_SEGMENT_RECORDS)
   */
  maxSegmentRecords?: number;
  /**
   * Approximate bytes per segment file before a new one is started.
   * @default 1048576 (DEFAULT_MAX_SEGMENT_BYTES)
   */
  maxSegmentBytes?: number;
  /**
   * Segment files older than this are deleted, ms.
   * @default 604800000 (DEFAULT_RETENTION_MS, 7 days)
   */
  retentionMs?: number;
  /**
   * Total bytes of segment files above which the oldest are deleted.
   * @default 536870912 (DEFAULT_MAX_STORE_BYTES, 512 MiB)
   */
  maxStoreBytes?: number;
  /**
   * Flush pending writes at process exit (beforeExit, SIGTERM, SIGINT).
   * @default true
   */
  flushOnExit?: boolean;
  /**
   * The file-system seam (tests inject faults through it).
   * @default nodeFileSystem
   */
  fs?: StorageFileSystem;
}

/** Counters of a file store. */
export interface FileStoreStats {
  /** Absolute store directory. */
  dir: string;
  /** This process's instance id (in its segment file names). */
  instance: string;
  /** Batches waiting for the disk. */
  pendingBatches: number;
  /** Spans in those batches (not yet flushed). */
  pendingSpans: number;
  /** Spans written. */
  writtenSpans: number;
  /** Summaries written. */
  writtenSummaries: number;
  /** Evaluations (decisions and scores) written. */
  writtenEvaluations: number;
  /** Batches dropped because the backlog was full. */
  droppedBatches: number;
  /** Spans in those batches. */
  droppedSpans: number;
  /** Bytes (JSON size) of the spans and summaries in those batches. */
  droppedBytes: number;
  /** Bytes (JSON size) of the records waiting for the disk. */
  pendingBytes: number;
  /** Spans dropped alone because JSON could not hold them, even without their bad attributes. */
  unserialisableSpans: number;
  /** Attributes removed from spans because JSON could not hold them (the spans were kept). */
  droppedAttributes: number;
  /** Times the store directory was found deleted and recreated. */
  dirRecreated: number;
  /** Spans whose write failed (disk full, unwritable, ...). */
  failedSpans: number;
  /** Summaries whose write failed. */
  failedSummaries: number;
  /** Evaluations whose write failed. */
  failedEvaluations: number;
  /** Evaluations in batches dropped because the backlog was full. */
  droppedEvaluations: number;
  /** Spans handed over after shutdown (ignored). */
  rejectedAfterShutdown: number;
  /** Files moved aside as corrupt (cut short) by this store's retention passes. */
  corruptMovedAside: number;
}

type PendingBatch = { [K in SegmentKind]: { kind: K; records: SegmentRecords[K][]; bytes: number } }[SegmentKind];

interface ResolvedOptions {
  dir: string;
  maxPendingBatches: number;
  maxPendingBytes: number;
  segmentWindowMs: number;
  maxSegmentRecords: number;
  maxSegmentBytes: number;
  retentionMs: number;
  maxStoreBytes: number;
  flushOnExit: boolean;
  fs: StorageFileSystem;
}

/**
 * @internal Validates file-store options and applies defaults. Throws a TypeError naming the option
 * when one is invalid; does no I/O (startTracing checks options with it before starting anything).
 */
export function resolveOptions(options: FileStoreOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`llmtrace: file store options must be an object, got ${String(options)} (${typeof options})`);
  }
  if (options.dir !== undefined) checkNonEmptyString(options.dir, 'dir');
  if (options.flushOnExit !== undefined) checkBoolean(options.flushOnExit, 'flushOnExit');
  const fs = options.fs ?? nodeFileSystem;
  if (typeof fs !== 'object' || typeof fs.open !== 'function' || typeof fs.rename !== 'function') {
    throw new TypeError('llmtrace: fs must implement StorageFileSystem (see nodeFileSystem)');
  }
  return {
    dir: resolve(options.dir ?? DEFAULT_STORE_DIR),
    maxPendingBatches: positiveInteger(options.maxPendingBatches, 'maxPendingBatches', DEFAULT_MAX_PENDING_BATCHES),
    maxPendingBytes: positiveInteger(options.maxPendingBytes, 'maxPendingBytes', DEFAULT_MAX_PENDING_BYTES),
    segmentWindowMs: positiveInteger(options.segmentWindowMs, 'segmentWindowMs', DEFAULT_SEGMENT_WINDOW_MS),
    maxSegmentRecords: positiveInteger(options.maxSegmentRecords, 'maxSegmentRecords', DEFAULT_MAX_SEGMENT_RECORDS),
    maxSegmentBytes: positiveInteger(options.maxSegmentBytes, 'maxSegmentBytes', DEFAULT_MAX_SEGMENT_BYTES),
    retentionMs: positiveInteger(options.retentionMs, 'retentionMs', DEFAULT_RETENTION_MS),
    maxStoreBytes: positiveInteger(options.maxStoreBytes, 'maxStoreBytes', DEFAULT_MAX_STORE_BYTES),
    flushOnExit: options.flushOnExit ?? true,
    fs,
  };
}

/** The JSON file store exporter. Create it with `createFileStore` or `openFileStore`. */
export class FileStore implements SpanExporter {
  /** Absolute store directory. */
  readonly dir: string;
  /** This process's instance id. */
  readonly instance = newInstanceId();
  /** `export` only queues in the bounded backlog and never rejects (see SpanExporter). */
  readonly buffersLocally = true;
  readonly #options: ResolvedOptions;
  readonly #fs: StorageFileSystem;
  readonly #queue: BoundedWriteQueue<PendingBatch>;
  readonly #spans: SegmentWriter<'spans'>;
  readonly #summaries: SegmentWriter<'summaries'>;
  readonly #evaluations: SegmentWriter<'evaluations'>;
  readonly #process: ProcessRecord;
  readonly #sessions = new Set<string>();
  #processDirty = true;
  #ready: Promise<void> | undefined;
  #opened: Promise<void> | undefined;
  #housekeeping: Promise<void> = Promise.resolve();
  /** The segment catalog, loaded by the first retention pass. */
  #catalog: Promise<SegmentCatalog> | undefined;
  /** Bytes of segment files on disk, as of the last retention pass plus this process's growth since; undefined before the first pass. */
  #diskBytes: number | undefined;
  #retentionTimer: NodeJS.Timeout | undefined;
  #shutdown: Promise<void> | undefined;
  #removeExitHook: (() => void) | undefined;
  /**
   * The batch the async path is writing: `group` is the index of the group last handed to a
   * segment writer (-1: none yet), `counted` how many groups are counted as written.
   */
  #writing: { batch: PendingBatch; group: number; counted: number } | undefined;
  /** Set by the first `flushSync()`: from then on every write is synchronous. */
  #final = false;
  readonly #stats = {
    writtenSpans: 0,
    writtenSummaries: 0,
    writtenEvaluations: 0,
    droppedBatches: 0,
    droppedSpans: 0,
    droppedBytes: 0,
    unserialisableSpans: 0,
    droppedAttributes: 0,
    dirRecreated: 0,
    failedSpans: 0,
    failedSummaries: 0,
    failedEvaluations: 0,
    droppedEvaluations: 0,
    rejectedAfterShutdown: 0,
    corruptMovedAside: 0,
  };

  /** @throws TypeError naming the option when an option is invalid. Does no I/O. */
  constructor(options: FileStoreOptions = {}) {
    checkOptions('FileStore', options);
    this.#options = resolveOptions(options);
    this.dir = this.#options.dir;
    this.#fs = this.#options.fs;
    const limits = { maxRecords: this.#options.maxSegmentRecords, maxBytes: this.#options.maxSegmentBytes };
    const rotate = (): void => this.#scheduleRetention();
    const heal = (): Promise<void> => this.#heal();
    this.#spans = new SegmentWriter(this.#fs, join(this.dir, SEGMENT_DIRS.spans), 'spans', this.instance, limits, rotate, heal);
    this.#summaries = new SegmentWriter(
      this.#fs,
      join(this.dir, SEGMENT_DIRS.summaries),
      'summaries',
      this.instance,
      limits,
      rotate,
      heal,
    );
    const evaluationsDir = join(this.dir, SEGMENT_DIRS.evaluations);
    this.#evaluations = new SegmentWriter(this.#fs, evaluationsDir, 'evaluations', this.instance, limits, rotate, heal);
    this.#queue = new BoundedWriteQueue(
      this.#options.maxPendingBatches,
      (batch) => this.#write(batch),
      (batch) => this.#countDropped(batch),
      { maxBytes: this.#options.maxPendingBytes, sizeOf: (batch) => batch.bytes },
    );
    this.#process = {
      format: PROCESS_FORMAT,
      instance: this.instance,
      pid: process.pid,
      hostname: hostname(),
      startedAt: new Date().toISOString(),
      lastWriteAt: null,
      sessions: [],
    };
    if (this.#options.flushOnExit) {
      this.#removeExitHook = onExit('file-store', () => this.#flushAtExit(), () => this.flushSync());
    }
  }

  /**
   * Creates the directory (an existing one is tightened to `0700`) and `meta.json`, removes stale
   * llmtrace temp files and runs a retention pass (which moves llmtrace's own cut-short segments
   * aside). Reads what changed since the last pass, not every file: see segment-catalog.ts.
   * Idempotent; never rejects (failures are reported, and writes retry the setup).
   */
  open(): Promise<void> {
    this.#opened ??= (async () => {
      await this.#ensureReady().catch((error: unknown) => reportInternalError('storage.open', error));
      await checkStoreAtStart(this.#fs, this.dir);
      this.#runRetention();
      await this.#housekeeping;
    })();
    return this.#opened;
  }

  /**
   * Queues finished spans (sampled-in ones) for writing. A span whose attributes JSON cannot hold
   * loses those attributes (or, failing that, is dropped alone); counted in `stats()`. Resolves at
   * once; never rejects.
   */
  export(spans: readonly Span[]): Promise<void> {
    try {
      const records: SpanData[] = [];
      let bytes = 0;
      for (const span of spans) {
        if (!span.sampled) continue;
        const storable = storableSpan(() => span.toJSON());
        if (storable === undefined) {
          this.#countUnserialisable(1);
          continue;
        }
        if (storable.droppedAttributes > 0) this.#countDroppedAttributes(storable.droppedAttributes);
        records.push(storable.record);
        bytes += storable.bytes;
      }
      this.#enqueue({ kind: 'spans', records, bytes });
    } catch (error) {
      reportInternalError('storage.export', error);
    }
    return Promise.resolve();
  }

  /** Queues window summaries (from the aggregator) for writing. Never blocks or throws. */
  writeSummaries(summaries: readonly WindowSummary[]): void {
    try {
      this.#enqueue({ kind: 'summaries', records: [...summaries], bytes: jsonSize(summaries)?.bytes ?? 0 });
    } catch (error) {
      reportInternalError('storage.summaries', error);
    }
  }

  /**
   * Queues evaluation records (from `recordEvaluation` and `score`, already redacted) for writing.
   * Never blocks or throws.
   */
  writeEvaluations(records: readonly EvaluationRecord[]): void {
    try {
      // Evaluations arrive one at a time: they join the last waiting evaluation batch (not yet being
      // written), so a burst costs one segment write and one backlog slot, not one per record.
      const bytes = jsonSize(records)?.bytes ?? 0;
      const last = this.#queue.pending.at(-1);
      if (!this.#shutdown && last?.kind === 'evaluations' && last.records.length < this.#options.maxSegmentRecords) {
        // Its weight stays what the queue counted at enqueue (the queue subtracts that same figure);
        // a joined batch is bounded by maxSegmentRecords instead.
        last.records.push(...records);
        return;
      }
      this.#enqueue({ kind: 'evaluations', records: [...records], bytes });
    } catch (error) {
      reportInternalError('storage.evaluations', error);
    }
  }

  /** Writes `spans` synchronously (with everything still pending): the exporter seam's exit path. Never throws. */
  exportSync(spans: readonly Span[]): void {
    void this.export(spans);
    this.flushSync();
  }

  /**
   * Writes everything pending synchronously, including a write under way, and seals the segments
   * written: for process exit, where no promise settles any more. From the first call on, the store
   * writes only synchronously (the async path stops). Repeatable; never throws. Does nothing when a custom `fs` seam is in use
   * (the synchronous writes go to `node:fs` directly).
   */
  flushSync(): void {
    if (this.#fs !== nodeFileSystem) return;
    suppressTracing(() => {
      if (!this.#final) {
        this.#final = true;
        this.#takeOverSync();
      }
      // One write per segment: the waiting batches are merged by kind first.
      const spans: SpanData[] = [];
      const summaries: WindowSummary[] = [];
      const evaluations: EvaluationRecord[] = [];
      for (const batch of this.#queue.drain()) {
        if (batch.kind === 'spans') spans.push(...batch.records);
        else if (batch.kind === 'summaries') summaries.push(...batch.records);
        else evaluations.push(...batch.records);
      }
      if (spans.length > 0) this.#writeBatchSync({ kind: 'spans', records: spans, bytes: 0 }, 0);
      if (summaries.length > 0) this.#writeBatchSync({ kind: 'summaries', records: summaries, bytes: 0 }, 0);
      if (evaluations.length > 0) this.#writeBatchSync({ kind: 'evaluations', records: evaluations, bytes: 0 }, 0);
      this.#spans.sealAllSync();
      this.#summaries.sealAllSync();
      this.#evaluations.sealAllSync();
      if (this.#processDirty) this.#writeProcessRecordSync();
    });
  }

  /** Writes everything queued so far. Awaitable, idempotent; never rejects. */
  async flush(): Promise<void> {
    await this.#queue.onIdle();
  }

  /** Same as `flush()` (the `SpanExporter` name). */
  forceFlush(): Promise<void> {
    return this.flush();
  }

  /**
   * Flushes, seals this process's segments (each gets its trace-id index, and retention treats it
   * as final), finishes housekeeping and stops accepting data. Idempotent; never rejects.
   */
  shutdown(): Promise<void> {
    this.#shutdown ??= (async () => {
      this.#removeExitHook?.();
      await this.flush();
      await this.#queue.run(async () => {
        await suppressTracing(() => this.#sealAll());
        await this.#writeProcessRecord(true);
      });
      if (this.#retentionTimer) {
        clearTimeout(this.#retentionTimer);
        this.#retentionTimer = undefined;
        this.#runRetention();
      }
      await this.#housekeeping;
    })();
    return this.#shutdown;
  }

  /** Counters since creation. */
  stats(): FileStoreStats {
    let pendingSpans = 0;
    for (const batch of this.#queue.pending) if (batch.kind === 'spans') pendingSpans += batch.records.length;
    return {
      dir: this.dir,
      instance: this.instance,
      pendingBatches: this.#queue.pending.length,
      pendingSpans,
      pendingBytes: this.#queue.pendingBytes,
      ...this.#stats,
    };
  }

  #enqueue(batch: PendingBatch): void {
    if (batch.records.length === 0) return;
    if (this.#shutdown) {
      this.#stats.rejectedAfterShutdown += batch.records.length;
      return;
    }
    this.#queue.push(batch);
  }

  #countDropped(batch: PendingBatch): void {
    this.#stats.droppedBatches++;
    if (batch.kind === 'spans') this.#stats.droppedSpans += batch.records.length;
    if (batch.kind === 'evaluations') this.#stats.droppedEvaluations += batch.records.length;
    this.#stats.droppedBytes += batch.bytes;
    warnOnce('storage.backlog-full', 'llmtrace: file store backlog full, dropping the oldest batch (counted in stats())', {
      maxPendingBatches: this.#options.maxPendingBatches,
      maxPendingBytes: this.#options.maxPendingBytes,
    });
  }

  #countUnserialisable(spans: number): void {
    this.#stats.unserialisableSpans += spans;
    warnOnce('storage.unserialisable-span', 'llmtrace: a span JSON cannot hold was dropped alone (counted in stats())', {
      dir: this.dir,
    });
  }

  #countDroppedAttributes(attributes: number): void {
    this.#stats.droppedAttributes += attributes;
    warnOnce('storage.unserialisable-attribute', 'llmtrace: attributes JSON cannot hold (BigInt, cycle, throwing toJSON) were left out of a stored span', {
      dir: this.dir,
    });
  }

  /** Recreates the store directory found deleted while running (called by the segment writers and the process record). */
  async #heal(): Promise<void> {
    this.#ready = undefined;
    this.#processDirty = true;
    this.#stats.dirRecreated++;
    warnOnce('storage.dir-recreated', 'llmtrace: the store directory was deleted while running; recreated it', { dir: this.dir });
    await this.#ensureReady();
  }

  async #write(batch: PendingBatch): Promise<void> {
    if (this.#final) {
      this.#writeBatchSync(batch, 0); // p-queue may start a task as it is added, after flushSync
      return;
    }
    this.#writing = { batch, group: -1, counted: 0 };
    try {
      await suppressTracing(async () => {
        await this.#ensureReady();
        await this.#keepDiskBound(batch.bytes);
        const grownBefore = this.#bytesGrown();
        try {
          if (batch.kind === 'spans') await this.#writeSpans(batch.records);
          else if (batch.kind === 'summaries') await this.#writeSummaries(batch.records);
          else await this.#writeEvaluations(batch.records);
        } finally {
          if (this.#diskBytes !== undefined) this.#diskBytes += this.#bytesGrown() - grownBefore;
        }
        if (this.#final) return;
        this.#writing = undefined;
        await this.#writeProcessRecord(false);
      });
    } catch (error) {
      if (this.#final) return;
      this.#writing = undefined;
      if (batch.kind === 'spans') this.#stats.failedSpans += batch.records.length;
      else if (batch.kind === 'summaries') this.#stats.failedSummaries += batch.records.length;
      else this.#stats.failedEvaluations += batch.records.length;
      reportInternalError('storage.write', error);
    }
  }

  async #writeSpans(records: SpanData[]): Promise<void> {
    for (const [index, [windowStart, group]] of groupByWindow(records, spanTime, this.#options.segmentWindowMs).entries()) {
      if (this.#final) return;
      this.#writing!.group = index;
      const unserialisable = await this.#spans.append(windowStart, group);
      if (this.#final) return;
      if (unserialisable > 0) this.#countUnserialisable(unserialisable);
      this.#stats.writtenSpans += group.length - unserialisable;
      this.#writing!.counted = index + 1;
    }
    for (const record of records) {
      const session = record.scopes.session;
      if (session !== undefined && !this.#sessions.has(session)) this.#rememberSession(session);
    }
  }

  async #writeSummaries(records: WindowSummary[]): Promise<void> {
    for (const [index, [windowStart, group]] of groupByWindow(records, summaryTime, this.#options.segmentWindowMs).entries()) {
      if (this.#final) return;
      this.#writing!.group = index;
      const unserialisable = await this.#summaries.append(windowStart, group);
      if (this.#final) return;
      this.#stats.writtenSummaries += group.length - unserialisable;
      this.#stats.failedSummaries += unserialisable;
      this.#writing!.counted = index + 1;
    }
  }

  async #writeEvaluations(records: EvaluationRecord[]): Promise<void> {
    for (const [index, [windowStart, group]] of groupByWindow(records, evaluationTime, this.#options.segmentWindowMs).entries()) {
      if (this.#final) return;
      this.#writing!.group = index;
      const unserialisable = await this.#evaluations.append(windowStart, group);
      if (this.#final) return;
      this.#stats.writtenEvaluations += group.length - unserialisable;
      this.#stats.failedEvaluations += unserialisable;
      this.#writing!.counted = index + 1;
    }
  }

  /**
   * The first synchronous flush: sets the directory up, completes the segment write under way
   * (same content again, its unplaced records to new segments) and writes the rest of the batch the
   * async path was on.
   */
  #takeOverSync(): void {
    const writing = this.#writing;
    this.#writing = undefined;
    try {
      this.#setUpSync();
      this.#spans.takeOverSync();
      this.#summaries.takeOverSync();
      this.#evaluations.takeOverSync();
    } catch (error) {
      if (writing) this.#countFailed(writing.batch.kind, this.#recordsFrom(writing.batch, writing.counted));
      reportInternalError('storage.write-sync', error);
      return;
    }
    if (!writing) return;
    // The group last handed to a segment writer is complete now (written, or taken over just above).
    if (writing.group >= 0) this.#countWritten(writing.batch, writing.counted, writing.group + 1);
    this.#writeBatchSync(writing.batch, writing.group + 1);
  }

  /** Records in the groups of `batch` from index `from` on. */
  #recordsFrom(batch: PendingBatch, from: number): number {
    let count = 0;
    const groups = this.#groupsOf(batch);
    for (let i = from; i < groups.length; i++) count += groups[i]![1].length;
    return count;
  }

  /** The window groups of a batch, oldest first (deterministic: the async and sync paths agree). */
  #groupsOf(batch: PendingBatch): [number, (SpanData | WindowSummary | EvaluationRecord)[]][] {
    if (batch.kind === 'spans') return groupByWindow(batch.records, spanTime, this.#options.segmentWindowMs);
    if (batch.kind === 'summaries') return groupByWindow(batch.records, summaryTime, this.#options.segmentWindowMs);
    return groupByWindow(batch.records, evaluationTime, this.#options.segmentWindowMs);
  }

  /** Writes the groups of `batch` from index `from` on, synchronously; counts and reports failures. */
  #writeBatchSync(batch: PendingBatch, from: number): void {
    const groups = this.#groupsOf(batch);
    let at = from;
    try {
      this.#setUpSync();
      for (; at < groups.length; at++) {
        const [windowStart, group] = groups[at]!;
        const dropped =
          batch.kind === 'spans'
            ? this.#spans.appendSync(windowStart, group as SpanData[])
            : batch.kind === 'summaries'
              ? this.#summaries.appendSync(windowStart, group as WindowSummary[])
              : this.#evaluations.appendSync(windowStart, group as EvaluationRecord[]);
        this.#countWritten(batch, at, at + 1);
        if (dropped > 0) {
          // Counted as failed, not written: JSON could not hold them.
          if (batch.kind === 'spans') this.#stats.writtenSpans -= dropped;
          else if (batch.kind === 'summaries') this.#stats.writtenSummaries -= dropped;
          else this.#stats.writtenEvaluations -= dropped;
          this.#countFailed(batch.kind, dropped);
        }
      }
    } catch (error) {
      this.#countFailed(batch.kind, this.#recordsFrom(batch, at));
      reportInternalError('storage.write-sync', error);
    }
  }

  /** Counts groups `[from, to)` of `batch` as written (and remembers their sessions). */
  #countWritten(batch: PendingBatch, from: number, to: number): void {
    const groups = this.#groupsOf(batch);
    for (let i = from; i < to && i < groups.length; i++) {
      const group = groups[i]![1];
      if (batch.kind === 'summaries') {
        this.#stats.writtenSummaries += group.length;
        continue;
      }
      if (batch.kind === 'evaluations') {
        this.#stats.writtenEvaluations += group.length;
        continue;
      }
      this.#stats.writtenSpans += group.length;
      for (const record of group as SpanData[]) {
        const session = record.scopes.session;
        if (session !== undefined && !this.#sessions.has(session)) this.#rememberSession(session);
      }
    }
  }

  #countFailed(kind: SegmentKind, count: number): void {
    if (kind === 'spans') this.#stats.failedSpans += count;
    else if (kind === 'summaries') this.#stats.failedSummaries += count;
    else this.#stats.failedEvaluations += count;
  }

  /** The synchronous twin of `#setUp` (directories, `meta.json` when missing). */
  #setUpSync(): void {
    mkdirOwnedSync(this.dir);
    for (const sub of [...Object.values(SEGMENT_DIRS), PROCESSES_DIR]) mkdirOwnedSync(join(this.dir, sub));
    const meta = join(this.dir, META_FILE);
    if (!existsSync(meta)) {
      writeFileAtomicSync(meta, JSON.stringify({ format: META_FORMAT, schemaVersion: STORE_SCHEMA_VERSION, createdAt: new Date().toISOString() }));
    }
  }

  /** The synchronous twin of `#writeProcessRecord`. Never throws. */
  #writeProcessRecordSync(): void {
    try {
      this.#process.lastWriteAt = new Date().toISOString();
      this.#process.sessions = [...this.#sessions];
      writeFileAtomicSync(join(this.dir, PROCESSES_DIR, `${this.instance}.json`), JSON.stringify(this.#process));
      this.#processDirty = false;
    } catch (error) {
      reportInternalError('storage.process-record', error);
    }
  }

  #rememberSession(session: string): void {
    this.#sessions.add(session);
    if (this.#sessions.size > MAX_TRACKED_SESSIONS) this.#sessions.delete(this.#sessions.values().next().value!);
    this.#processDirty = true;
  }

  /** Creates directories, meta.json and the process record once; a failure is retried on the next write. */
  #ensureReady(): Promise<void> {
    this.#ready ??= this.#setUp().catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  async #setUp(): Promise<void> {
    await ensurePrivateDir(this.#fs, this.dir);
    for (const sub of [...Object.values(SEGMENT_DIRS), PROCESSES_DIR]) {
      await ensurePrivateDir(this.#fs, join(this.dir, sub));
    }
    const adapter = new JsonFileAdapter(this.#fs, join(this.dir, META_FILE), isStoreMeta);
    const fresh: StoreMeta = { format: META_FORMAT, schemaVersion: STORE_SCHEMA_VERSION, createdAt: new Date().toISOString() };
    const meta = new Low<StoreMeta>(adapter, fresh);
    await meta.read(); // keeps `fresh` when there is no meta.json yet
    if (adapter.lastReadWasCorrupt) {
      reportForeignFile(adapter.path, 'meta.json is not an llmtrace store file; left as it is, not rewritten');
    } else if (meta.data === fresh) {
      await meta.write();
    }
    debug('llmtrace: file store ready', { dir: this.dir, instance: this.instance });
  }

  async #writeProcessRecord(force: boolean): Promise<void> {
    if (!this.#processDirty && !force) return;
    try {
      await this.#ensureReady();
      this.#process.lastWriteAt = new Date().toISOString();
      this.#process.sessions = [...this.#sessions];
      const path = join(this.dir, PROCESSES_DIR, `${this.instance}.json`);
      await writeFileAtomic(this.#fs, path, JSON.stringify(this.#process)).catch(async (error: unknown) => {
        if (errorCode(error) !== 'ENOENT') throw error;
        await this.#heal();
        await writeFileAtomic(this.#fs, path, JSON.stringify(this.#process));
      });
      this.#processDirty = false;
    } catch (error) {
      reportInternalError('storage.process-record', error);
    }
  }

  /** Schedules a retention pass RETENTION_DELAY_MS from now (one at a time; the timer is unref'd). */
  #scheduleRetention(): void {
    if (this.#retentionTimer) return;
    this.#retentionTimer = setTimeout(() => {
      this.#retentionTimer = undefined;
      this.#runRetention();
    }, RETENTION_DELAY_MS);
    this.#retentionTimer.unref();
  }

  /** Runs retention on the housekeeping chain, apart from the write queue. Never rejects. */
  #runRetention(): void {
    this.#housekeeping = this.#housekeeping.then(() => suppressTracing(() => this.#retain(this.#options.maxStoreBytes)));
  }

  /**
   * Keeps the disk bound while running: before a write of about `incoming` bytes that would take
   * the store past `maxStoreBytes` (or before the first write, when no pass has counted the store
   * yet), runs retention inline, on the write queue, down to the low watermark.
   */
  async #keepDiskBound(incoming: number): Promise<void> {
    const max = this.#options.maxStoreBytes;
    if (this.#diskBytes === undefined) await this.#retain(max - incoming);
    else if (this.#diskBytes + incoming > max) await this.#retain(Math.floor(max * DISK_LOW_WATERMARK) - incoming);
  }

  /** One retention pass down to `maxBytes` (segments being written are kept); updates the disk estimate. */
  async #retain(maxBytes: number): Promise<void> {
    const protect = new Set([...this.#spans.openPaths(), ...this.#summaries.openPaths(), ...this.#evaluations.openPaths()]);
    const limits = { maxAgeMs: this.#options.retentionMs, maxBytes: Math.max(0, maxBytes) };
    const grownBefore = this.#bytesGrown();
    this.#catalog ??= SegmentCatalog.load(this.#fs, this.dir);
    const result = await enforceRetention(this.#fs, this.dir, limits, protect, await this.#catalog);
    this.#stats.corruptMovedAside += result.movedAside;
    this.#diskBytes = result.remainingBytes + (this.#bytesGrown() - grownBefore);
  }

  /** Seals this process's open segments (at shutdown): final for retention, indexed for readers. */
  async #sealAll(): Promise<void> {
    if (this.#final) return;
    await this.#spans.sealAll();
    await this.#summaries.sealAll();
    await this.#evaluations.sealAll();
  }

  #bytesGrown(): number {
    return this.#spans.bytesGrown + this.#summaries.bytesGrown + this.#evaluations.bytesGrown;
  }

  async #flushAtExit(): Promise<void> {
    const before = this.stats();
    if (before.pendingSpans > 0 || before.droppedSpans > 0 || before.failedSpans > 0) {
      warnOnce('storage.exit', 'llmtrace: file store flushing at exit', {
        dir: this.dir,
        pendingSpans: before.pendingSpans,
        droppedSpans: before.droppedSpans,
        failedSpans: before.failedSpans,
      });
    }
    await this.flush();
    const after = this.stats();
    if (after.failedSpans > before.failedSpans || after.pendingSpans > 0) {
      warnOnce('storage.exit-unflushed', 'llmtrace: file store could not flush everything at exit', {
        dir: this.dir,
        notFlushedSpans: after.failedSpans - before.failedSpans + after.pendingSpans,
      });
    }
  }
}

/** The time a span is filed by. */
const spanTime = (record: SpanData): number => record.endTime;

/** The time a summary is filed by. */
const summaryTime = (record: WindowSummary): number => record.windowStart;

/** The time an evaluation record is filed by. */
const evaluationTime = (record: EvaluationRecord): number => record.time;

/** Groups records by the window of `timeOf(record)`, oldest window first. */
function groupByWindow<T>(records: readonly T[], timeOf: (record: T) => number, windowMs: number): [number, T[]][] {
  const groups = new Map<number, T[]>();
  for (const record of records) {
    const start = windowStartOf(timeOf(record), windowMs);
    const group = groups.get(start);
    if (group) group.push(record);
    else groups.set(start, [record]);
  }
  return [...groups].sort((a, b) => a[0] - b[0]);
}

/**
 * Creates a JSON file store (no I/O yet: the directory is set up on first write, or by `open()`).
 * Attach it to a TraceStore through a BatchSpanProcessor.
 * @throws TypeError naming the option when an option is invalid.
 * @example
 * const fileStore = createFileStore({ dir: './.llmtrace' });
 * new BatchSpanProcessor(fileStore).attach(getStore());
 */
export function createFileStore(options: FileStoreOptions = {}): FileStore {
  checkOptions('createFileStore', options);
  return new FileStore(options);
}

/**
 * Creates a JSON file store and opens it: directory, `meta.json`, start check (corrupt files moved
 * aside) and retention. Resolves even when the disk fails (the failure is reported once and
 * counted; writes keep retrying), so a broken disk never stops the program.
 * @throws TypeError naming the option when an option is invalid.
 */
export async function openFileStore(options: FileStoreOptions = {}): Promise<FileStore> {
  checkOptions('openFileStore', options);
  const store = new FileStore(options);
  await store.open();
  return store;
}
