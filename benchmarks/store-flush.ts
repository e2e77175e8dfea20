/**
 * Benchmark: does a file-store flush cost in proportion to its batch, or to everything stored?
 * Scenario: flush 1,000 spans with a fresh FileStore into (a) an empty directory and (b) a
 * directory that already holds 1,000,000 spans (1,000 segment files written directly, in the
 * store's own format, because a million spans through the store would take minutes). Rounds
 * alternate a and b so machine drift hits both; the figure is the ratio of medians (target <= 1.5).
 * Also reported: steady-state flushes of 500-span batches into one store (each rewrites at most
 * one segment of up to DEFAULT_MAX_SEGMENT_RECORDS records).
 * Run alone: `npm run build && node --expose-gc dist/benchmarks/store-flush.js`
 */
import { closeSync, fsyncSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openFileStore, Span } from '../index.js';
import { RETENTION_DELAY_MS } from '../lib/storage/file-store.js';
import { DEFAULT_MAX_SEGMENT_RECORDS, segmentFileName, SEGMENT_FORMAT, windowStartOf, DEFAULT_SEGMENT_WINDOW_MS } from '../lib/storage/layout.js';
import { forceGc, quantile, round, runIfMain, type ScenarioResult } from './harness.js';

const BATCH = 1_000;
const STORED = 1_000_000;
const ROUNDS = 9;

function makeSpans(n: number): Span[] {
  const spans: Span[] = [];
  for (let i = 0; i < n; i++) {
    const span = new Span(
      'answer_question',
      'llm',
      undefined,
      {
        'llmtrace.function': 'answer_question',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
        'gen_ai.usage.input_tokens': 120 + (i % 50),
        'gen_ai.usage.output_tokens': 40 + (i % 30),
        'llmtrace.cost_usd': 0.0000432,
      },
      randomBytes(16).toString('hex'),
      randomBytes(8).toString('hex'),
      true,
    );
    span.finish();
    spans.push(span);
  }
  return spans;
}

/** Writes `total` spans as segment files of DEFAULT_MAX_SEGMENT_RECORDS records, as other instances would. */
function fillStore(dir: string, total: number): void {
  const spansDir = join(dir, 'spans');
  mkdirSync(spansDir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'meta.json'), JSON.stringify({ schemaVersion: 1, createdAt: new Date().toISOString() }), { mode: 0o600 });
  const template = makeSpans(DEFAULT_MAX_SEGMENT_RECORDS).map((s) => JSON.stringify(s.toJSON()));
  const windowStart = windowStartOf(Date.now(), DEFAULT_SEGMENT_WINDOW_MS);
  const files = Math.ceil(total / DEFAULT_MAX_SEGMENT_RECORDS);
  for (let f = 0; f < files; f++) {
    const instance = `${100_000 + f}-${randomBytes(3).toString('hex')}`;
    // Same records in every file, each with a distinct id prefix so ids stay unique.
    const records = template.map((json) => json.replace(/"id":"(.{4})/, `"id":"${(f % 65536).toString(16).padStart(4, '0')}`));
    const head = JSON.stringify({ format: SEGMENT_FORMAT, schemaVersion: 1, kind: 'spans', instance, windowStart }).slice(0, -1);
    // fsync'ed like the store's own writes, so the timed flushes do not pay for the fill's dirty pages.
    const fd = openSync(join(spansDir, segmentFileName(windowStart, instance, 1)), 'wx', 0o600);
    writeFileSync(fd, `${head},"records":[${records.join(',')}],"complete":true}`);
    fsyncSync(fd);
    closeSync(fd);
  }
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
        'fill.1M_spans_written_directly_s': round(fillMs / 1000, 1),
      },
      notes:
        'Each flush is atomic (temp file, fsync, rename) and starts or extends one segment of at most ' +
        `${DEFAULT_MAX_SEGMENT_RECORDS} records; the start check runs in open() and retention ${RETENTION_DELAY_MS} ms after a rotation, both off the flush path.`,
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

runIfMain(import.meta.url, storeFlush);
