/**
 * The synchronous twins of the storage writes, for process exit: an `exit` listener can only do
 * synchronous work, so what is still pending is written with blocking `node:fs` calls. Same
 * guarantees as the async writes: a replaced file goes through a `0600` temp file, fsync and rename
 * (atomic), directories are created `0700`. These bypass the `StorageFileSystem` seam: they run only
 * when the store uses the real file system (`nodeFileSystem`).
 */
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { DIR_MODE, FILE_MODE, tempPathFor } from './atomic-write.js';
import { makeDirectorySync } from './make-directory.js';

/** Replaces `target` with `text` atomically and synchronously; rethrows after removing the temp file. */
export function writeFileAtomicSync(target: string, text: string): void {
  const temp = tempPathFor(target);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', FILE_MODE);
    writeAllSync(fd, Buffer.from(text, 'utf8'));
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, target);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // never created, or already gone
    }
    throw error;
  }
}

/**
 * Writes `text` into the existing file `path` at byte offset `position` and fsyncs it,
 * synchronously (the twin of write-at.ts). Throws ENOENT when the file is gone.
 */
export function writeAtSync(path: string, text: string, position: number): void {
  const fd = openSync(path, 'r+');
  try {
    const bytes = Buffer.from(text, 'utf8');
    let at = 0;
    while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at, position + at);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Appends `bytes` to `path` (created `0600` when missing), synchronously. */
export function appendFileSyncOwned(path: string, bytes: Buffer): void {
  const fd = openSync(path, 'a', FILE_MODE);
  try {
    writeAllSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
}

/** `mkdir -p` with the storage directory mode, synchronously. */
export function mkdirOwnedSync(path: string): void {
  makeDirectorySync(path, DIR_MODE);
}

function writeAllSync(fd: number, bytes: Buffer): void {
  let at = 0;
  while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
}
