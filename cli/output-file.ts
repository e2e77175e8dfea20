/**
 * Files the command writes (exports, reports): never inside the store directory (the CLI is
 * read-only towards the store), and never over an existing file unless `--force` (the refusal is
 * atomic: the file is created with `wx`). Failures are one-line UsageErrors with the fix.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { relative, resolve, isAbsolute } from 'node:path';
import type { CommandIO } from './command.js';
import { UsageError } from './usage-error.js';

/** A file being written line by line. */
export interface OutputFile {
  readonly path: string;
  write(text: string): Promise<void>;
  close(): Promise<void>;
}

function inside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Checks that `path` may be written: not inside `storeDir`.
 * @throws UsageError naming the path and the fix.
 */
export function checkOutsideStore(path: string, storeDir: string | undefined, command: string): void {
  if (storeDir !== undefined && inside(resolve(path), resolve(storeDir))) {
    throw new UsageError(`llmtrace ${command}: refusing to write ${path} inside the store ${storeDir}: the CLI never writes to the store; choose another path`);
  }
}

/**
 * Creates `path` (relative to io.cwd) for writing; refuses an existing file unless `force`.
 * @throws UsageError for an existing file, a missing folder or a path inside the store.
 */
export async function createOutputFile(path: string, options: { force: boolean; storeDir?: string; command: string; io: CommandIO }): Promise<OutputFile> {
  const absolute = resolve(options.io.cwd, path);
  checkOutsideStore(absolute, options.storeDir && resolve(options.io.cwd, options.storeDir), options.command);
  let handle: FileHandle;
  try {
    handle = await open(absolute, options.force ? 'w' : 'wx', 0o644);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new UsageError(`llmtrace ${options.command}: ${path} exists: refusing to overwrite it; pass --force or choose another file`);
    if (code === 'ENOENT') throw new UsageError(`llmtrace ${options.command}: cannot create ${path}: its folder does not exist; create it first`);
    if (code === 'EISDIR') throw new UsageError(`llmtrace ${options.command}: ${path} is a folder: give a file name`);
    throw error;
  }
  return {
    path: absolute,
    write: async (text) => {
      await handle.write(text);
    },
    close: () => handle.close(),
  };
}
