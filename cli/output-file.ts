/**
 * Files the command writes (exports, reports): never inside the store directory (the CLI is
 * read-only towards the store), and never over an existing file unless `--force` (the refusal is
 * atomic: the file is created with `wx`). A new file is readable by its owner only (0600), as the
 * store's own files: an export holds what the store holds (captured prompts and answers). Writes
 * are gathered into 64 KiB chunks: one system call per row made an export of 200,000 spans take
 * 400,000 of them. Failures are one-line UsageErrors with the fix.
 */
import { open, stat, type FileHandle } from 'node:fs/promises';
import { dirname, relative, resolve, isAbsolute } from 'node:path';
import { makeDirectory } from '../lib/storage/make-directory.js';
import type { CommandIO } from './command.js';
import { UsageError } from './usage-error.js';

/** A file being written line by line. */
export interface OutputFile {
  readonly path: string;
  /** Adds `text`; it reaches the file in chunks, and all of it by `close()`. */
  write(text: string): Promise<void>;
  /** Writes what is left and closes the file. */
  close(): Promise<void>;
}

/** Characters gathered before a write. */
const CHUNK_CHARS = 64 * 1024;

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
 * Why `path` (shown as `shown`) could not be created with error `code`, as the one line to print,
 * or undefined for a failure this does not explain. ENOENT with the folder there means the file
 * system does not let files be made in it (`/proc`): saying "its folder does not exist" would send
 * the user looking for the wrong thing.
 */
async function creationProblem(code: string | undefined, path: string, shown: string): Promise<string | undefined> {
  const folder = dirname(shown);
  switch (code) {
    case 'EEXIST':
      return `${shown} exists: refusing to overwrite it; pass --force or choose another file`;
    case 'EISDIR':
      return `${shown} is a folder: give a file name`;
    case 'EACCES':
    case 'EPERM':
      return `cannot create ${shown}: no permission to write in ${folder}; choose another folder`;
    case 'EROFS':
      return `cannot create ${shown}: ${folder} is on a read-only file system; choose another folder`;
    case 'ENOTDIR':
      return `cannot create ${shown}: part of its folder ${folder} is a file, not a folder`;
    case 'ENOENT': {
      const isFolder = await stat(dirname(path)).then((s) => s.isDirectory(), () => false);
      return isFolder
        ? `cannot create ${shown}: ${folder} does not accept new files (it is not a normal folder); choose another folder`
        : `cannot create ${shown}: its folder ${folder} does not exist; create it first`;
    }
    default:
      return undefined;
  }
}

/**
 * Creates the folder `path` (shown as `shown`) for output files, and its missing parents.
 * @throws UsageError naming what is wrong with it: a file there, a folder that does not take new
 *   folders (`/proc`), no permission.
 */
export async function makeOutputFolder(path: string, shown: string, command: string): Promise<void> {
  try {
    await makeDirectory(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === 'EEXIST' ? `${shown} is a file, not a folder: give a folder name` : await creationProblem(code, path, shown);
    if (problem === undefined) throw error;
    throw new UsageError(`llmtrace ${command}: ${problem}`);
  }
}

/**
 * Creates `path` (relative to io.cwd) for writing; refuses an existing file unless `force`.
 * @throws UsageError for an existing file, a folder that is missing, not writable or not a folder,
 *   or a path inside the store.
 */
export async function createOutputFile(path: string, options: { force: boolean; storeDir?: string; command: string; io: CommandIO }): Promise<OutputFile> {
  const absolute = resolve(options.io.cwd, path);
  checkOutsideStore(absolute, options.storeDir && resolve(options.io.cwd, options.storeDir), options.command);
  let handle: FileHandle;
  try {
    handle = await open(absolute, options.force ? 'w' : 'wx', 0o600);
  } catch (error) {
    const problem = await creationProblem((error as NodeJS.ErrnoException).code, absolute, path);
    if (problem === undefined) throw error;
    throw new UsageError(`llmtrace ${options.command}: ${problem}`);
  }
  let pending: string[] = [];
  let pendingChars = 0;
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const chunk = pending.join('');
    pending = [];
    pendingChars = 0;
    await handle.write(chunk);
  };
  return {
    path: absolute,
    write: async (text) => {
      pending.push(text);
      pendingChars += text.length;
      if (pendingChars >= CHUNK_CHARS) await flush();
    },
    close: async () => {
      try {
        await flush();
      } finally {
        await handle.close();
      }
    },
  };
}
