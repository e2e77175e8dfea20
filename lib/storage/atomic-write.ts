/**
 * Atomic file replacement: the new content goes to a temp file in the same directory (created
 * `0600`, exclusive), is fsync'ed, and is renamed over the target. A reader, or a process killed at
 * any instant, sees the old version or the new one, never half of either.
 */
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { StorageFileSystem } from './fs-facade.js';
import { TEMP_MARKER } from './ownership.js';

/** Mode of every file storage creates: owner read/write only (spans may hold captured content). */
export const FILE_MODE = 0o600;

/** Mode of every directory storage creates. */
export const DIR_MODE = 0o700;

/** Suffix of temp files; names are `.<target>.llmtrace-<pid>-<random>.tmp` (see ownership.ts). */
export const TEMP_SUFFIX = '.tmp';

/** The temp file name used to replace `target` (unique per call, so concurrent writers never share one). */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}${TEMP_MARKER}${process.pid}-${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`);
}

/**
 * Replaces `target` with `text` atomically (temp file, fsync, rename). On failure the temp file is
 * removed (best effort) and the error is rethrown; `target` is untouched.
 */
export async function writeFileAtomic(fs: StorageFileSystem, target: string, text: string): Promise<void> {
  const temp = tempPathFor(target);
  let created = false;
  try {
    const file = await fs.open(temp, 'wx', FILE_MODE);
    created = true;
    try {
      await file.writeFile(text);
      await file.sync();
    } finally {
      await file.close();
    }
    await fs.rename(temp, target);
  } catch (error) {
    if (created) await fs.unlink(temp).catch(() => undefined);
    throw error;
  }
}
