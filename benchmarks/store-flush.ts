/**
 * Benchmark: does a file-store flush cost in proportion to its batch, or to everything stored?
 * Scenario: flush 1,000 spans with a fresh FileStore into (a) an empty directory and (b) a
 * directory that already holds 1,000,000 spans (1,000 segment files written directly, in the
 * store's own format, because a million spans through the store would take minutes). Rounds
 * alternate a and b so machine drift hits both; the figure is the ratio of medians (target <= 1.5).
 * Also reported: steady-state flushes of 500-span batches into one store, and write amplification:
 * 300 flushes of 10-span batches into one store (three segments of DEFAULT_MAX_SEGMENT_RECORDS
 * records filled one after the other), the bytes written to span segment files (counted through the
 * file-system seam) against the bytes of the batches' records, and the median time of such a flush.
 * Run alone: `npm run build && node --expose-gc dist/benchmarks/store-flush.js`
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { openFileStore, type Span } from '../index.js';
import { RETENTION_DELAY_MS } from '../lib/storage/file-store.js';
import { nodeFileSystem, type StorageFileSystem } from '../lib/storage/fs-facade.js';
import { DEFAULT_MAX_SEGMENT_RECORDS } from '../lib/storage/layout.js';
import { fillStore, makeSpans } from './_stored-spans.js';
import { forceGc, quantile, round, runIfMain, type ScenarioResult } from './harness.js';

const BATCH = 1_000;
const STORED = 1_000_000;
const ROUNDS = 9;
const SMALL_BATCH = 10;
const SMALL_FLUSHES = 300;

/** The real file system, counting the bytes written into files under a `spans` directory. */
function spanBytesCounter(): { fs: StorageFileSystem; bytes: () => number } {
  let bytes = 0;
  const count = (data: string): void => {
    bytes += Buffer.byteLength(data, 'utf8');
  };
  const fs: StorageFileSystem = {
    ...nodeFileSystem,
    open: async (path, flags, mode) => {
      const file = await nodeFileSystem.open(path, flags, mode);
      if (!path.includes(`${sep}spans${sep}`)) return file;
      return {
        ...file,
        writeFile: (data) => (count(data), file.writeFile(data)),
        writeAt: (data, position) => (count(data), file.writeAt(data, position)),
      };
    },
  };
  return { fs, bytes: () => bytes };
}

/** 10-span flushes into one store: bytes written to span segments per byte of records, and the median flush in ms. */
async function smallBatches(dir: string): Promise<{ amplification: number; medianMs: number }> {
  const { fs, bytes } = spanBytesCounter();
  const store = await openFileStore({ dir, fs, flushOnExit: false });
  const spans = makeSpans(SMALL_BATCH * SMALL_FLUSHES);
  const recordBytes = spans.reduce((sum, span) => sum + Buffer.byteLength(JSON.stringify(span.toJSON()), 'utf8'), 0);
  const times: number[] = [];
  for (let i = 0; i < SMALL_FLUSHES; i++) {
    const start = performance.now();
    await store.export(spans.slice(i * SMALL_BATCH, (i + 1) * SMALL_BATCH));
    await store.flush();
    times.push(performance.now() - start);
  }
  await store.shutdown();
  if (store.stats().writtenSpans !== spans.length) throw new Error('the small flushes did not write every span');
  return { amplification: bytes() / recordBytes, medianMs: quantile(times, 0.5) };
}

/** Opens a fresh store on `dir`, queues `spans`, and times the flush in ms. */
async function timedFlush(dir: string, spans: readonly Span[]): Promise<number> {
  const store = await openFileStore({ dir, flushOnExit: false, maxStoreBytes: 8 * 1024 ** 3 });
  forceGc();
  const start = performance.now();
  await store.export(spans);
  await store.flush();
  const elapsed = performance.now() - start;
  await store.shutdown();
  if (store.stats().writtenSpans !== spans.length) throw new Error('flush did not write the batch');
  return elapsed;
}

/** The scenario. */
export default async function storeFlush(): Promise<ScenarioResult> {
  const root = mkdtempSync(join(tmpdir(), 'llmtrace-bench-flush-'));
  try {
    const big = join(root, 'big');
    const fillStart = performance.now();
    fillStore(big, STORED);
    const fillMs = performance.now() - fillStart;
    const batch = makeSpans(BATCH);
    await timedFlush(join(root, 'warmup'), batch);
    await timedFlush(big, batch);

    const empty: number[] = [];
    const full: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const emptyDir = join(root, `empty-${r}`);
      if (r % 2 === 0) {
        empty.push(await timedFlush(emptyDir, batch));
        full.push(await timedFlush(big, batch));
      } else {
        full.push(await timedFlush(big, batch));
        empty.push(await timedFlush(emptyDir, batch));
      }
    }

    const steadyDir = join(root, 'steady');
    const steadyStore = await openFileStore({ dir: steadyDir, flushOnExit: false });
    const steady: number[] = [];
    for (let i = 0; i < 20; i++) {
      const start = performance.now();
      await steadyStore.export(batch.slice(0, 500));
      await steadyStore.flush();
      steady.push(performance.now() - start);
    }
    await steadyStore.shutdown();
    const small = await smallBatches(join(root, 'small'));

    const emptyMs = quantile(empty, 0.5);
    const fullMs = quantile(full, 0.5);
    return {
      name: 'store-flush: 1,000 spans into an empty store vs a store holding 1,000,000',
      results: {
        'flush_1000.empty_store_ms (median)': round(emptyMs, 2),
        'flush_1000.store_with_1M_ms (median)': round(fullMs, 2),
        'ratio (target <= 1.5)': round(fullMs / emptyMs, 2),
        'flush_1000.empty_store_ms (p25..p75)': `${round(quantile(empty, 0.25), 2)}..${round(quantile(empty, 0.75), 2)}`,
        'flush_1000.store_with_1M_ms (p25..p75)': `${round(quantile(full, 0.25), 2)}..${round(quantile(full, 0.75), 2)}`,
        'steady.flush_500_into_one_store_ms (median)': round(quantile(steady, 0.5), 2),
        'small_batches.bytes_written_per_record_byte (10-span flushes)': round(small.amplification, 3),
        'small_batches.flush_10_ms (median)': round(small.medianMs, 2),
        'fill.1M_spans_written_directly_s': round(fillMs / 1000, 1),
      },
      notes:
        'A flush appends its records to one segment of at most ' +
        `${DEFAULT_MAX_SEGMENT_RECORDS} records (fsync'ed; the first batch of a segment creates it atomically), and a full segment gets its trace-id index once; ` +
        `the start check runs in open() and retention ${RETENTION_DELAY_MS} ms after a rotation, both off the flush path.`,
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

runIfMain(import.meta.url, storeFlush);
