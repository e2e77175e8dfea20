/**
 * A read-only view of the storage file-system seam, so the query layer can reuse the store's own
 * readers (lib/storage/file-store-reader.ts) without ever changing the store: every mutating call
 * (mkdir, open, rename, unlink, chmod) rejects with `EROFS` and nothing happens on disk. The store
 * readers never write; this makes that a guarantee of the query layer, whatever a reader does.
 */
import { nodeFileSystem, type StorageFileSystem } from '../storage/fs-facade.js';

/** A `StorageFileSystem` that reads through and refuses every write. */
export type ReadOnlyFileSystem = StorageFileSystem;

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
  return {
    mkdir: (path) => refuse('mkdir', path),
    open: (path) => refuse('open', path),
    rename: (from) => refuse('rename', from),
    unlink: (path) => refuse('unlink', path),
    chmod: (path) => refuse('chmod', path),
    readHead: (path, bytes) => base.readHead(path, bytes),
    readFile: (path) => base.readFile(path),
    readTail: (path, bytes) => base.readTail(path, bytes),
    readdir: (path) => base.readdir(path),
    stat: (path) => base.stat(path),
  };
}
