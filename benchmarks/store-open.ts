/**
 * Benchmark: do `openFileStore()` and the retention pass cost what they must touch, or what the
 * store holds? Scenario: (a) an empty directory and (b) a directory holding 1,000,000 spans (1,000
 * segment files of 1,000 spans, one window apart over six weeks, as a store filled by many runs;
 * written directly in the store's format, see _stored-spans.ts). Timed, rounds alternating a and b:
 * a fresh store's `open()` (then shut down), and one retention pass (`enforceRetention`, the
 * catalog loaded, nothing to delete). Also reported: the first open of (b) without a catalog
 * (every segment met once: a tail read and a stat each, what a store written before the catalog
 * pays once), and a pass over (c), 1,000,000 spans all written in the last hour by 1,000 writers
 * that each sealed its segment (full, or at shutdown): each is the newest of its writer's window
 * and recent, but its seal makes it final at first sight, so later passes neither stat nor read it.
 * The segments are written as the store writes them (the line layout, sealed: _stored-spans.ts).
 * Run alone: `npm run build && node --expose-gc dist/benchmarks/store-open.js`
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFileStore } from '../index.js';
import { enforceRetention } from '../lib/storage/housekeeping.js';
import { nodeFileSystem } from '../lib/storage/fs-facade.js';
import { CATALOG_FILE, SegmentCatalog } from '../lib/storage/segment-catalog.js';
import { fillStore } from './_stored-spans.js';
import { forceGc, quantile, round, runIfMain, type ScenarioResult } from './harness.js';

const STORED = 1_000_000;
const ROUNDS = 11;
const DAY = 24 * 3_600_000;
/** Limits under which nothing in the filled stores is due for deletion, so every round sees the same store. */
const LIMITS = { maxAgeMs: 60 * DAY, maxBytes: 8 * 1024 ** 3 };

/** Times a fresh store's `open()` on `dir`, in ms. */
async function timedOpen(dir: string): Promise<number> {
  forceGc();
  const start = performance.now();
  const store = await openFileStore({ dir, flushOnExit: false, retentionMs: LIMITS.maxAgeMs, maxStoreBytes: LIMITS.maxBytes });
  const elapsed = performance.now() - start;
  await store.shutdown();
  return elapsed;
}

/** Times one retention pass over `dir` with its catalog loaded, in ms. */
async function timedRetention(dir: string, catalog: SegmentCatalog): Promise<number> {
  forceGc();
  const start = performance.now();
  const result = await enforceRetention(nodeFileSystem, dir, LIMITS, new Set(), catalog);
  const elapsed = performance.now() - start;
  if (result.deleted !== 0) throw new Error('the pass deleted segments: rounds would not be alike');
  return elapsed;
}

/** Runs `a` and `b` ROUNDS times, alternating which goes first; medians and quartiles of each. */
async function alternate(a: () => Promise<number>, b: () => Promise<number>): Promise<{ a: number[]; b: number[] }> {
  const out = { a: [] as number[], b: [] as number[] };
  for (let r = 0; r < ROUNDS; r++) {
    if (r % 2 === 0) {
      out.a.push(await a());
      out.b.push(await b());
    } else {
      out.b.push(await b());
      out.a.push(await a());
    }
  }
  return out;
}

const spread = (values: readonly number[]): string => `${round(quantile(values, 0.25), 2)}..${round(quantile(values, 0.75), 2)}`;

/** The scenario. */
export default async function storeOpen(): Promise<ScenarioResult> {
  const root = mkdtempSync(join(tmpdir(), 'llmtrace-bench-open-'));
  try {
    const empty = join(root, 'empty');
    const big = join(root, 'big');
    const recent = join(root, 'recent');
    fillStore(big, STORED, { spread: { endAgoMs: DAY } });
    fillStore(recent, STORED);

    const first: number[] = [];
    for (let i = 0; i < 3; i++) {
      rmSync(join(big, CATALOG_FILE), { force: true });
      first.push(await timedOpen(big));
    }
    await timedOpen(empty);
    const opens = await alternate(() => timedOpen(empty), () => timedOpen(big));

    const catalogs = {
      empty: await SegmentCatalog.load(nodeFileSystem, empty),
      big: await SegmentCatalog.load(nodeFileSystem, big),
      recent: await SegmentCatalog.load(nodeFileSystem, recent),
    };
    await timedRetention(recent, catalogs.recent); // meets every segment once
    const passes = await alternate(() => timedRetention(empty, catalogs.empty), () => timedRetention(big, catalogs.big));
    const recentPasses: number[] = [];
    for (let i = 0; i < 5; i++) recentPasses.push(await timedRetention(recent, catalogs.recent));

    return {
      name: 'store-open: openFileStore() and the retention pass, empty store vs 1,000,000 spans',
      results: {
        'open.empty_store_ms (median)': round(quantile(opens.a, 0.5), 2),
        'open.store_with_1M_ms (median)': round(quantile(opens.b, 0.5), 2),
        'open.empty_store_ms (p25..p75)': spread(opens.a),
        'open.store_with_1M_ms (p25..p75)': spread(opens.b),
        'open.store_with_1M_first_without_catalog_ms (median of 3)': round(quantile(first, 0.5), 1),
        'retention.empty_store_ms (median)': round(quantile(passes.a, 0.5), 2),
        'retention.store_with_1M_ms (median)': round(quantile(passes.b, 0.5), 2),
        'retention.store_with_1M_ms (p25..p75)': spread(passes.b),
        'retention.1M_written_in_the_last_hour_ms (median of 5)': round(quantile(recentPasses, 0.5), 2),
      },
      notes:
        'A pass lists every segment name (1,000 here) and takes sizes and times from catalog.json; it reads a ' +
        "segment's tail once, when it first meets it, and a head only to prove ownership before a deletion. " +
        'Segments that may still be appended to (unsealed, the newest of their writer and window, changed in the last 3 hours) are stat\'ed again by each pass; sealed ones never.',
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

runIfMain(import.meta.url, storeOpen);
