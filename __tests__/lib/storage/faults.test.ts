import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openFileStore, traced } from '../../../index.js';
import { BatchSpanProcessor, createFileStore, createSessionFileExporter, openFileStoreReader, type SpanExporter } from '../../../lib/extend/index.js';
import { diagnosticCounts, resetDiagnostics } from '../../../lib/internal/diagnostics.js';
import { flushAllForExit } from '../../../lib/internal/exit-hooks.js';
import { FaultyFileSystem } from '../../helpers/faulty-fs.js';
import { freshStore } from '../../helpers/fresh-store.js';
import { makeSpans } from '../../helpers/make-spans.js';
import { collect } from '../../helpers/collect.js';
import { removeTempDirs, tempDir } from '../../helpers/temp-dir.js';

beforeEach(resetDiagnostics);
afterAll(removeTempDirs);


/** Traces `n` calls through `exporter` and returns their results after a flush. */
async function traceThrough(exporter: SpanExporter, n: number): Promise<unknown[]> {
  const store = freshStore();
  const processor = new BatchSpanProcessor(exporter, { flushOnExit: false, maxExportBatchSize: 4 }).attach(store);
  const double = traced(async (x: number) => x * 2, { name: 'double', kind: 'llm' });
  const results: unknown[] = [];
  for (let i = 0; i < n; i++) results.push(await double(i));
  await processor.shutdown();
  return results;
}

describe('storage faults never reach the traced program', () => {
  test.each(['ENOSPC', 'EACCES', 'EIO'])('a disk failing with %s: calls return their results, failures are counted and logged once', async (code) => {
    const fs = new FaultyFileSystem((op, path) => (op === 'open' && path.includes('/spans/') ? code : undefined));
    const fileStore = createFileStore({ dir: tempDir(), fs, flushOnExit: false });
    const results = await traceThrough(fileStore, 10);
    expect(results).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(fileStore.stats()).toMatchObject({ writtenSpans: 0, failedSpans: 10, pendingSpans: 0 });
    expect(diagnosticCounts()['error:storage.write']).toBe(3); // three batches (4 + 4 + 2), logged once
  });

  test('a failing write leaves the previous records whole and the store recovers when the disk does', async () => {
    let failing = false;
    const fs = new FaultyFileSystem((op, path) => (failing && (op === 'open' || op === 'rename') && path.includes('/spans/') ? 'ENOSPC' : undefined));
    const dir = tempDir();
    const fileStore = await openFileStore({ dir, fs, flushOnExit: false });
    await fileStore.export(makeSpans(3));
    await fileStore.flush();
    failing = true;
    await fileStore.export(makeSpans(2));
    await fileStore.flush();
    expect(await collect(openFileStoreReader({ dir }).readSpans())).toHaveLength(3);
    failing = false;
    await fileStore.export(makeSpans(4));
    await fileStore.shutdown();
    expect(await collect(openFileStoreReader({ dir }).readSpans())).toHaveLength(7);
    expect(fileStore.stats()).toMatchObject({ writtenSpans: 7, failedSpans: 2 });
  });

  test('a store directory that is a file (real condition): calls still return, failures counted', async () => {
    const file = join(tempDir(), 'not-a-dir');
    writeFileSync(file, 'I am a file');
    const fileStore = await openFileStore({ dir: file, flushOnExit: false }); // resolves, never rejects
    const results = await traceThrough(fileStore, 5);
    expect(results).toEqual([0, 2, 4, 6, 8]);
    expect(fileStore.stats()).toMatchObject({ writtenSpans: 0, failedSpans: 5 });
    expect(diagnosticCounts()['error:storage.open']).toBe(1);
    // Said as the user's to fix (one warning naming the path), not as an internal error of each step.
    const said = Object.keys(diagnosticCounts()).filter((key) => key.startsWith('storage.unusable:'));
    expect(said).toEqual(['storage.unusable:not-a-folder']);
  });

  // Node's recursive mkdir never returns under /proc (it spun at full CPU until 2026-12-07).
  test.each(['/proc/llmtrace-store-test', '/proc/llmtrace-store-test/nested'])('a store directory that cannot be made (%s): opening resolves at once, calls still return', async (dir) => {
    if (process.platform !== 'linux') return;
    const fileStore = await openFileStore({ dir, flushOnExit: false });
    expect(await traceThrough(fileStore, 3)).toEqual([0, 2, 4]);
    expect(fileStore.stats()).toMatchObject({ writtenSpans: 0, failedSpans: 3 });
    expect(diagnosticCounts()['error:storage.open']).toBe(1);
    expect(diagnosticCounts()['storage.unusable:cannot-make-folder']).toBeGreaterThan(0);
  }, 5_000);

  test('a session-file directory that is a file: calls still return, lines counted as failed', async () => {
    const file = join(tempDir(), 'not-a-dir');
    writeFileSync(file, 'I am a file');
    const exporter = createSessionFileExporter({ dir: file, flushOnExit: false });
    expect(await traceThrough(exporter, 3)).toEqual([0, 2, 4]);
    expect(exporter.stats().linesWritten).toBe(0);
    expect(exporter.stats().linesFailed).toBeGreaterThan(0);
  });

  test('an exporter that throws synchronously or rejects never reaches the traced call', async () => {
    const throwing: SpanExporter = {
      export: () => {
        throw new Error('sink exploded');
      },
      shutdown: async () => undefined,
    };
    const rejecting: SpanExporter = { export: async () => Promise.reject(new Error('sink down')), shutdown: async () => undefined };
    expect(await traceThrough(throwing, 3)).toEqual([0, 2, 4]);
    expect(await traceThrough(rejecting, 3)).toEqual([0, 2, 4]);
  });

  test('a full backlog drops the OLDEST batch, counts it, warns once, and never blocks the caller', async () => {
    const fs = new FaultyFileSystem();
    const dir = tempDir();
    const fileStore = await openFileStore({ dir, fs, maxPendingBatches: 3, flushOnExit: false });
    fs.hold(); // the disk stalls
    const batches = Array.from({ length: 6 }, (_, i) => makeSpans(i + 1, { name: `batch-${i}` }));
    for (const batch of batches) {
      const started = Date.now();
      await fileStore.export(batch); // resolves at once even though nothing can be written
      expect(Date.now() - started).toBeLessThan(1_000); // generous: only a blocked caller would take long
    }
    // batch-0 is being written (held); batch-1..5 wait in a backlog of 3: batch-1 and batch-2 are dropped
    expect(fileStore.stats()).toMatchObject({ pendingBatches: 3, droppedBatches: 2, droppedSpans: 2 + 3 });
    expect(diagnosticCounts()['storage.backlog-full']).toBe(2);
    fs.release();
    await fileStore.shutdown();
    const names = (await collect(openFileStoreReader({ dir }).readSpans())).map((s) => s.name);
    expect(names).toHaveLength(1 + 4 + 5 + 6);
    expect(new Set(names)).toEqual(new Set(['batch-0', 'batch-3', 'batch-4', 'batch-5']));
    expect(fileStore.stats()).toMatchObject({ writtenSpans: 16, droppedSpans: 5, pendingSpans: 0 });
  });

  test('at exit, counts of failed or pending spans are logged when non-zero, and nothing when all is well', async () => {
    const healthy = createFileStore({ dir: tempDir() }); // flushOnExit defaults to true
    await healthy.export(makeSpans(2));
    await flushAllForExit();
    expect(diagnosticCounts()['storage.exit']).toBeUndefined();
    expect(healthy.stats().writtenSpans).toBe(2); // the exit flush wrote them
    await healthy.shutdown();

    const fs = new FaultyFileSystem((op, path) => (op === 'open' && path.includes('/spans/') ? 'ENOSPC' : undefined));
    const failing = createFileStore({ dir: tempDir(), fs });
    await failing.export(makeSpans(3));
    await flushAllForExit();
    expect(diagnosticCounts()['storage.exit-unflushed']).toBe(1); // 3 spans could not be flushed at exit
    await failing.shutdown();
  });
});
