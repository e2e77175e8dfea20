/**
 * Read-ahead over the storage file-system seam, for scans of a store: the scan says which segment
 * files it reads next (`readAhead`), their bytes are read on libuv's thread pool while the main
 * thread parses the current one, and the store reader's own `readFile` of such a file takes that
 * read instead of starting one. Parsing stays where it was (in the reader, one segment at a time,
 * in order), so memory grows by the text of the files read ahead, never by parsed records, and
 * corrupt segments are found and reported in the order they are read. Every other call passes
 * through to the wrapped seam.
 */
import type { StorageFileSystem } from '../storage/fs-facade.js';

/** A file-system seam whose `readFile` serves the reads started ahead. */
export interface ReadAheadFileSystem extends StorageFileSystem {
  /** Starts reading each of `paths` not read ahead yet (taken by the next `readFile` of that path). */
  readAhead(paths: readonly string[]): void;
  /** Forgets the reads ahead of `paths` not taken (a scan that ended early), freeing their text. */
  forget(paths: readonly string[]): void;
}

/**
 * Wraps `base` with read-ahead. A read ahead is taken once: a later `readFile` of the same path
 * reads the file again.
 * @example
 * const fs = withReadAhead(readOnlyFileSystem());
 * fs.readAhead([next]);
 * const text = await fs.readFile(next); // the read started above
 */
export function withReadAhead(base: StorageFileSystem): ReadAheadFileSystem {
  const pending = new Map<string, Promise<string>>();
  return {
    mkdir: (path, mode) => base.mkdir(path, mode),
    open: (path, flags, mode) => base.open(path, flags, mode),
    rename: (from, to) => base.rename(from, to),
    readTail: (path, bytes) => base.readTail(path, bytes),
    readHead: (path, bytes) => base.readHead(path, bytes),
    chmod: (path, mode) => base.chmod(path, mode),
    readdir: (path) => base.readdir(path),
    stat: (path) => base.stat(path),
    unlink: (path) => base.unlink(path),
    readFile(path) {
      const read = pending.get(path);
      if (!read) return base.readFile(path);
      pending.delete(path);
      return read;
    },
    readAhead(paths) {
      for (const path of paths) {
        if (pending.has(path)) continue;
        const read = base.readFile(path);
        read.catch(() => undefined); // a failure is the taker's to see (or nobody's, once forgotten)
        pending.set(path, read);
      }
    },
    forget(paths) {
      for (const path of paths) pending.delete(path);
    },
  };
}
