/**
 * The file-system seam of the storage sinks: the handful of `fs/promises` operations the JSON file
 * store, its reader and the JSONL session files use. Production code passes `nodeFileSystem`; tests
 * pass a wrapper that injects faults (ENOSPC, EACCES, a failing rename) to prove that storage
 * trouble never reaches the traced program. Also the error-code and directory-listing helpers the
 * storage modules share.
 */
import { promises as fsp } from 'node:fs';
import { makeDirectory } from './make-directory.js';

/** What `stat` returns that storage needs. */
export interface FileStats {
  /** Size in bytes. */
  size: number;
  /** Last modification, epoch ms. */
  mtimeMs: number;
  /** File type and permission bits (`st_mode`). */
  mode: number;
  /** Whether it is a directory. */
  isDirectory(): boolean;
}

/** An open file handle, reduced to what atomic writes and appends need. */
export interface WritableFile {
  /** Writes the whole string (UTF-8). */
  writeFile(data: string): Promise<void>;
  /** Writes the whole string (UTF-8) at byte offset `position`, over what is there and past the end. */
  writeAt(data: string, position: number): Promise<void>;
  /** Flushes the file's data to the disk. */
  sync(): Promise<void>;
  /** Closes the handle. */
  close(): Promise<void>;
}

/** The file operations storage uses; every method rejects with a Node `fs` error on failure. */
export interface StorageFileSystem {
  /** `mkdir -p` with `mode`; resolves to the first directory created, or undefined when it existed. */
  mkdir(path: string, mode: number): Promise<string | undefined>;
  /**
   * Opens `path` with `flags` (`'wx'` for new temp files, `'a'` for appends, `'r+'` to write into an
   * existing segment), creating it with `mode` when the flags create.
   */
  open(path: string, flags: string, mode: number): Promise<WritableFile>;
  /** Renames atomically within one file system. */
  rename(from: string, to: string): Promise<void>;
  /** Reads a whole file as UTF-8. */
  readFile(path: string): Promise<string>;
  /** Reads the last `bytes` bytes of a file as UTF-8 (the whole file when shorter). */
  readTail(path: string, bytes: number): Promise<string>;
  /** Reads the first `bytes` bytes of a file as UTF-8 (the whole file when shorter). */
  readHead(path: string, bytes: number): Promise<string>;
  /** Changes a file's or directory's permission bits. */
  chmod(path: string, mode: number): Promise<void>;
  /** Names in a directory. */
  readdir(path: string): Promise<string[]>;
  /** Size and times of a file. */
  stat(path: string): Promise<FileStats>;
  /** Deletes a file. */
  unlink(path: string): Promise<void>;
}

/** The real file system (`node:fs/promises`). */
export const nodeFileSystem: StorageFileSystem = {
  mkdir: (path, mode) => makeDirectory(path, mode),
  open: async (path, flags, mode) => {
    const handle = await fsp.open(path, flags, mode);
    return {
      writeFile: (data) => handle.writeFile(data, 'utf8'),
      writeAt: async (data, position) => {
        const bytes = Buffer.from(data, 'utf8');
        let at = 0;
        while (at < bytes.length) at += (await handle.write(bytes, at, bytes.length - at, position + at)).bytesWritten;
      },
      sync: () => handle.sync(),
      close: () => handle.close(),
    };
  },
  rename: (from, to) => fsp.rename(from, to),
  readFile: (path) => fsp.readFile(path, 'utf8'),
  readTail: async (path, bytes) => {
    const handle = await fsp.open(path, 'r');
    try {
      const { size } = await handle.stat();
      const length = Math.min(size, bytes);
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, size - length);
      return buffer.toString('utf8');
    } finally {
      await handle.close();
    }
  },
  readHead: async (path, bytes) => {
    const handle = await fsp.open(path, 'r');
    try {
      const buffer = Buffer.alloc(bytes);
      const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
      return buffer.toString('utf8', 0, bytesRead);
    } finally {
      await handle.close();
    }
  },
  chmod: (path, mode) => fsp.chmod(path, mode),
  readdir: (path) => fsp.readdir(path),
  stat: (path) => fsp.stat(path),
  unlink: (path) => fsp.unlink(path),
};

/** The `code` of a Node `fs` error (`ENOENT`, `ENOSPC`, ...), or undefined. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** @internal The entry names of `dir`; a missing directory lists as empty, other errors reject. */
export async function listNames(fs: StorageFileSystem, dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return [];
    throw error;
  }
}
