/**
 * The on-disk layout of the JSON file store, shared by its writer and its reader: directory and
 * file names, the segment document format, and the defaults that size segments and retention.
 *
 * ```
 * <dir>/meta.json                                      schema version, created time
 * <dir>/catalog.json                                   segment sizes and times, a cache (segment-catalog.ts)
 * <dir>/processes/<instance>.json                      one per writing process (pid, start, sessions)
 * <dir>/spans/2026-11-24T21-00.<instance>-0001.json    span segments (window . instance - seq), one record a line (segment-lines.ts)
 * <dir>/summaries/2026-11-24T21-00.<instance>-0001.json
 * <dir>/evaluations/2026-11-24T21-00.<instance>-0001.json   decisions and scores (lib/evaluations)
 * ```
 * See docs/storage.md.
 */
import { randomBytes } from 'node:crypto';
import type { SpanData } from '../span.js';
import type { WindowSummary } from '../aggregator/window-summary.js';
import type { EvaluationRecord } from '../evaluations/types.js';

/** Store directory used when none is given. */
export const DEFAULT_STORE_DIR = '.llmtrace';

/** Environment variable naming the store directory (read only by `fileStoreOptionsFromEnv`). */
export const STORE_DIR_ENV = 'LLMTRACE_DIR';

/** Version of the on-disk format; readers skip documents of a newer major version. */
export const STORE_SCHEMA_VERSION = 1;

/** Time window of one segment file: records are filed by the window of their time. */
export const DEFAULT_SEGMENT_WINDOW_MS = 60 * 60_000;

/** Records per segment file before a new one is started. Bounds the cost of one flush (see benchmarks/store-flush.ts). */
export const DEFAULT_MAX_SEGMENT_RECORDS = 1_000;

/** Approximate bytes per segment file before a new one is started. */
export const DEFAULT_MAX_SEGMENT_BYTES = 1024 * 1024;

/** Segment files older than this (by modification time) are deleted. */
export const DEFAULT_RETENTION_MS = 7 * 24 * 60 * 60_000;

/** Total size of segment files above which the oldest are deleted. */
export const DEFAULT_MAX_STORE_BYTES = 512 * 1024 * 1024;

/** The kinds of segment. */
export type SegmentKind = 'spans' | 'summaries' | 'evaluations';

/** Sub-directory of each kind of segment. */
export const SEGMENT_DIRS: Readonly<Record<SegmentKind, string>> = {
  spans: 'spans',
  summaries: 'summaries',
  evaluations: 'evaluations',
};

/** Sub-directory of the per-process records. */
export const PROCESSES_DIR = 'processes';

/** Name of the store's metadata file. */
export const META_FILE = 'meta.json';

/** Format tag written in every segment (its first key). */
export const SEGMENT_FORMAT = 'llmtrace.segment';

/** Format tag written first in `meta.json`. */
export const META_FORMAT = 'llmtrace.store';

/** Format tag written first in each process record. */
export const PROCESS_FORMAT = 'llmtrace.process';

/** The record type of each segment kind. */
export interface SegmentRecords {
  spans: SpanData;
  summaries: WindowSummary;
  evaluations: EvaluationRecord;
}

/**
 * One segment file, as a document (its line layout: segment-lines.ts). `complete: true` is always
 * the last key, so a file cut short anywhere lacks its tail (checked cheaply by retention; a full
 * parse checks the rest).
 */
export interface SegmentDoc<K extends SegmentKind = SegmentKind> {
  format: typeof SEGMENT_FORMAT;
  schemaVersion: number;
  kind: K;
  /** The writing process instance (`<pid>-<random>`). */
  instance: string;
  /** Start of the window the records belong to, epoch ms. */
  windowStart: number;
  records: SegmentRecords[K][];
  /**
   * Sealed span and evaluation segments: the distinct trace ids of `records`, so readers can skip
   * the segment without parsing it (segment-index.ts). After `records` in sealed line-layout
   * segments, before them in segments written before that layout; absent in open segments, in
   * segments older than the index and in summary segments.
   */
  traceIds?: string[];
  /** With `traceIds` after the records: the UTF-8 length of `],"traceIds":[…]`, so a reader reads just that much of the tail. */
  indexBytes?: number;
  /** Set when the writer is done with the segment: it never changes again. */
  sealed?: true;
  complete: true;
}

/** The text every complete segment file ends with, open or sealed, of any layout. */
export const SEGMENT_TAIL = '"complete":true}';

/** `meta.json`. */
export interface StoreMeta {
  /** `llmtrace.store` (absent in stores written by 0.1). */
  format?: typeof META_FORMAT;
  schemaVersion: number;
  /** When the store directory was first used, ISO 8601. */
  createdAt: string;
}

/** `processes/<instance>.json`: one writing process. */
export interface ProcessRecord {
  /** `llmtrace.process` (absent in stores written by 0.1). */
  format?: typeof PROCESS_FORMAT;
  instance: string;
  pid: number;
  hostname: string;
  /** ISO 8601. */
  startedAt: string;
  /** ISO 8601 of the last successful write. */
  lastWriteAt: string | null;
  /** Session scope ids seen in this process's spans (most recent last, capped). */
  sessions: string[];
}

/** A new process-instance id: `<pid>-<6 hex digits>`, unique even when a pid is reused. */
export function newInstanceId(): string {
  return `${process.pid}-${randomBytes(3).toString('hex')}`;
}

/** Start of the window containing `time`. */
export function windowStartOf(time: number, windowMs: number): number {
  return Math.floor(time / windowMs) * windowMs;
}

/** `2026-11-24T21-00` (UTC, minutes), the window part of a segment name. */
export function windowLabel(windowStart: number): string {
  return new Date(windowStart).toISOString().slice(0, 16).replace(':', '-');
}

/** A segment's file name: `<window>.<instance>-<seq>.json`. */
export function segmentFileName(windowStart: number, instance: string, seq: number): string {
  return `${windowLabel(windowStart)}.${instance}-${String(seq).padStart(4, '0')}.json`;
}

/** What a segment's file name says. */
export interface SegmentName {
  windowStart: number;
  instance: string;
  seq: number;
}

const SEGMENT_NAME = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})\.(\d+-[0-9a-f]+)-(\d+)\.json$/;

/** Parses a segment file name; undefined for anything else (temp files, corrupt ones, strangers). */
export function parseSegmentFileName(name: string): SegmentName | undefined {
  const m = SEGMENT_NAME.exec(name);
  if (!m) return undefined;
  const windowStart = Date.parse(`${m[1]}T${m[2]}:${m[3]}:00.000Z`);
  if (Number.isNaN(windowStart)) return undefined;
  return { windowStart, instance: m[4]!, seq: Number(m[5]) };
}

/** Whether `value` is a segment document of `kind`. */
export function isSegmentDoc<K extends SegmentKind>(kind: K) {
  return (value: unknown): value is SegmentDoc<K> => {
    const doc = value as Partial<SegmentDoc> | null;
    return (
      doc !== null &&
      typeof doc === 'object' &&
      doc.format === SEGMENT_FORMAT &&
      doc.kind === kind &&
      Array.isArray(doc.records) &&
      typeof doc.windowStart === 'number'
    );
  };
}

/** Whether `value` is a `meta.json` document. */
export function isStoreMeta(value: unknown): value is StoreMeta {
  const meta = value as Partial<StoreMeta> | null;
  return meta !== null && typeof meta === 'object' && typeof meta.schemaVersion === 'number' && typeof meta.createdAt === 'string';
}

/** Whether `value` is a process record. */
export function isProcessRecord(value: unknown): value is ProcessRecord {
  const rec = value as Partial<ProcessRecord> | null;
  return rec !== null && typeof rec === 'object' && typeof rec.instance === 'string' && Array.isArray(rec.sessions);
}
