/**
 * Store housekeeping, run off the write path: the check at start (segment files cut short are
 * moved aside; llmtrace temp files left by a killed process are removed once stale) and retention
 * (segment files older than the retention age are deleted, then the oldest until the total size
 * fits). Only files whose name and content prove llmtrace wrote them are moved or deleted
 * (ownership.ts); a segment of a newer schema version is never touched; files moved aside as
 * corrupt are never deleted. Nothing here rejects.
 */
import { basename, join } from 'node:path';
import { reportInternalError } from '../internal/diagnostics.js';
import { errorCode, listNames, type StorageFileSystem } from './fs-facade.js';
import { parseSegmentFileName, PROCESSES_DIR, SEGMENT_DIRS, SEGMENT_TAIL, type SegmentKind } from './layout.js';
import { inspectSegment, isOurTempFile, isTempName, reportForeignFile, reportNewerSegment } from './ownership.js';
import { moveAside } from './quarantine.js';

/** llmtrace temp files older than this are leftovers of a killed writer and are removed at start. */
export const STALE_TEMP_MS = 10 * 60_000;

/** What the start check found. */
export interface StartCheckResult {
  /** Segment files moved aside because they were cut short. */
  movedAside: number;
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
  /** Bytes of llmtrace segment files (this schema version or older) left after the pass. */
  remainingBytes: number;
}

/** A segment-named file and its kind. */
export interface SegmentPath {
  kind: SegmentKind;
  path: string;
}

/** Every segment-named file of both kinds (names only: see `inspectSegment` for content). */
export async function listSegmentPaths(fs: StorageFileSystem, root: string): Promise<SegmentPath[]> {
  const out: SegmentPath[] = [];
  for (const kind of Object.keys(SEGMENT_DIRS) as SegmentKind[]) {
    const sub = SEGMENT_DIRS[kind];
    for (const name of await listNames(fs, join(root, sub))) {
      if (parseSegmentFileName(name)) out.push({ kind, path: join(root, sub, name) });
    }
  }
  return out;
}

/**
 * Moves aside every llmtrace segment file not ending with the segment tail (cut short by a crash
 * or a full disk outside llmtrace's atomic writes), and removes stale llmtrace temp files.
 */
export async function checkStoreAtStart(fs: StorageFileSystem, root: string): Promise<StartCheckResult> {
  const now = Date.now();
  const result: StartCheckResult = { movedAside: 0, tempRemoved: 0 };
  try {
    for (const { kind, path } of await listSegmentPaths(fs, root)) {
      const tail = await fs.readTail(path, 64).catch((error: unknown) => (errorCode(error) === 'ENOENT' ? undefined : ''));
      if (tail === undefined || tail.trimEnd().endsWith(SEGMENT_TAIL)) continue;
      const verdict = await inspectSegment(fs, path, kind);
      if (verdict === 'ours') {
        if (await moveAside(fs, path, 'segment file cut short (no closing tail)')) result.movedAside++;
      } else if (verdict === 'newer') reportNewerSegment(path);
      else if (verdict === 'foreign') reportForeignFile(path, 'named like a segment but not written by llmtrace');
    }
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

/**
 * Deletes llmtrace segment files older than `maxAgeMs`, then the oldest until the total is at most
 * `maxBytes`; never one in `protect` (segments still being written), never one whose content does
 * not prove llmtrace wrote it, never one of a newer schema version (neither is counted in the
 * total). Reads a file's head only when about to delete it.
 */
export async function enforceRetention(
  fs: StorageFileSystem,
  root: string,
  limits: RetentionLimits,
  protect: ReadonlySet<string>,
  now = Date.now(),
): Promise<RetentionResult> {
  const result: RetentionResult = { deleted: 0, remainingBytes: 0 };
  try {
    const files: { kind: SegmentKind; path: string; size: number; mtimeMs: number }[] = [];
    for (const { kind, path } of await listSegmentPaths(fs, root)) {
      const stats = await fs.stat(path).catch(() => undefined);
      if (stats) files.push({ kind, path, size: stats.size, mtimeMs: stats.mtimeMs });
    }
    files.sort((a, b) => a.mtimeMs - b.mtimeMs);
    let total = files.reduce((sum, file) => sum + file.size, 0);
    for (const file of files) {
      if (protect.has(file.path)) continue;
      if (now - file.mtimeMs <= limits.maxAgeMs && total <= limits.maxBytes) break;
      const verdict = await inspectSegment(fs, file.path, file.kind);
      if (verdict === 'ours') {
        try {
          await fs.unlink(file.path);
          result.deleted++;
        } catch (error) {
          if (errorCode(error) !== 'ENOENT') throw error;
        }
      } else if (verdict === 'newer') reportNewerSegment(file.path);
      else if (verdict === 'foreign') reportForeignFile(file.path, `named like a segment (${basename(file.path)}) but not written by llmtrace`);
      total -= file.size;
    }
    result.remainingBytes = total;
  } catch (error) {
    reportInternalError('storage.retention', error);
  }
  return result;
}
