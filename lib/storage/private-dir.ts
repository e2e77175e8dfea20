/**
 * Store directories are private: created `0700`, and an existing one that others may read (say
 * `0755` from `mkdir` with the default umask) is tightened to `0700`, since spans may hold captured
 * content. When that is not possible (not the owner, a read-only mount), a warning says why and
 * the store goes on.
 */
import { warnOnce } from '../internal/diagnostics.js';
import { DIR_MODE } from './atomic-write.js';
import type { StorageFileSystem } from './fs-facade.js';

/** Permission bits that give group or others any access. */
const GROUP_OTHER_BITS = 0o077;

/**
 * `mkdir -p` of `dir` with mode `0700`; an existing `dir` with group/other bits is tightened to
 * `0700`, or a warning names the directory, its mode and the reason. Rejects only when the
 * directory cannot be created.
 */
export async function ensurePrivateDir(fs: StorageFileSystem, dir: string): Promise<void> {
  const created = await fs.mkdir(dir, DIR_MODE);
  if (created !== undefined || process.platform === 'win32') return;
  let mode: number | undefined;
  try {
    mode = (await fs.stat(dir)).mode & 0o777;
    if ((mode & GROUP_OTHER_BITS) === 0) return;
    await fs.chmod(dir, DIR_MODE);
  } catch (error) {
    warnOnce('storage.dir-mode', 'llmtrace: could not tighten the store directory to 0700; others may read captured content', {
      dir,
      mode: mode === undefined ? 'unknown' : `0${mode.toString(8)}`,
      reason: error instanceof Error ? error.message : String(error),
    });
  }
}
