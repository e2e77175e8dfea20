/**
 * Store housekeeping, run off the write path: the check at start (llmtrace temp files left by a
 * killed process are removed once stale) and the retention pass (segment files of the older,
 * one-document layout cut short are moved aside, while a line-layout segment cut short stays, since
 * its whole lines are still read, segment-lines.ts; segment files older than the retention age are
 * deleted, then the oldest until the total size fits). The pass lists names and takes what it already knows from the segment catalog
 * (segment-catalog.ts): a segment's tail is read once, when the pass first meets it, and its
 * head only when it is a deletion candidate; a segment its writer sealed is final at once, so a
 * pass costs what changed, not what the store holds
 * (benchmarks/store-open.ts). Only files whose name and content prove llmtrace wrote them are moved
 * or deleted (ownership.ts); a segment of a newer schema version is never touched; files moved
 * aside as corrupt are never deleted. Nothing here rejects.
 */
import { basename, join } from 'node:path';
import { reportInternalError } from '../internal/diagnostics.js';
import { errorCode, listNames, type StorageFileSystem } from './fs-facade.js';
import { parseSegmentFileName, PROCESSES_DIR, SEGMENT_DIRS, SEGMENT_TAIL, type SegmentKind, type SegmentName } from './layout.js';
import { HEAD_BYTES, inspectSegment, isOurTempFile, isTempName, reportForeignFile, reportNewerSegment } from './ownership.js';
import { RECORDS_OPEN, SEALED_SUFFIX } from './segment-lines.js';
import { moveAside } from './quarantine.js';
import { isFinal, windowKey, type SegmentCatalog } from './segment-catalog.js';

/** llmtrace temp files older than this are leftovers of a killed writer and are removed at start. */
export const STALE_TEMP_MS = 10 * 60_000;

/** Bytes read from the end of a segment met for the first time, to check it ends with the segment tail. */
const TAIL_BYTES = 64;

/** What the start check found. */
export interface StartCheckResult {
  /** Stale temp files removed. */
  tempRemoved: number;
}

/** Retention limits. */
export interface RetentionLimits {
  maxAgeMs: number;
  maxBytes: number;
}

/** What a retention pass did. */
export interface RetentionResult {
  /** Segment files deleted. */
  deleted: number;
  /** Segment files of the older layout moved aside because they were cut short (no closing tail). */
  movedAside: number;
  /** Bytes of llmtrace segment files (this schema version or older) left after the pass. */
  remainingBytes: number;
}

/** A segment file as the pass sees it. */
interface SurveyedSegment {
  kind: SegmentKind;
  path: string;
  /** Path relative to the store directory: the catalog key. */
  key: string;
  size: number;
  mtimeMs: number;
}

/** A segment-named file found by listing. */
interface NamedSegment {
  kind: SegmentKind;
  key: string;
  name: SegmentName;
}

/** Every segment-named file of every kind (names only, no file is opened). */
async function listSegments(fs: StorageFileSystem, root: string): Promise<NamedSegment[]> {
  const out: NamedSegment[] = [];
  for (const kind of Object.keys(SEGMENT_DIRS) as SegmentKind[]) {
    const sub = SEGMENT_DIRS[kind];
    for (const file of await listNames(fs, join(root, sub))) {
      const name = parseSegmentFileName(file);
      if (name) out.push({ kind, key: `${sub}/${file}`, name });
    }
  }
  return out;
}

/** The highest sequence number of each (kind, window, writer). */
function newestOfEachWindow(segments: readonly NamedSegment[]): Map<string, number> {
  const newest = new Map<string, number>();
  for (const { kind, name } of segments) {
    const wk = windowKey(kind, name);
    newest.set(wk, Math.max(newest.get(wk) ?? 0, name.seq));
  }
  return newest;
}

/**
 * Removes stale llmtrace temp files (names first; a temp-named file is stat'ed, and its head read,
 * only when it may be one to remove).
 */
export async function checkStoreAtStart(fs: StorageFileSystem, root: string): Promise<StartCheckResult> {
  const now = Date.now();
  const result: StartCheckResult = { tempRemoved: 0 };
  try {
    for (const sub of ['', ...Object.values(SEGMENT_DIRS), PROCESSES_DIR]) {
      const dir = join(root, sub);
      for (const name of await listNames(fs, dir)) {
        if (!isTempName(name)) continue;
        const path = join(dir, name);
        const stats = await fs.stat(path).catch(() => undefined);
        if (!stats || now - stats.mtimeMs <= STALE_TEMP_MS || !(await isOurTempFile(fs, path))) continue;
        await fs.unlink(path).catch(() => undefined);
        result.tempRemoved++;
      }
    }
  } catch (error) {
    reportInternalError('storage.start-check', error);
  }
  return result;
}

/** What a tail check found: a whole segment, sealed or maybe still growing, or a line-layout one whose last line was cut short. */
type TailState = 'sealed' | 'open' | 'torn';

/**
 * A segment met for the first time. Whole: 'sealed' or 'open'. Cut short: a line-layout segment of
 * llmtrace's keeps its whole lines (readers read them), so it stays where it is and counts
 * ('torn'); an older-layout one of llmtrace's is moved aside (counted in `result`); one not
 * provably llmtrace's, or of a newer schema, is reported and left. Undefined when it is not to be
 * counted (moved aside, foreign, newer, or gone).
 */
async function checkTail(fs: StorageFileSystem, path: string, kind: SegmentKind, result: RetentionResult): Promise<TailState | undefined> {
  const tail = await fs.readTail(path, TAIL_BYTES).catch((error: unknown) => (errorCode(error) === 'ENOENT' ? undefined : ''));
  if (tail === undefined) return undefined;
  const end = tail.trimEnd();
  if (end.endsWith(SEALED_SUFFIX)) return 'sealed';
  if (end.endsWith(SEGMENT_TAIL)) return 'open';
  const verdict = await inspectSegment(fs, path, kind);
  if (verdict === 'ours') {
    const head = await fs.readHead(path, HEAD_BYTES).catch(() => '');
    if (head.includes(`${RECORDS_OPEN}\n`)) return 'torn';
    if (await moveAside(fs, path, 'segment file cut short (no closing tail)')) result.movedAside++;
  } else if (verdict === 'newer') reportNewerSegment(path);
  else if (verdict === 'foreign') reportForeignFile(path, 'named like a segment but not written by llmtrace');
  return undefined;
}

/** Whether the segment at `path` is sealed now (its tail read again). Never rejects. */
async function isSealed(fs: StorageFileSystem, path: string): Promise<boolean> {
  const tail = await fs.readTail(path, TAIL_BYTES).catch(() => '');
  return tail.trimEnd().endsWith(SEALED_SUFFIX);
}

/**
 * Every segment file to count (whole, or line-layout with a line cut short) with its size and mtime:
 * from the catalog when its entry is final, otherwise from a stat (and, for a segment not yet in
 * the catalog, a tail check first; for one that changed since, a look at its tail for the seal).
 */
async function survey(
  fs: StorageFileSystem,
  root: string,
  catalog: SegmentCatalog,
  now: number,
  result: RetentionResult,
): Promise<SurveyedSegment[]> {
  const named = await listSegments(fs, root);
  catalog.keepOnly(new Set(named.map((segment) => segment.key)));
  const newest = newestOfEachWindow(named);
  const out: SurveyedSegment[] = [];
  for (const { kind, key, name } of named) {
    const path = join(root, key);
    const entry = catalog.get(key);
    const newestOfWindow = newest.get(windowKey(kind, name)) === name.seq;
    if (entry?.[2] === 1) {
      out.push({ kind, path, key, size: entry[0], mtimeMs: entry[1] });
      continue;
    }
    let sealed = false;
    if (!entry) {
      const state = await checkTail(fs, path, kind, result);
      if (state === undefined) continue;
      sealed = state === 'sealed';
    }
    const stats = await fs.stat(path).catch(() => undefined);
    if (!stats) {
      catalog.delete(key);
      continue;
    }
    // A segment that changed since the last pass may have been sealed by its writer: its tail says.
    if (entry && (stats.size !== entry[0] || stats.mtimeMs !== entry[1])) sealed = await isSealed(fs, path);
    catalog.set(key, stats.size, stats.mtimeMs, sealed || isFinal(stats.mtimeMs, newestOfWindow, now));
    out.push({ kind, path, key, size: stats.size, mtimeMs: stats.mtimeMs });
  }
  return out;
}

/**
 * Moves aside llmtrace segments found cut short, then deletes llmtrace segment files older than
 * `maxAgeMs`, then the oldest until the total is at most `maxBytes`; never one in `protect`
 * (segments still being written), never one whose content does not prove llmtrace wrote it, never
 * one of a newer schema version (neither is counted in the total). Reads a segment's tail only when
 * it first meets it, and a file's head only when about to delete it (after a fresh stat confirms
 * it is still a candidate). Saves the catalog when the pass changed it.
 */
export async function enforceRetention(
  fs: StorageFileSystem,
  root: string,
  limits: RetentionLimits,
  protect: ReadonlySet<string>,
  catalog: SegmentCatalog,
  now = Date.now(),
): Promise<RetentionResult> {
  const result: RetentionResult = { deleted: 0, movedAside: 0, remainingBytes: 0 };
  try {
    const files = await survey(fs, root, catalog, now, result);
    files.sort((a, b) => a.mtimeMs - b.mtimeMs);
    let total = files.reduce((sum, file) => sum + file.size, 0);
    const isCandidate = (mtimeMs: number): boolean => now - mtimeMs > limits.maxAgeMs || total > limits.maxBytes;
    for (const file of files) {
      if (protect.has(file.path)) continue;
      if (!isCandidate(file.mtimeMs)) break;
      const stats = await fs.stat(file.path).catch(() => undefined);
      if (!stats) {
        catalog.delete(file.key);
        total -= file.size;
        continue;
      }
      total += stats.size - file.size;
      if (stats.size !== file.size || stats.mtimeMs !== file.mtimeMs) catalog.set(file.key, stats.size, stats.mtimeMs, false);
      if (!isCandidate(stats.mtimeMs)) continue;
      const verdict = await inspectSegment(fs, file.path, file.kind);
      if (verdict === 'ours') {
        try {
          await fs.unlink(file.path);
          result.deleted++;
        } catch (error) {
          if (errorCode(error) !== 'ENOENT') throw error;
        }
        catalog.delete(file.key);
      } else if (verdict === 'newer') reportNewerSegment(file.path);
      else if (verdict === 'foreign') reportForeignFile(file.path, `named like a segment (${basename(file.path)}) but not written by llmtrace`);
      total -= stats.size;
    }
    result.remainingBytes = total;
    await catalog.save().catch((error: unknown) => reportInternalError('storage.catalog', error));
  } catch (error) {
    reportInternalError('storage.retention', error);
  }
  return result;
}
