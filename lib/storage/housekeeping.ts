/**
 * Store housekeeping, run off the write path: the check at start (segment files cut short are
 * moved aside; temp files left by a killed process are removed once stale) and retention (segment
 * files older than the retention age are deleted, then the oldest until the total size fits).
 * Files moved aside as corrupt are never deleted. Nothing here rejects.
 */
import { join } from 'node:path';
import { reportInternalError } from '../internal/diagnostics.js';
import { TEMP_SUFFIX } from './atomic-write.js';
import { errorCode, listNames, type StorageFileSystem } from './fs-facade.js';
import { parseSegmentFileName, PROCESSES_DIR, SEGMENT_DIRS, SEGMENT_TAIL } from './layout.js';
import { moveAside } from './quarantine.js';

/** Temp files older than this are leftovers of a killed writer and are removed at start. */
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

/** Every segment file path of both kinds. */
export async function listSegmentPaths(fs: StorageFileSystem, root: string): Promise<string[]> {
  const out: string[] = [];
  for (const sub of Object.values(SEGMENT_DIRS)) {
    for (const name of await listNames(fs, join(root, sub))) {
      if (parseSegmentFileName(name)) out.push(join(root, sub, name));
    }
  }
  return out;
}

/**
 * Moves aside every segment file not ending with the segment tail (cut short by a crash or a full
 * disk outside llmtrace's atomic writes), and removes stale temp files.
 */
export async function checkStoreAtStart(fs: StorageFileSystem, root: string): Promise<StartCheckResult> {
  const now = Date.now();
  const result: StartCheckResult = { movedAside: 0, tempRemoved: 0 };
  try {
    for (const path of await listSegmentPaths(fs, root)) {
      const tail = await fs.readTail(path, 64).catch((error: unknown) => (errorCode(error) === 'ENOENT' ? undefined : ''));
      if (tail === undefined || tail.trimEnd().endsWith(SEGMENT_TAIL)) continue;
      if (await moveAside(fs, path, 'segment file cut short (no closing tail)')) result.movedAside++;
    }
    for (const sub of ['', ...Object.values(SEGMENT_DIRS), PROCESSES_DIR]) {
      const dir = join(root, sub);
      for (const name of await listNames(fs, dir)) {
        if (!name.startsWith('.') || !name.endsWith(TEMP_SUFFIX)) continue;
        const stats = await fs.stat(join(dir, name)).catch(() => undefined);
        if (stats && now - stats.mtimeMs > STALE_TEMP_MS) {
          await fs.unlink(join(dir, name)).catch(() => undefined);
          result.tempRemoved++;
        }
      }
    }
  } catch (error) {
    reportInternalError('storage.start-check', error);
  }
  return result;
}

/**
 * Deletes segment files older than `maxAgeMs`, then the oldest until the total is at most
 * `maxBytes`; never one in `protect` (segments still being written). Resolves to the number deleted.
 */
export async function enforceRetention(
  fs: StorageFileSystem,
  root: string,
  limits: RetentionLimits,
  protect: ReadonlySet<string>,
  now = Date.now(),
): Promise<number> {
  let deleted = 0;
  try {
    const files: { path: string; size: number; mtimeMs: number }[] = [];
    for (const path of await listSegmentPaths(fs, root)) {
      const stats = await fs.stat(path).catch(() => undefined);
      if (stats) files.push({ path, size: stats.size, mtimeMs: stats.mtimeMs });
    }
    files.sort((a, b) => a.mtimeMs - b.mtimeMs);
    let total = files.reduce((sum, file) => sum + file.size, 0);
    for (const file of files) {
      if (protect.has(file.path)) continue;
      if (now - file.mtimeMs <= limits.maxAgeMs && total <= limits.maxBytes) break;
      try {
        await fs.unlink(file.path);
        deleted++;
      } catch (error) {
        if (errorCode(error) !== 'ENOENT') throw error;
      }
      total -= file.size;
    }
  } catch (error) {
    reportInternalError('storage.retention', error);
  }
  return deleted;
}
