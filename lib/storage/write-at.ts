/**
 * Writing into an existing file at a byte offset, fsync'ed: how the segment writer appends a batch
 * to a segment (segment-lines.ts). Unlike an atomic replacement it costs the bytes written, not the
 * file's size; a process killed during the write can leave those bytes half written, which the
 * segment's line layout confines to its last line. The synchronous twin is `writeAtSync`
 * (atomic-write-sync.ts).
 */
import type { StorageFileSystem } from './fs-facade.js';
import { FILE_MODE } from './atomic-write.js';

/**
 * Writes `text` into the existing file `path` at byte offset `position` and fsyncs it. Rejects with
 * ENOENT when the file (or its directory) is gone, never creating it.
 */
export async function writeAt(fs: StorageFileSystem, path: string, text: string, position: number): Promise<void> {
  const file = await fs.open(path, 'r+', FILE_MODE);
  try {
    await file.writeAt(text, position);
    await file.sync();
  } finally {
    await file.close();
  }
}
