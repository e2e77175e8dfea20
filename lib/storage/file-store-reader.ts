/**
 * Reading a JSON file store (for the CLI and dashboard): list segments, stream spans of a time
 * range segment by segment (memory grows with one segment, not with the store), find one trace's
 * spans reading only the segments whose trace-id index can hold it, read summaries, metadata and
 * stats. Kept apart from the writer: it never creates, renames, deletes or changes a
 * file. Segments of every layout are read (segment-lines.ts: whole documents written before the
 * line layout, line-layout segments open or sealed). A corrupt or foreign file (or a segment of a
 * newer schema version) is skipped, counted in `stats()` and reported once (`storage.read-skipped`,
 * `storage.newer-schema`), so one bad file never stops a read; a segment whose last line was cut
 * short by a crash gives its whole lines, and is counted and reported (`storage.read-torn`).
 */
import { join, resolve } from 'node:path';
import type { SpanData } from '../span.js';
import type { WindowSummary } from '../aggregator/window-summary.js';
import type { EvaluationRecord } from '../evaluations/types.js';
import { reportInternalError, warnOnce } from '../internal/diagnostics.js';
import { errorCode, listNames, nodeFileSystem, type StorageFileSystem } from './fs-facade.js';
import { JsonFileAdapter } from './json-file-adapter.js';
import {
  DEFAULT_SEGMENT_WINDOW_MS,
  DEFAULT_STORE_DIR,
  isProcessRecord,
  isStoreMeta,
  META_FILE,
  parseSegmentFileName,
  PROCESSES_DIR,
  SEGMENT_DIRS,
  STORE_SCHEMA_VERSION,
  type ProcessRecord,
  type SegmentDoc,
  type SegmentKind,
  type SegmentRecords,
  type StoreMeta,
} from './layout.js';
import { reportNewerSegment } from './ownership.js';
import { isCorruptName } from './quarantine.js';
import { indexHasPrefix, readTraceIndex } from './segment-index.js';
import { parseSegmentText, type ParsedSegment } from './segment-lines.js';
import { checkOptions } from '../internal/option-schemas.js';

/**
 * Segment heads read at once when looking for a trace: the reads wait on the disk (or the thread
 * pool), not the CPU, so a few in flight hide each other's latency (benchmarks/query-scan.ts,
 * run-info).
 */
const INDEX_READ_CONCURRENCY = 16;

/** Options of a store reader. */
export interface FileStoreReaderOptions {
  /** The store directory. @default './.llmtrace' (DEFAULT_STORE_DIR) */
  dir?: string;
  /**
   * The segment window the store was written with (used to skip segments outside a time range).
   * @default 3600000 (DEFAULT_SEGMENT_WINDOW_MS)
   */
  segmentWindowMs?: number;
  /** The file-system seam. @default nodeFileSystem */
  fs?: StorageFileSystem;
}

/** One segment file. */
export interface SegmentInfo {
  kind: SegmentKind;
  /** Absolute path. */
  path: string;
  /** Start of its window, epoch ms. */
  windowStart: number;
  /** Writing process instance. */
  instance: string;
  /** Sequence number within that instance. */
  seq: number;
  /** Size in bytes. */
  bytes: number;
  /** Last modification, epoch ms (with `bytes`, what tells a reader the segment changed). */
  mtimeMs: number;
}

/** A time range, epoch ms: `from` inclusive, `to` exclusive; either may be omitted. */
export interface TimeRange {
  from?: number;
  to?: number;
}

/** `meta.json` plus the process records. */
export interface StoreMetadata extends StoreMeta {
  processes: ProcessRecord[];
}

/** What is in a store. */
export interface FileStoreReadStats {
  spanSegments: number;
  summarySegments: number;
  evaluationSegments: number;
  /** Bytes of all segment files. */
  bytes: number;
  /** Earliest and latest segment window starts, epoch ms (null when empty). */
  oldestWindow: number | null;
  newestWindow: number | null;
  /** Files moved aside as corrupt (by anyone, at any time). */
  corruptFiles: number;
  /** Segments this reader found corrupt or foreign (skipped) or with a line cut short (read in part) during its reads; left as they are. */
  corruptFoundByReader: number;
  /** Segments this reader skipped because a newer llmtrace wrote them (newer schema version). */
  newerSchemaSkipped: number;
}

/** Reads a JSON file store. */
export class FileStoreReader {
  /** Absolute store directory. */
  readonly dir: string;
  readonly #fs: StorageFileSystem;
  readonly #windowMs: number;
  #corruptFound = 0;
  /** Skipped or partly read segments, in the order found: lines skipped, or undefined when the whole file was. */
  readonly #skipped = new Map<string, number | undefined>();
  #newerSkipped = 0;

  constructor(options: FileStoreReaderOptions = {}) {
    checkOptions('FileStoreReader', options);
    this.dir = resolve(options.dir ?? DEFAULT_STORE_DIR);
    this.#fs = options.fs ?? nodeFileSystem;
    this.#windowMs = options.segmentWindowMs ?? DEFAULT_SEGMENT_WINDOW_MS;
  }

  /** Segment files of `kind` (every kind when omitted), oldest window first. */
  async listSegments(kind?: SegmentKind): Promise<SegmentInfo[]> {
    const kinds = kind ? [kind] : (Object.keys(SEGMENT_DIRS) as SegmentKind[]);
    const out: SegmentInfo[] = [];
    for (const k of kinds) {
      const dir = join(this.dir, SEGMENT_DIRS[k]);
      const named = (await listNames(this.#fs, dir)).flatMap((name) => {
        const parsed = parseSegmentFileName(name);
        return parsed ? [{ path: join(dir, name), parsed }] : [];
      });
      // Stat calls wait on the thread pool, not the CPU: issued together (benchmarks/query-scan.ts, run-info).
      const stats = await Promise.all(named.map(({ path }) => this.#fs.stat(path).catch(() => undefined)));
      for (const [i, { path, parsed }] of named.entries()) {
        const stat = stats[i];
        if (stat) out.push({ kind: k, path, bytes: stat.size, mtimeMs: stat.mtimeMs, ...parsed });
      }
    }
    return out.sort((a, b) => a.windowStart - b.windowStart || a.instance.localeCompare(b.instance) || a.seq - b.seq);
  }

  /**
   * Spans that ended within `range`, streamed segment by segment (oldest window first; within a
   * segment in write order). Corrupt, foreign and newer-schema segments are skipped and left as they are.
   */
  async *readSpans(range: TimeRange = {}): AsyncGenerator<SpanData> {
    for await (const record of this.#readRecords('spans', range, (span) => span.endTime)) yield record;
  }

  /**
   * Spans whose trace id starts with `prefix` (what `llmtrace run-info <prefix>` shows), oldest
   * segment first. A span segment whose trace-id index (segment-index.ts: in a sealed segment's
   * tail, or at the head of an older one) lists no such trace is skipped after reading a few KB; a
   * segment without an index (still open, or older than the index) is read in full. Skips what
   * `readSpans` skips.
   */
  async *readTraceSpans(prefix: string): AsyncGenerator<SpanData> {
    for await (const segment of this.#segments('spans', {}, prefix)) {
      for (const span of await this.#records('spans', segment.path)) if (span.traceId.startsWith(prefix)) yield span;
    }
  }

  /**
   * The spans of one span segment (a `path` from `listSegments('spans')`), in write order; none
   * when it is gone, corrupt, foreign or of a newer schema version (counted and reported as in `readSpans`).
   */
  readSegmentSpans(path: string): Promise<readonly SpanData[]> {
    return this.#records('spans', path);
  }

  /** Window summaries whose window starts within `range`, oldest first. */
  async readSummaries(range: TimeRange = {}): Promise<WindowSummary[]> {
    const out: WindowSummary[] = [];
    for await (const record of this.#readRecords('summaries', range, (s) => s.windowStart)) out.push(record);
    return out.sort((a, b) => a.windowStart - b.windowStart);
  }

  /**
   * Evaluation records (decisions and scores) recorded within `range`, streamed segment by segment
   * (oldest window first). Filter them with `readEvaluations` (lib/evaluations) or `matchesEvaluation`.
   * @param tracePrefix when given, only records of traces whose id starts with it, reading only the
   *   segments whose trace-id index can hold them (and those without an index)
   */
  async *readEvaluations(range: TimeRange = {}, tracePrefix?: string): AsyncGenerator<EvaluationRecord> {
    for await (const record of this.#readRecords('evaluations', range, (e) => e.time, tracePrefix)) {
      if (tracePrefix === undefined || record.traceId?.startsWith(tracePrefix)) yield record;
    }
  }

  /** `meta.json` and every process record (null when the store has no `meta.json` yet). */
  async readMeta(): Promise<StoreMetadata | null> {
    const meta = await new JsonFileAdapter(this.#fs, join(this.dir, META_FILE), isStoreMeta).read();
    if (!meta) return null;
    const processes: ProcessRecord[] = [];
    const dir = join(this.dir, PROCESSES_DIR);
    for (const name of await listNames(this.#fs, dir)) {
      if (!name.endsWith('.json') || name.startsWith('.')) continue;
      const record = await new JsonFileAdapter(this.#fs, join(dir, name), isProcessRecord).read().catch(() => null);
      if (record) processes.push(record);
    }
    processes.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    return { ...meta, processes };
  }

  /** Counts and sizes of what the store holds. */
  async stats(): Promise<FileStoreReadStats> {
    const segments = await this.listSegments();
    let corruptFiles = 0;
    for (const sub of Object.values(SEGMENT_DIRS)) {
      for (const name of await listNames(this.#fs, join(this.dir, sub))) if (isCorruptName(name)) corruptFiles++;
    }
    return {
      spanSegments: segments.filter((s) => s.kind === 'spans').length,
      summarySegments: segments.filter((s) => s.kind === 'summaries').length,
      evaluationSegments: segments.filter((s) => s.kind === 'evaluations').length,
      bytes: segments.reduce((sum, s) => sum + s.bytes, 0),
      oldestWindow: segments.length ? segments[0]!.windowStart : null,
      newestWindow: segments.length ? segments[segments.length - 1]!.windowStart : null,
      corruptFiles,
      corruptFoundByReader: this.#corruptFound,
      newerSchemaSkipped: this.#newerSkipped,
    };
  }

  async *#readRecords<K extends SegmentKind>(
    kind: K,
    range: TimeRange,
    timeOf: (record: SegmentRecords[K]) => number,
    tracePrefix?: string,
  ): AsyncGenerator<SegmentRecords[K]> {
    const from = range.from ?? -Infinity;
    const to = range.to ?? Infinity;
    for await (const segment of this.#segments(kind, range, tracePrefix)) {
      for (const record of await this.#records(kind, segment.path)) {
        const time = timeOf(record);
        if (time >= from && time < to) yield record;
      }
    }
  }

  /**
   * The segments of `kind` whose window can hold records of `range`, oldest first; with
   * `tracePrefix`, only those whose trace-id index lists a matching trace, or that have no index
   * (their heads read INDEX_READ_CONCURRENCY at a time).
   */
  async *#segments(kind: SegmentKind, range: TimeRange, tracePrefix?: string): AsyncGenerator<SegmentInfo> {
    const from = range.from ?? -Infinity;
    const to = range.to ?? Infinity;
    const segments = (await this.listSegments(kind)).filter((s) => s.windowStart + this.#windowMs > from && s.windowStart < to);
    if (tracePrefix === undefined) {
      yield* segments;
      return;
    }
    for (let at = 0; at < segments.length; at += INDEX_READ_CONCURRENCY) {
      const batch = segments.slice(at, at + INDEX_READ_CONCURRENCY);
      const indexes = await Promise.all(batch.map((segment) => readTraceIndex(this.#fs, segment.path)));
      for (const [i, segment] of batch.entries()) {
        const index = indexes[i];
        if (!index || indexHasPrefix(index, tracePrefix)) yield segment;
      }
    }
  }

  /** The records of one segment; none when it is gone, corrupt, foreign or of a newer schema version (counted and reported). */
  async #records<K extends SegmentKind>(kind: K, path: string): Promise<readonly SegmentRecords[K][]> {
    const doc = await this.#readSegment(kind, path);
    if (!doc) return [];
    if (doc.schemaVersion > STORE_SCHEMA_VERSION) {
      this.#newerSkipped++;
      reportNewerSegment(path);
      return [];
    }
    return doc.records;
  }

  /**
   * The segments this reader skipped as corrupt or foreign, or read only in part (a line cut short
   * or damaged: `skippedLines` says how many lines were left out), so far (left as they are), in
   * the order found.
   */
  skippedFiles(): readonly { file: string; skippedLines?: number }[] {
    return [...this.#skipped].map(([file, skippedLines]) => (skippedLines === undefined ? { file } : { file, skippedLines }));
  }

  /** The segment at `path` read and parsed; null when it is gone or unreadable (reported), undefined when it does not parse. */
  async #parse<K extends SegmentKind>(kind: K, path: string): Promise<ParsedSegment<K> | undefined | null> {
    let text: string;
    try {
      text = await this.#fs.readFile(path);
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') reportInternalError('storage.read', error); // EACCES, EIO: skipped, reported once
      return null;
    }
    return parseSegmentText(text, kind);
  }

  /**
   * The segment at `path` parsed (segment-lines.ts): null when it is gone (retention), corrupt or
   * foreign (counted, reported once, listed in `skippedFiles()`), or unreadable (reported). A
   * segment with a line cut short (a crash mid-append) gives its whole lines and is counted and
   * reported the same way.
   */
  async #readSegment<K extends SegmentKind>(kind: K, path: string): Promise<SegmentDoc<K> | null> {
    let parsed = await this.#parse(kind, path);
    // A line-layout segment read while its writer appends looks cut short: read once more before reporting it.
    if (parsed && !parsed.intact) parsed = await this.#parse(kind, path);
    if (parsed === null) return null;
    if (parsed?.intact) return parsed.doc;
    this.#corruptFound++;
    this.#skipped.set(path, parsed?.skippedLines);
    if (parsed) {
      warnOnce('storage.read-torn', 'llmtrace: a store segment has a line cut short (a crash mid-write) or damaged; read its whole lines, skipped the rest (left as it is)', {
        file: path,
        skippedLines: parsed.skippedLines,
      });
      return parsed.doc;
    }
    warnOnce('storage.read-skipped', 'llmtrace: skipped a store file that does not parse as an llmtrace segment (left as it is)', {
      file: path,
    });
    return null;
  }
}

/** A reader over the store in `options.dir` (default `./.llmtrace`). */
export function openFileStoreReader(options: FileStoreReaderOptions = {}): FileStoreReader {
  checkOptions('openFileStoreReader', options);
  return new FileStoreReader(options);
}
