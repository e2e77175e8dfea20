/**
 * Fault matrix, file store, point 3 of issue 8 (file-store part): bounded by bytes. The backlog
 * waiting for a slow or stuck disk is bounded in bytes as well as in batches (the excess is dropped
 * and counted, and the counts add up), and the disk bound (`maxStoreBytes`) holds while running,
 * after every write, not only after the next retention pass.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openFileStore } from '../../index.js';
import { openFileStoreReader } from '../../lib/extend/index.js';
import { diagnosticCounts, resetDiagnostics } from '../../lib/internal/diagnostics.js';
import { collect } from '../helpers/collect.js';
import { FaultyFileSystem } from '../helpers/faulty-fs.js';
import { freshStore } from '../helpers/fresh-store.js';
import { makeSpans } from '../helpers/make-spans.js';
import { removeTempDirs, tempDir } from '../helpers/temp-dir.js';

beforeAll(() => freshStore());
beforeEach(resetDiagnostics);
afterAll(removeTempDirs);

/** Bytes of every file under the store's segment directories (temp files included). */
function segmentBytesOnDisk(dir: string): number {
  let total = 0;
  for (const sub of ['spans', 'summaries']) {
    let names: string[] = [];
    try {
      names = readdirSync(join(dir, sub));
    } catch {
      continue;
    }
    for (const name of names) total += statSync(join(dir, sub, name)).size;
  }
  return total;
}

describe('the backlog is bounded in bytes', () => {
  test('a stuck disk: waiting bytes stay under maxPendingBytes, the oldest batches are dropped and counted, counts add up', async () => {
    const fs = new FaultyFileSystem();
    const dir = tempDir();
    const store = await openFileStore({ dir, fs, flushOnExit: false, maxPendingBytes: 200_000, maxPendingBatches: 1_000 });
    fs.hold();
    let exported = 0;
    let maxSeen = 0;
    for (let i = 0; i < 40; i++) {
      const batch = makeSpans(5, { attributes: { prompt: 'x'.repeat(2_000) } }); // ~11 kB a batch
      exported += batch.length;
      await store.export(batch);
      maxSeen = Math.max(maxSeen, store.stats().pendingBytes);
    }
    const held = store.stats();
    expect(maxSeen).toBeLessThanOrEqual(200_000);
    expect(held.pendingBatches).toBeLessThan(40);
    expect(held.droppedSpans).toBeGreaterThan(0);
    expect(held.droppedBytes).toBeGreaterThan(0);
    expect(diagnosticCounts()['storage.backlog-full']).toBeGreaterThan(0);
    fs.release();
    await store.shutdown();
    const after = store.stats();
    expect(after.writtenSpans + after.droppedSpans + after.failedSpans).toBe(exported);
    expect(await collect(openFileStoreReader({ dir }).readSpans())).toHaveLength(after.writtenSpans);
    expect(after.pendingBytes).toBe(0);
  });

  test('a single batch larger than the byte bound is still written (the newest batch is always kept)', async () => {
    const dir = tempDir();
    const store = await openFileStore({ dir, flushOnExit: false, maxPendingBytes: 1_000 });
    await store.export(makeSpans(3, { attributes: { prompt: 'y'.repeat(5_000) } }));
    await store.shutdown();
    expect(store.stats()).toMatchObject({ writtenSpans: 3, droppedSpans: 0 });
  });

  test('maxPendingBytes is checked at configuration time', async () => {
    await expect(openFileStore({ maxPendingBytes: 0 })).rejects.toThrow(/maxPendingBytes/);
    await expect(openFileStore({ maxPendingBytes: '1mb' as unknown as number })).rejects.toThrow(/maxPendingBytes/);
  });
});

describe('the disk bound holds while running', () => {
  test('after every flush the segment files total at most maxStoreBytes, and the newest spans are kept', async () => {
    const dir = tempDir();
    const maxStoreBytes = 150_000;
    const store = await openFileStore({ dir, flushOnExit: false, maxStoreBytes, maxSegmentBytes: 16_384, maxSegmentRecords: 1_000 });
    let peak = 0;
    for (let i = 0; i < 60; i++) {
      await store.export(makeSpans(10, { name: `round-${i}`, attributes: { prompt: 'z'.repeat(600) } })); // ~8 kB a batch, ~500 kB in all
      await store.flush();
      peak = Math.max(peak, segmentBytesOnDisk(dir));
    }
    await store.shutdown();
    expect(peak).toBeLessThanOrEqual(maxStoreBytes);
    expect(store.stats().writtenSpans).toBe(600);
    const names = new Set((await collect(openFileStoreReader({ dir }).readSpans())).map((s) => s.name));
    expect(names.has('round-59')).toBe(true); // the newest are kept, the oldest went
    expect(names.has('round-0')).toBe(false);
  });

  test('a store created without open() counts what is already on disk before its first write', async () => {
    const dir = tempDir();
    const first = await openFileStore({ dir, flushOnExit: false, maxSegmentBytes: 8_192 });
    for (let i = 0; i < 20; i++) await first.export(makeSpans(10, { attributes: { prompt: 'q'.repeat(600) } }));
    await first.shutdown();
    const onDisk = segmentBytesOnDisk(dir);
    expect(onDisk).toBeGreaterThan(100_000);
    const { createFileStore } = await import('../../lib/extend/index.js');
    const second = createFileStore({ dir, flushOnExit: false, maxStoreBytes: 60_000, maxSegmentBytes: 8_192 });
    await second.export(makeSpans(5));
    await second.flush();
    expect(segmentBytesOnDisk(dir)).toBeLessThanOrEqual(60_000);
    await second.shutdown();
  });
});
