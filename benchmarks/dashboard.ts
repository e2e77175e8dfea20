/**
 * Dashboard read path (issue 10, item 5), in memory: folding 100,000 traces (300,000 spans) into
 * the trace listing, then serving pages of 100 rows from it (newest first, sorted by duration,
 * filtered by status and text); and the overview of 1,000,000 spans computed from their window
 * summaries (1,000 windows x 10 groups) by generateDashboardData. Reading the segments from disk
 * is not included in those (see docs/storage.md for read throughput). Then the same 100,000 traces
 * from a store on disk, followed as the dashboard follows it (SpanFileFollower): the first read of
 * every segment, and the refresh after one more span lands (only its segment is read again).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configure, createLogger, TraceStore, type SpanData } from '../index.js';
import { Aggregator, createFileStore } from '../lib/extend/index.js';
import type { WindowSummary } from '../lib/aggregator/window-summary.js';
import { generateDashboardData, openSource, SpanFileFollower, TraceListing, type TraceQuery } from '../lib/query/index.js';
import { quantile, round, runIfMain, type ScenarioResult } from './harness.js';
import { asSpans, syntheticTraces } from './synthetic-traces.js';

const TRACES = 100_000;
const OVERVIEW_SPANS = 1_000_000;
const WINDOWS = 1_000;

function timeMs(fn: () => void): number {
  const started = performance.now();
  fn();
  return performance.now() - started;
}

/** Follows a store of `spans` from disk: ms of the first refresh, and of the refresh after one more span lands. */
async function followFromDisk(spans: readonly SpanData[]): Promise<{ firstMs: number; afterOneSpanMs: number; segmentsRead: number; segments: number }> {
  configure({ store: new TraceStore(), logger: { format: 'hidden' } });
  const root = mkdtempSync(join(tmpdir(), 'llmtrace-bench-dashboard-'));
  try {
    const store = createFileStore({ dir: root, flushOnExit: false, maxStoreBytes: 8 * 2 ** 30, retentionMs: 365 * 86_400_000, segmentWindowMs: 365 * 86_400_000 });
    for (let i = 0; i < spans.length - 1; i += 10_000) {
      await store.export(asSpans(spans.slice(i, Math.min(i + 10_000, spans.length - 1))));
      await store.flush();
    }
    const listing = new TraceListing();
    const follower = new SpanFileFollower(await openSource(root, { segmentWindowMs: 365 * 86_400_000 }), listing);
    let started = performance.now();
    const first = await follower.refresh();
    listing.query({ limit: 100 });
    const firstMs = performance.now() - started;
    await store.export(asSpans(spans.slice(-1)));
    await store.flush();
    started = performance.now();
    const after = await follower.refresh();
    listing.query({ limit: 100 });
    const afterOneSpanMs = performance.now() - started;
    await store.shutdown();
    return { firstMs, afterOneSpanMs, segmentsRead: after.read, segments: first.read };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The scenario. */
export default async function dashboardScenario(): Promise<ScenarioResult> {
  const spans = syntheticTraces(TRACES);
  const listing = new TraceListing();
  const foldMs = timeMs(() => {
    for (const span of spans) listing.add(span);
    listing.query({ limit: 1 });
  });
  const queries: TraceQuery[] = [{}, { sort: 'duration' }, { status: 'error' }, { text: 'rate limited 4' }, { model: 'model_3', sort: 'cost', order: 'asc' }, { offset: 50_000 }];
  const pageTimes: number[] = [];
  for (let round_ = 0; round_ < 5; round_++) for (const q of queries) pageTimes.push(timeMs(() => listing.query({ ...q, limit: 100 })));

  const aggregator = new Aggregator({ logger: createLogger({ format: 'hidden' }), logSummaries: false });
  const overviewSpans = syntheticTraces(OVERVIEW_SPANS / 30).filter((s) => s.kind === 'llm');
  const summaries: WindowSummary[] = [];
  const perWindow = OVERVIEW_SPANS / WINDOWS;
  for (let w = 0; w < WINDOWS; w++) {
    for (let i = 0; i < perWindow; i++) aggregator.record(overviewSpans[(w * perWindow + i) % overviewSpans.length]!);
    summaries.push(...aggregator.flush().map((s) => ({ ...s, windowStart: w * 60_000, windowEnd: (w + 1) * 60_000 })));
  }
  const overviewMs = timeMs(() => generateDashboardData({ summaries, from: 0, to: WINDOWS * 60_000 }));
  const followed = await followFromDisk(spans);
  return {
    name: 'dashboard: trace listing and overview',
    results: {
      'listing.fold_100k_traces_ms': round(foldMs, 0),
      'listing.page_100_rows_p50_ms': round(quantile(pageTimes, 0.5), 2),
      'listing.page_100_rows_max_ms': round(Math.max(...pageTimes), 2),
      'overview.summaries': summaries.length,
      'overview.1m_spans_from_summaries_ms': round(overviewMs, 0),
      'disk.segments': followed.segments,
      'disk.first_read_100k_traces_ms': round(followed.firstMs, 0),
      'disk.refresh_after_one_span_ms': round(followed.afterOneSpanMs, 0),
      'disk.refresh_segments_read': followed.segmentsRead,
      'disk.refresh_ratio_to_first_read': round(followed.afterOneSpanMs / followed.firstMs, 3),
    },
    notes: 'listing and overview in memory: the listing is folded once and then followed; the overview reads one summary per window and group. disk: the store written by the real FileStore (1,000 spans a segment), followed as the dashboard follows it; the refresh re-reads only the segment the span landed in',
  };
}

runIfMain(import.meta.url, dashboardScenario);
