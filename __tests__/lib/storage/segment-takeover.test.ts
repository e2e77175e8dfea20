/**
 * The exit takeover of a segment append, at every await of it. A batch that crosses a segment
 * boundary is written in several steps (fill the open segment, seal it, open the next, write the
 * rest); a process exit (`takeOverSync`) can arrive during any of them. Whichever step it lands in,
 * every record of the batch ends up on disk exactly once. Before the fix, an exit while the full
 * segment was being sealed lost the rest of the batch (24 spans in 1 of 5 runs of the
 * `sigint-handler-async-exit` exit test).
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { nodeFileSystem, type StorageFileSystem } from '../../../lib/extend/index.js';
import type { WritableFile } from '../../../lib/storage/fs-facade.js';
import { SegmentWriter } from '../../../lib/storage/segment-writer.js';
import { makeSpans } from '../../helpers/make-spans.js';
import { removeTempDirs, tempDir } from '../../helpers/temp-dir.js';

afterAll(removeTempDirs);

/** The real file system, calling `beforeOp` before each operation (handle operations included). */
function observedFs(beforeOp: () => void): StorageFileSystem {
  const wrapHandle = (file: WritableFile): WritableFile => ({
    writeFile: (data) => (beforeOp(), file.writeFile(data)),
    writeAt: (data, position) => (beforeOp(), file.writeAt(data, position)),
    sync: () => (beforeOp(), file.sync()),
    close: () => (beforeOp(), file.close()),
  });
  return {
    mkdir: (path, mode) => (beforeOp(), nodeFileSystem.mkdir(path, mode)),
    open: async (path, flags, mode) => (beforeOp(), wrapHandle(await nodeFileSystem.open(path, flags, mode))),
    rename: (from, to) => (beforeOp(), nodeFileSystem.rename(from, to)),
    readFile: (path) => (beforeOp(), nodeFileSystem.readFile(path)),
    readTail: (path, bytes) => (beforeOp(), nodeFileSystem.readTail(path, bytes)),
    readHead: (path, bytes) => (beforeOp(), nodeFileSystem.readHead(path, bytes)),
    chmod: (path, mode) => (beforeOp(), nodeFileSystem.chmod(path, mode)),
    readdir: (path) => (beforeOp(), nodeFileSystem.readdir(path)),
    stat: (path) => (beforeOp(), nodeFileSystem.stat(path)),
    unlink: (path) => (beforeOp(), nodeFileSystem.unlink(path)),
  };
}

/** Ids of the span records in the segments of `dir`. */
function idsOnDisk(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json') && !name.startsWith('.'))
    .flatMap((name) => (JSON.parse(readFileSync(join(dir, name), 'utf8')) as { records: { id: string }[] }).records.map((r) => r.id));
}

const LIMITS = { maxRecords: 10, maxBytes: 1024 * 1024 };
const WINDOW = 0;

/** Writes 25 records (three segments) in two appends, taking over at the `at`-th file operation. */
async function appendWithTakeoverAt(at: number): Promise<{ written: string[]; onDisk: string[]; ops: number }> {
  const dir = join(tempDir(), 'spans');
  mkdirSync(dir, { recursive: true });
  let ops = 0;
  let exited = false;
  let writer: SegmentWriter<'spans'> | undefined;
  const fs = observedFs(() => {
    if (++ops !== at) return;
    exited = true;
    writer!.takeOverSync();
  });
  writer = new SegmentWriter(fs, dir, 'spans', 'test', LIMITS, () => undefined);
  const first = makeSpans(7).map((span) => span.toJSON());
  const second = makeSpans(18).map((span) => span.toJSON());
  // As the file store does: after the takeover, batches are written synchronously.
  const write = async (records: typeof first): Promise<void> => {
    if (exited) writer.appendSync(WINDOW, records);
    else await writer.append(WINDOW, records);
  };
  await write(first);
  await write(second);
  writer.sealAllSync();
  await sleep(20); // the abandoned async operations land (at a real exit they would not)
  return { written: [...first, ...second].map((r) => r.id), onDisk: idsOnDisk(dir), ops };
}

describe('a segment append taken over at process exit', () => {
  it('keeps every record exactly once, whichever file operation the exit lands in', async () => {
    const { ops: total } = await appendWithTakeoverAt(Number.POSITIVE_INFINITY);
    expect(total).toBeGreaterThan(10); // the sweep covers appends, seals and new segments
    for (let at = 1; at <= total + 1; at++) {
      const { written, onDisk } = await appendWithTakeoverAt(at);
      expect({ at, ids: [...onDisk].sort() }).toEqual({ at, ids: [...written].sort() });
    }
  });
});
