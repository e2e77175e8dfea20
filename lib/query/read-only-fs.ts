/**
 * A read-only view of the storage file-system seam, so the query layer can reuse the store's own
 * readers (lib/storage/file-store-reader.ts) without ever changing the store: every mutating call
 * (mkdir, open, rename, unlink, chmod) rejects with `EROFS` and nothing happens on disk. It also
 * notes which segment files it handed out were cut short (they lack the tail every complete segment
 * ends with, `"complete":true}`, the check housekeeping uses) or that a reader tried to move aside,
 * so a caller can name them: "skipped corrupt segment <file>". The store reader skips such files.
 */
import { basename, dirname } from 'node:path';
import { nodeFileSystem, type StorageFileSystem } from '../storage/fs-facade.js';
import { SEGMENT_DIRS, SEGMENT_TAIL } from '../storage/layout.js';

/** A `StorageFileSystem` that reads through and refuses every write, noting the corrupt segments it read. */
export interface ReadOnlyFileSystem extends StorageFileSystem {
  /** Segment files found corrupt (cut short, or moved aside by a reader); they were left as they are. */
  readonly corruptFiles: readonly string[];
}

const SEGMENT_DIR_NAMES: ReadonlySet<string> = new Set(Object.values(SEGMENT_DIRS));

function isSegmentPath(path: string): boolean {
  return SEGMENT_DIR_NAMES.has(basename(dirname(path))) && path.endsWith('.json');
}

function refuse(operation: string, path: string): Promise<never> {
  const error = Object.assign(new Error(`llmtrace: the query layer never writes (${operation} ${path})`), {
    code: 'EROFS',
  });
  return Promise.reject(error);
}

/**
 * Wraps `base` (default: the real file system) so reads pass through and writes are refused.
 * @example
 * const fs = readOnlyFileSystem();
 * const reader = openFileStoreReader({ dir, fs });
 */
export function readOnlyFileSystem(base: StorageFileSystem = nodeFileSystem): ReadOnlyFileSystem {
  const corrupt: string[] = [];
  const note = (path: string) => {
    if (!corrupt.includes(path)) corrupt.push(path);
  };
  return {
    corruptFiles: corrupt,
    mkdir: (path) => refuse('mkdir', path),
    open: (path) => refuse('open', path),
    rename: (from) => {
      note(from);
      return refuse('rename', from);
    },
    unlink: (path) => refuse('unlink', path),
    chmod: (path) => refuse('chmod', path),
    readHead: (path, bytes) => base.readHead(path, bytes),
    readFile: async (path) => {
      const text = await base.readFile(path);
      if (isSegmentPath(path) && !text.trimEnd().endsWith(SEGMENT_TAIL)) note(path);
      return text;
    },
    readTail: (path, bytes) => base.readTail(path, bytes),
    readdir: (path) => base.readdir(path),
    stat: (path) => base.stat(path),
  };
}
