/**
 * Sources: where the query layer reads spans from. A source is a store directory (read with the
 * store's own FileStoreReader, through a read-only file system) or a JSONL file: a session file
 * (its events turned back into spans) or the spans `llmtrace export` wrote (exported-spans.ts).
 * Spans stream segment by segment, so memory follows one segment, not the store: as batches (a
 * segment's spans each, what scans loop over without a promise per span) or one by one. Reading never writes: a corrupt segment is skipped and listed in
 * `problems()`, never moved or repaired, never fatal.
 */
import { basename, resolve } from 'node:path';
import type { WindowSummary } from '../aggregator/window-summary.js';
import type { EvaluationFilter } from '../evaluations/evaluation-filter.js';
import { readMatching } from '../evaluations/read-evaluations.js';
import type { EvaluationRecord } from '../evaluations/types.js';
import type { SpanData } from '../span.js';
import { openFileStoreReader, type FileStoreReader, type TimeRange } from '../storage/file-store-reader.js';
import { errorCode, nodeFileSystem, type StorageFileSystem } from '../storage/fs-facade.js';
import { DEFAULT_SEGMENT_WINDOW_MS } from '../storage/layout.js';
import type { JsonLineError } from '../storage/json-lines.js';
import { parseSessionLines } from '../storage/session-file-reader.js';
import { isExportedSpans, parseExportedSpans } from './exported-spans.js';
import { checkQueryOptions } from './option-schemas.js';
import { QueryError } from './query-error.js';
import { readOnlyFileSystem } from './read-only-fs.js';
import { sessionEventsToSpans } from './session-spans.js';

/** Something a read skipped: a corrupt segment, or a malformed line of a session file. */
export interface SourceProblem {
  /** The file. */
  file: string;
  /** One line saying what was skipped. */
  message: string;
}

/** What a source holds, without reading its records. */
export interface SourceInventory {
  /** Span segment files (a session file counts as one). */
  spanSegments: number;
  /** Summary segment files. */
  summarySegments: number;
  /** Total bytes of those files. */
  bytes: number;
}

/** One file spans are read from: a store's span segment, or a session file. */
export interface SpanFile {
  /** Absolute path. */
  path: string;
  /** Size in bytes. */
  bytes: number;
  /** Last modification, epoch ms (with `bytes`, what tells that the file changed). */
  mtimeMs: number;
}

/** A place spans are read from. */
export interface QuerySource {
  /** `store` (a store directory) or `session-file` (a JSONL session file). */
  readonly kind: 'store' | 'session-file';
  /** Absolute path. */
  readonly path: string;
  /** A short name for reports (the directory or file name). */
  readonly label: string;
  /** Spans that ended within `range`, streamed (store: oldest segment first). */
  spans(range?: TimeRange): AsyncIterable<SpanData>;
  /**
   * The same spans as `spans(range)`, in the same order, as non-empty batches (store: one per
   * segment; session file: one).
   */
  spanBatches(range?: TimeRange): AsyncIterable<readonly SpanData[]>;
  /**
   * Spans whose trace id starts with `prefix` (lowercase hex), reading only what can hold them
   * (store: the segments whose trace-id index lists such a trace, and those without an index).
   */
  traceSpans(prefix: string): AsyncIterable<SpanData>;
  /** The files spans are read from (store: its span segments, oldest first; session file: itself). */
  spanFiles(): Promise<SpanFile[]>;
  /** The spans of one of those files as it is now (none when it is gone or skipped as corrupt). */
  spansOfFile(path: string): Promise<readonly SpanData[]>;
  /** Stored window summaries starting within `range` (none for a session file). */
  summaries(range?: TimeRange): Promise<WindowSummary[]>;
  /** Stored evaluations (decisions and scores) matching `filter` (none for a session file). */
  evaluations(filter?: EvaluationFilter): AsyncIterable<EvaluationRecord>;
  /** Counts and sizes of what is there. */
  inventory(): Promise<SourceInventory>;
  /** What was skipped so far (corrupt segments, malformed lines). */
  problems(): SourceProblem[];
}

/** Options of `openSource`. */
export interface OpenSourceOptions {
  /** The file-system seam (reads only are used). @default nodeFileSystem */
  fs?: StorageFileSystem;
  /** Segment window the store was written with. @default 3600000 */
  segmentWindowMs?: number;
}

/** The spans of `spans` that ended within [from, to). */
function endedWithin(spans: readonly SpanData[], from: number, to: number): readonly SpanData[] {
  return spans.filter((span) => span.endTime >= from && span.endTime < to);
}

class StoreSource implements QuerySource {
  readonly kind = 'store' as const;
  readonly path: string;
  readonly label: string;
  readonly #reader: FileStoreReader;
  readonly #windowMs: number;

  constructor(path: string, options: OpenSourceOptions) {
    this.path = path;
    this.label = basename(path);
    const fs = readOnlyFileSystem(options.fs ?? nodeFileSystem);
    this.#windowMs = options.segmentWindowMs ?? DEFAULT_SEGMENT_WINDOW_MS;
    this.#reader = openFileStoreReader({ dir: path, fs, segmentWindowMs: options.segmentWindowMs });
  }

  async *spans(range: TimeRange = {}): AsyncGenerator<SpanData> {
    for await (const batch of this.spanBatches(range)) yield* batch;
  }

  /** The segments whose window can hold spans of `range` (as FileStoreReader.readSpans picks them), one at a time. */
  async *spanBatches(range: TimeRange = {}): AsyncGenerator<readonly SpanData[]> {
    const from = range.from ?? -Infinity;
    const to = range.to ?? Infinity;
    for (const segment of await this.#reader.listSegments('spans')) {
      if (segment.windowStart + this.#windowMs <= from || segment.windowStart >= to) continue;
      const batch = endedWithin(await this.#reader.readSegmentSpans(segment.path), from, to);
      if (batch.length > 0) yield batch;
    }
  }

  traceSpans(prefix: string): AsyncIterable<SpanData> {
    return this.#reader.readTraceSpans(prefix);
  }

  async spanFiles(): Promise<SpanFile[]> {
    return (await this.#reader.listSegments('spans')).map(({ path, bytes, mtimeMs }) => ({ path, bytes, mtimeMs }));
  }

  spansOfFile(path: string): Promise<readonly SpanData[]> {
    return this.#reader.readSegmentSpans(path);
  }

  summaries(range: TimeRange = {}): Promise<WindowSummary[]> {
    return this.#reader.readSummaries(range);
  }

  evaluations(filter: EvaluationFilter = {}): AsyncIterable<EvaluationRecord> {
    return readMatching(this.#reader, filter);
  }

  async inventory(): Promise<SourceInventory> {
    const stats = await this.#reader.stats();
    return { spanSegments: stats.spanSegments, summarySegments: stats.summarySegments, bytes: stats.bytes };
  }

  problems(): SourceProblem[] {
    return this.#reader.skippedFiles().map(({ file, skippedLines }) => ({
      file,
      message:
        skippedLines === undefined
          ? `skipped corrupt segment ${file}`
          : `read segment ${file} in part: skipped ${skippedLines === 1 ? 'a line' : `${skippedLines} lines`} cut short or damaged`,
    }));
  }
}

class SessionFileSource implements QuerySource {
  readonly kind = 'session-file' as const;
  readonly path: string;
  readonly label: string;
  readonly #fs: StorageFileSystem;
  readonly #problems: SourceProblem[] = [];
  #spans: Promise<SpanData[]> | undefined;

  constructor(path: string, options: OpenSourceOptions) {
    this.path = path;
    this.label = basename(path);
    this.#fs = options.fs ?? nodeFileSystem;
  }

  #load(): Promise<SpanData[]> {
    this.#spans ??= this.#fs.readFile(this.path).then((text) => {
      // Session events, or the spans `llmtrace export <file>.jsonl` wrote.
      let spans: SpanData[];
      let errors: readonly JsonLineError[];
      if (isExportedSpans(text)) ({ spans, errors } = parseExportedSpans(text, this.path));
      else {
        const session = parseSessionLines(text, this.path);
        spans = sessionEventsToSpans(session.events);
        errors = session.errors;
      }
      this.#problems.length = 0;
      for (const error of errors) this.#problems.push({ file: error.file, message: error.message });
      return spans;
    });
    return this.#spans;
  }

  async spanFiles(): Promise<SpanFile[]> {
    const stats = await this.#fs.stat(this.path).catch(() => undefined);
    return stats ? [{ path: this.path, bytes: stats.size, mtimeMs: stats.mtimeMs }] : [];
  }

  async spansOfFile(path: string): Promise<readonly SpanData[]> {
    if (path !== this.path) return [];
    this.#spans = undefined; // read as it is now
    return this.#load().catch(() => []);
  }

  async *spans(range: TimeRange = {}): AsyncGenerator<SpanData> {
    for await (const batch of this.spanBatches(range)) yield* batch;
  }

  async *spanBatches(range: TimeRange = {}): AsyncGenerator<readonly SpanData[]> {
    const batch = endedWithin(await this.#load(), range.from ?? -Infinity, range.to ?? Infinity);
    if (batch.length > 0) yield batch;
  }

  async *traceSpans(prefix: string): AsyncGenerator<SpanData> {
    for (const span of await this.#load()) if (span.traceId.startsWith(prefix)) yield span;
  }

  async summaries(): Promise<WindowSummary[]> {
    return [];
  }

  async *evaluations(): AsyncGenerator<EvaluationRecord> {
    // Session files carry no evaluations.
  }

  async inventory(): Promise<SourceInventory> {
    const stats = await this.#fs.stat(this.path);
    return { spanSegments: 1, summarySegments: 0, bytes: stats.size };
  }

  problems(): SourceProblem[] {
    return [...this.#problems];
  }
}

/**
 * Opens a store directory, a `.jsonl` session file or a `.jsonl` of exported spans (`llmtrace
 * export`) for reading. Nothing is read yet.
 * @throws QueryError `ENOSOURCE` when the path does not exist.
 * @example
 * const source = await openSource('./.llmtrace');
 * for await (const span of source.spans({ from: Date.now() - 3_600_000 })) console.log(span.name);
 */
export async function openSource(path: string, options: OpenSourceOptions = {}): Promise<QuerySource> {
  checkQueryOptions('openSource', options);
  const absolute = resolve(path);
  const fs = options.fs ?? nodeFileSystem;
  let isDirectory: boolean;
  try {
    isDirectory = (await fs.stat(absolute)).isDirectory();
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
    throw new QueryError(
      'ENOSOURCE',
      `llmtrace: no store at ${path}: did the program call startTracing()? pass --dir <store directory> or set LLMTRACE_DIR (see README)`,
    );
  }
  return isDirectory ? new StoreSource(absolute, options) : new SessionFileSource(absolute, options);
}

/**
 * Throws QueryError `EEMPTY` when `source` holds no span and no summary segment, with the fix.
 */
export async function ensureNotEmpty(source: QuerySource, shownPath = source.path): Promise<void> {
  const inventory = await source.inventory();
  if (inventory.spanSegments + inventory.summarySegments > 0) return;
  throw new QueryError('EEMPTY', `llmtrace: no spans in ${shownPath}: did the program call startTracing()? see README`);
}

/**
 * Spans of several sources in turn, each kept only when `keep` says so. Memory is that of the
 * source being read (one segment for a store).
 */
export async function* readSpans(
  sources: readonly QuerySource[],
  range: TimeRange = {},
  keep: (span: SpanData) => boolean = () => true,
): AsyncGenerator<SpanData> {
  for await (const batch of readSpanBatches(sources, range, keep)) yield* batch;
}

/**
 * The spans `readSpans` yields, in the same order, as non-empty batches (a store segment's kept
 * spans each): what a scan loops over synchronously, paying one promise a batch instead of one a
 * span (benchmarks/query-scan.ts). What the `llmtrace` commands scan with; not re-exported from
 * `llmtrace/query` (`QuerySource.spanBatches` is public).
 * @example
 * for await (const batch of readSpanBatches([source], filter, spanMatcher(filter))) for (const span of batch) stats.add(span);
 */
export async function* readSpanBatches(
  sources: readonly QuerySource[],
  range: TimeRange = {},
  keep?: (span: SpanData) => boolean,
): AsyncGenerator<readonly SpanData[]> {
  for (const source of sources) {
    for await (const batch of source.spanBatches(range)) {
      const kept = keep ? batch.filter(keep) : batch;
      if (kept.length > 0) yield kept;
    }
  }
}
