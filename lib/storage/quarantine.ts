/**
 * Moving a corrupt file aside: an llmtrace segment found cut short at start (its name and head
 * prove llmtrace wrote it, see ownership.ts) is renamed to `<name>.corrupt-<time>` in the same
 * directory (never overwritten, never deleted, so a person can inspect or repair it), the first
 * occurrence is logged, and every one is counted in `diagnosticCounts()`. Readers never move files.
 */
import { basename } from 'node:path';
import { warnOnce } from '../internal/diagnostics.js';
import { errorCode, type StorageFileSystem } from './fs-facade.js';

/** Marker in the name of a file moved aside. */
export const CORRUPT_MARKER = '.corrupt-';

/** The name a corrupt file is moved to: `<path>.corrupt-<ISO time without colons>`. */
export function corruptPathFor(path: string): string {
  return `${path}${CORRUPT_MARKER}${new Date().toISOString().replace(/[:.]/g, '-')}`;
}

/** Whether a file name is one that was moved aside. */
export function isCorruptName(name: string): boolean {
  return name.includes(CORRUPT_MARKER);
}

/**
 * Renames `path` aside and reports it once. Resolves to the new path, or undefined when the file
 * had already gone (another process moved or deleted it). Never rejects.
 */
export async function moveAside(fs: StorageFileSystem, path: string, reason: string): Promise<string | undefined> {
  const target = corruptPathFor(path);
  try {
    await fs.rename(path, target);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') {
      warnOnce('storage.corrupt-move-failed', 'llmtrace: could not move a corrupt store file aside', {
        file: path,
        error: String(error),
      });
    }
    return undefined;
  }
  warnOnce('storage.corrupt-file', 'llmtrace: corrupt store file moved aside (further ones are counted)', {
    file: basename(path),
    movedTo: basename(target),
    reason,
  });
  return target;
}
