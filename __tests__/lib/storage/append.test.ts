/**
 * Segments are appended to (lib/storage/segment-lines.ts, segment-writer.ts): a flush writes the
 * bytes of its batch, not those of the segment it lands in; a write cut short (a crash, a disk
 * filling up midway) costs at most the line it cut, never the lines before it; a segment of the
 * layout before still reads; and a store that shuts down seals its segments, so retention counts
 * them as final at once and run-info finds their index.
 */
import { existsSync, readdirSync, readFileSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openFileStore, type Span } from '../../../index.js';
import { createFileStore, nodeFileSystem, openFileStoreReader, type StorageFileSystem } from '../../../lib/extend/index.js';
import { diagnosticCounts, resetDiagnostics } from '../../../lib/internal/diagnostics.js';
import { collect } from '../../helpers/collect.js';
import { FaultyFileSystem, fsError, wrappingHandles } from '../../helpers/faulty-fs.js';
import { freshStore } from '../../helpers/fresh-store.js';
import { makeSpans } from '../../helpers/make-spans.js';
import { removeTempDirs, tempDir } from '../../helpers/temp-dir.js';

beforeAll(() => freshStore());
beforeEach(resetDiagnostics);
afterAll(removeTempDirs);

const DAY = 24 * 3_600_000;

/** The real file system, counting the bytes written through every handle it opens. */
function countingFileSystem(): { fs: StorageFileSystem; written: () => number } {
  let bytes = 0;
  const fs = wrappingHandles((file) => ({
    writeFile: (data) => ((bytes += Buffer.byteLength(data)), file.writeFile(data)),
    writeAt: (data, position) => ((bytes += Buffer.byteLength(data)), file.writeAt(data, position)),
  }));
  return { fs, written: () => bytes };
}

/** UTF-8 bytes of the spans' records as JSON, one a line (what they weigh in a segment). */
function recordBytes(spans: readonly Span[]): number {
  return spans.reduce((sum, span) => sum + Buffer.byteLength(JSON.stringify(span.toJSON())) + 2, 0);
}

/** The only span segment of `dir`. */
function onlySegment(dir: string): string {
  const names = readdirSync(join(dir, 'spans'));
  expect(names).toHaveLength(1);
  return join(dir, 'spans', names[0]!);
}

describe('a flush writes what its batch weighs', () => {
  test('10 spans into a segment holding 990 write about 10 spans\' bytes, and the file grows by as much', async () => {
    const dir = tempDir();
    const { fs, written } = countingFileSystem();
    // Room for more than 1,000 records, so this flush does not fill the segment (sealing it adds its index).
    const store = await openFileStore({ dir, fs, flushOnExit: false, maxSegmentRecords: 2_000 });
    for (let i = 0; i < 99; i++) {
      await store.export(makeSpans(10));
      await store.flush();
    }
    const segment = onlySegment(dir);
    const sizeBefore = statSync(segment).size;
    const writtenBefore = written();

    const batch = makeSpans(10);
    await store.export(batch);
    await store.flush();

    const batchBytes = recordBytes(batch);
    expect(sizeBefore).toBeGreaterThan(90 * batchBytes);
    expect(statSync(segment).size - sizeBefore).toBeGreaterThan(batchBytes * 0.95);
    expect(statSync(segment).size - sizeBefore).toBeLessThan(batchBytes * 1.05);
    // The segment itself (990 records, ~100x the batch) is not written again: only the batch, its
    // tail, and the process record (a few hundred bytes) are.
    expect(written() - writtenBefore).toBeLessThan(batchBytes * 1.05 + 1_000);
    await store.shutdown();
    expect(await collect(openFileStoreReader({ dir }).readSpans())).toHaveLength(1_000);
  });
});

describe('a write cut short', () => {
  test('a crash mid-append (the last line cut): the whole lines are read, the cut one skipped and reported, the file left as it is', async () => {
    const dir = tempDir();
    const store = createFileStore({ dir, flushOnExit: false });
    const first = makeSpans(5);
    await store.export(first);
    await store.flush();
    await store.export(makeSpans(3));
    await store.flush(); // not shut down: the segment stays open, as a killed process leaves it
    const segment = onlySegment(dir);
    const text = readFileSync(segment, 'utf8');
    const tailStart = text.lastIndexOf('\n]'); // the newline ending the last record's line
    const lastRecordStart = text.lastIndexOf('\n', tailStart - 1) + 1;
    truncateSync(segment, Buffer.byteLength(text.slice(0, lastRecordStart + 30))); // inside the 8th record's line
    const cut = readFileSync(segment, 'utf8');

    const reader = openFileStoreReader({ dir });
    const read = await collect(reader.readSpans());
    expect(read).toHaveLength(7);
    expect(read.slice(0, 5).map((s) => s.id)).toEqual(first.map((s) => s.id));
    expect((await reader.stats()).corruptFoundByReader).toBe(1);
    expect(reader.skippedFiles()).toEqual([{ file: segment, skippedLines: 1 }]);
    expect(diagnosticCounts()['storage.read-torn']).toBe(1);
    expect(readFileSync(segment, 'utf8')).toBe(cut);
  });

  test('a reader that catches a segment in the middle of an append reads it again, and reports nothing when it is whole then', async () => {
    const dir = tempDir();
    const store = createFileStore({ dir, flushOnExit: false });
    await store.export(makeSpans(4));
    await store.flush();
    await store.export(makeSpans(2));
    await store.flush();
    const segment = onlySegment(dir);
    let reads = 0;
    const fs: StorageFileSystem = {
      ...nodeFileSystem,
      readFile: async (path) => {
        const text = await nodeFileSystem.readFile(path);
        return path === segment && reads++ === 0 ? text.slice(0, text.length - 60) : text; // the append under way
      },
    };
    const reader = openFileStoreReader({ dir, fs });
    expect(await collect(reader.readSpans())).toHaveLength(6);
    expect(reads).toBe(2);
    expect((await reader.stats()).corruptFoundByReader).toBe(0);
    expect(diagnosticCounts()['storage.read-torn']).toBeUndefined();
    await store.shutdown();
  });

  test('at start the cut segment stays where it is (its lines are still read) and retention counts it, then deletes it by age', async () => {
    const dir = tempDir();
    const writer = createFileStore({ dir, flushOnExit: false });
    await writer.export(makeSpans(4));
    await writer.flush();
    const segment = onlySegment(dir);
    truncateSync(segment, statSync(segment).size - 40);

    const store = await openFileStore({ dir, flushOnExit: false });
    await store.shutdown();
    expect(store.stats().corruptMovedAside).toBe(0);
    expect(existsSync(segment)).toBe(true);
    expect(await collect(openFileStoreReader({ dir }).readSpans())).toHaveLength(3);

    const old = (Date.now() - 10 * DAY) / 1000;
    utimesSync(segment, old, old);
    const later = await openFileStore({ dir, flushOnExit: false, retentionMs: 7 * DAY });
    await later.shutdown();
    expect(existsSync(segment)).toBe(false);
  });

  test('an append that fails midway (disk full after half the bytes) is rewritten whole by the next flush: nothing cut is left', async () => {
    const dir = tempDir();
    let failNext = false;
    const fs = wrappingHandles((file, path) => ({
      writeAt: async (data, position) => {
        if (!failNext) return file.writeAt(data, position);
        failNext = false;
        await file.writeAt(data.slice(0, Math.floor(data.length / 2)), position);
        throw fsError('ENOSPC', 'write', path);
      },
    }));
    const store = await openFileStore({ dir, fs, flushOnExit: false });
    await store.export(makeSpans(5));
    await store.flush();
    failNext = true;
    await store.export(makeSpans(4));
    await store.flush();
    expect(store.stats()).toMatchObject({ writtenSpans: 5, failedSpans: 4 });
    const meanwhile = openFileStoreReader({ dir });
    const read = await collect(meanwhile.readSpans()); // the 5, and the whole lines of the 4 (the cut one skipped)
    expect(read.length).toBeGreaterThanOrEqual(5);
    expect(read.length).toBeLessThan(9);
    expect((await meanwhile.stats()).corruptFoundByReader).toBe(1);

    await store.export(makeSpans(3));
    await store.shutdown();
    const reader = openFileStoreReader({ dir });
    expect(await collect(reader.readSpans())).toHaveLength(8);
    expect((await reader.stats()).corruptFoundByReader).toBe(0);
    expect(() => JSON.parse(readFileSync(onlySegment(dir), 'utf8')) as unknown).not.toThrow();
  });
});

describe('two writers, one directory', () => {
  test('stores appending in turns, flush after flush, each to its own segments: every record read once, every file one document', async () => {
    const dir = tempDir();
    const a = await openFileStore({ dir, flushOnExit: false, maxSegmentRecords: 25 });
    const b = await openFileStore({ dir, flushOnExit: false, maxSegmentRecords: 25 });
    const written: string[] = [];
    for (let round = 0; round < 12; round++) {
      const batchA = makeSpans(7);
      const batchB = makeSpans(5);
      written.push(...[...batchA, ...batchB].map((s) => s.id));
      await Promise.all([a.export(batchA), b.export(batchB)]);
      await Promise.all([a.flush(), b.flush()]);
    }
    await Promise.all([a.shutdown(), b.shutdown()]);
    const names = readdirSync(join(dir, 'spans'));
    expect(new Set(names.map((name) => name.split('.')[1]!.replace(/-\d+$/, '')))).toEqual(new Set([a.instance, b.instance]));
    for (const name of names) expect(JSON.parse(readFileSync(join(dir, 'spans', name), 'utf8'))).toMatchObject({ sealed: true });
    const reader = openFileStoreReader({ dir });
    expect((await collect(reader.readSpans())).map((s) => s.id).sort()).toEqual(written.sort());
    expect((await reader.stats()).corruptFoundByReader).toBe(0);
  });
});

describe('segments of the layout before', () => {
  test('a store holding one-document segments (with and without a head index) reads them beside appended ones', async () => {
    const dir = tempDir();
    const store = createFileStore({ dir, flushOnExit: false });
    await store.export(makeSpans(2));
    await store.shutdown();
    const old = makeSpans(3).map((s) => s.toJSON());
    const head = { format: 'llmtrace.segment', schemaVersion: 1, kind: 'spans', instance: '7-abcdef', windowStart: 0 };
    writeFileSync(join(dir, 'spans', '2026-01-01T00-00.7-abcdef-0001.json'), JSON.stringify({ ...head, records: old.slice(0, 1), complete: true }));
    const indexed = { ...head, traceIds: old.slice(1).map((s) => s.traceId), records: old.slice(1), complete: true };
    writeFileSync(join(dir, 'spans', '2026-01-01T00-00.7-abcdef-0002.json'), JSON.stringify(indexed));

    const reader = openFileStoreReader({ dir });
    expect((await collect(reader.readSpans())).map((s) => s.id).slice(0, 3)).toEqual(old.map((s) => s.id));
    expect(await collect(reader.readSpans())).toHaveLength(5);
    expect(await collect(reader.readTraceSpans(old[2]!.traceId))).toEqual([old[2]]);
    expect((await reader.stats()).corruptFoundByReader).toBe(0);
  });
});

describe('sealed at shutdown', () => {
  test('every segment a store wrote is sealed when it shuts down, and stays one JSON document', async () => {
    const dir = tempDir();
    const store = createFileStore({ dir, flushOnExit: false, maxSegmentRecords: 7 });
    await store.export(makeSpans(30));
    store.writeSummaries([{ windowStart: Date.now(), windowEnd: Date.now() + 1, function: 'f', model: 'm', callCount: 1 } as never]);
    await store.shutdown();
    for (const sub of ['spans', 'summaries']) {
      for (const name of readdirSync(join(dir, sub))) {
        expect(JSON.parse(readFileSync(join(dir, sub, name), 'utf8'))).toMatchObject({ sealed: true, complete: true });
      }
    }
  });

  test('the synchronous exit flush seals what it wrote too, so run-info finds the index after process.exit()', async () => {
    const dir = tempDir();
    const store = createFileStore({ dir, flushOnExit: false });
    const spans = makeSpans(6);
    void store.export(spans.slice(0, 3));
    await new Promise((resolve) => setImmediate(resolve)); // the async append may be under way
    void store.export(spans.slice(3));
    store.flushSync();
    const names = readdirSync(join(dir, 'spans'));
    expect(names.length).toBeGreaterThan(0);
    const found: string[] = [];
    for (const name of names) {
      const doc = JSON.parse(readFileSync(join(dir, 'spans', name), 'utf8')) as { sealed?: true; traceIds?: string[]; records: { id: string }[] };
      found.push(...doc.records.map((r) => r.id));
      if (doc.sealed) expect(doc.traceIds).toHaveLength(doc.records.length);
    }
    expect(found.sort()).toEqual(spans.map((s) => s.id).sort());
    // Only a segment taken over from an async append under way stays open (it is written whole instead).
    const sealed = names.filter((name) => (JSON.parse(readFileSync(join(dir, 'spans', name), 'utf8')) as { sealed?: true }).sealed);
    expect(sealed.length).toBeGreaterThan(0);
    expect(sealed.length).toBeGreaterThanOrEqual(names.length - 1);
    await store.flush();
  });

  test('retention takes many recently written, sealed segments as final at first sight: later passes stat none of them', async () => {
    const stats: number[] = [];
    for (const writers of [3, 12]) {
      const dir = tempDir();
      for (let i = 0; i < writers; i++) {
        const store = createFileStore({ dir, flushOnExit: false });
        await store.export(makeSpans(2));
        await store.shutdown();
      }
      await (await openFileStore({ dir, flushOnExit: false })).shutdown(); // meets each segment once
      const fs = new FaultyFileSystem();
      await (await openFileStore({ dir, fs, flushOnExit: false })).shutdown();
      expect(fs.calls.readTail ?? 0).toBe(0);
      stats.push(fs.calls.stat ?? 0);
    }
    expect(stats[1]).toBe(stats[0]); // the stats a pass takes do not grow with the number of writers
  });
});
