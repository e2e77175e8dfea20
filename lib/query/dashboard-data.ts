/**
 * The numbers the dashboard's overview shows, as a pure function people can build their own views
 * on: request count, error rate, latency percentiles, time to first token, tokens, cost and
 * throughput over a time range; latency histogram buckets; requests, errors and cost per time
 * bucket; the per-model table. Two bases, the same figures: loaded spans (exact) or stored window
 * summaries (merged distributions; a long range costs one record per window and group, never a
 * rescan of every span). Counting follows `groupStats` by model: model calls only (not scopes,
 * tools, chains or the wrappers of model calls: `isModelCall`), cache hits counted apart, outside
 * latency and cost.
 */
import type { SerializedDistribution } from '../aggregator/distribution.js';
import { mergeSummaries } from '../aggregator/merge-summaries.js';
import { summarisesModelCalls, type WindowSummary } from '../aggregator/window-summary.js';
import type { SpanData } from '../span.js';
import { GroupStatsAccumulator, statsFromSummaries } from './group-stats.js';
import { checkQueryOptions } from './option-schemas.js';
import { sampleQuantiles } from './percentiles.js';
import { isCacheHit, isModelCall, spanCost, spanInputTokens, spanOutputTokens, spanTtft, spanWeight } from './span-fields.js';
import type { DashboardData, LatencyBucket, TimeBucket } from './wire-types.js';

/** Upper bounds (ms, exclusive) of the latency histogram's buckets; the last bucket is open. */
export const LATENCY_BUCKET_BOUNDS_MS: readonly number[] = [50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000];

/** Time buckets of the over-time charts when none is asked for. */
export const DEFAULT_TIME_BUCKETS = 60;

/** Input of `generateDashboardData`: spans, or else stored window summaries, and the range. */
export interface DashboardDataInput {
  /** Spans to count (those outside [from, to) by end time are ignored). Takes precedence over `summaries`. */
  spans?: Iterable<SpanData>;
  /** Window summaries to merge (those starting outside [from, to) are ignored). */
  summaries?: readonly WindowSummary[];
  /** Range start, epoch ms. */
  from: number;
  /** Range end, epoch ms (exclusive). */
  to: number;
  /** Number of time buckets. @default 60 (DEFAULT_TIME_BUCKETS) */
  buckets?: number;
}

function emptyHistogram(): LatencyBucket[] {
  return [0, ...LATENCY_BUCKET_BOUNDS_MS].map((lowerMs, i) => ({ lowerMs, upperMs: LATENCY_BUCKET_BOUNDS_MS[i] ?? null, count: 0 }));
}

function histogramIndex(ms: number): number {
  let i = 0;
  while (i < LATENCY_BUCKET_BOUNDS_MS.length && ms >= LATENCY_BUCKET_BOUNDS_MS[i]!) i++;
  return i;
}

function emptyTimeline(from: number, to: number, buckets: number): { timeline: TimeBucket[]; indexOf: (t: number) => number } {
  const width = Math.max(1, Math.ceil((to - from) / buckets));
  const count = Math.max(1, Math.ceil((to - from) / width));
  const timeline = Array.from({ length: count }, (_, i) => ({ start: from + i * width, requests: 0, errors: 0, costUsd: 0, unpricedCalls: 0 }));
  return { timeline, indexOf: (t) => Math.min(count - 1, Math.max(0, Math.floor((t - from) / width))) };
}

function checkInput(input: DashboardDataInput): number {
  checkQueryOptions('generateDashboardData', input);
  if (input.from >= input.to) {
    throw new TypeError(`llmtrace: generateDashboardData from and to must be epoch ms with from < to, got ${input.from} and ${input.to}`);
  }
  return input.buckets ?? DEFAULT_TIME_BUCKETS;
}

/**
 * The overview's numbers over [from, to): from `spans` when given (exact), else from `summaries`.
 * @throws TypeError on a bad range or bucket count.
 * @example
 * const source = await openSource('.llmtrace');
 * const to = Date.now(), from = to - 7 * 86_400_000;
 * const week = generateDashboardData({ summaries: await source.summaries({ from, to }), from, to });
 * console.log(week.summary.p90Ms, week.summary.errorRate);
 */
export function generateDashboardData(input: DashboardDataInput): DashboardData {
  const buckets = checkInput(input);
  if (input.spans !== undefined) return fromSpans(input.spans, input.from, input.to, buckets);
  return fromSummaries(input.summaries ?? [], input.from, input.to, buckets);
}

function fromSpans(spans: Iterable<SpanData>, from: number, to: number, buckets: number): DashboardData {
  const models = new GroupStatsAccumulator('model');
  const histogram = emptyHistogram();
  const { timeline, indexOf } = emptyTimeline(from, to, buckets);
  const latencies: number[] = [];
  const latencyWeights: number[] = [];
  const ttfts: number[] = [];
  const ttftWeights: number[] = [];
  let weighted = false;
  const s = { requests: 0, errors: 0, cacheHits: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, unpricedCalls: 0 };
  for (const span of spans) {
    if (span.endTime < from || span.endTime >= to || !isModelCall(span)) continue;
    models.add(span);
    // A span of a sampled store counts the calls it stands for (llmtrace.sample_weight).
    const w = spanWeight(span);
    if (w !== 1) weighted = true;
    if (isCacheHit(span)) {
      s.cacheHits += w;
      continue;
    }
    const bucket = timeline[indexOf(span.endTime)]!;
    s.requests += w;
    bucket.requests += w;
    if (span.status === 'error') {
      s.errors += w;
      bucket.errors += w;
    }
    latencies.push(span.duration);
    latencyWeights.push(w);
    histogram[histogramIndex(span.duration)]!.count += w;
    const ttft = spanTtft(span);
    if (ttft !== undefined) {
      ttfts.push(ttft);
      ttftWeights.push(w);
    }
    s.inputTokens += w * spanInputTokens(span);
    s.outputTokens += w * spanOutputTokens(span);
    const cost = spanCost(span);
    if (cost === null) {
      s.unpricedCalls += w;
      bucket.unpricedCalls += w;
    } else if (cost !== undefined) {
      s.costUsd += w * cost;
      bucket.costUsd += w * cost;
    }
  }
  if (weighted) roundCounts(s, histogram, timeline);
  const latency = sampleQuantiles(latencies, weighted ? latencyWeights : undefined);
  const ttft = sampleQuantiles(ttfts, weighted ? ttftWeights : undefined);
  return {
    basis: 'spans',
    from,
    to,
    summary: {
      ...s,
      errorRate: s.requests === 0 ? 0 : s.errors / s.requests,
      p50Ms: latency.at(0.5),
      p90Ms: latency.at(0.9),
      p99Ms: latency.at(0.99),
      ttftP50Ms: ttft.at(0.5),
      requestsPerMinute: s.requests / ((to - from) / 60_000),
    },
    latencyHistogram: histogram,
    timeline,
    models: models.result(),
  };
}

/** Weighted counts of a sampled store, rounded to whole calls and tokens for display. */
function roundCounts(
  s: { requests: number; errors: number; cacheHits: number; inputTokens: number; outputTokens: number; unpricedCalls: number },
  histogram: LatencyBucket[],
  timeline: TimeBucket[],
): void {
  for (const key of ['requests', 'errors', 'cacheHits', 'inputTokens', 'outputTokens', 'unpricedCalls'] as const) s[key] = Math.round(s[key]);
  for (const bucket of histogram) bucket.count = Math.round(bucket.count);
  for (const bucket of timeline) {
    bucket.requests = Math.round(bucket.requests);
    bucket.errors = Math.round(bucket.errors);
    bucket.unpricedCalls = Math.round(bucket.unpricedCalls);
  }
}

/** Adds a stored latency distribution to the histogram (sketch bins at their representative value). */
function addDistribution(histogram: LatencyBucket[], distribution: SerializedDistribution | undefined): void {
  if (!distribution) return;
  if (distribution.kind === 'exact') {
    for (const value of distribution.values) histogram[histogramIndex(value)]!.count++;
    return;
  }
  const a = distribution.relativeAccuracy;
  const gamma = (1 + a) / (1 - a);
  histogram[0]!.count += distribution.zeroCount;
  for (const [key, count] of distribution.bins) histogram[histogramIndex((2 * Math.pow(gamma, key)) / (1 + gamma))]!.count += count;
}

function fromSummaries(all: readonly WindowSummary[], from: number, to: number, buckets: number): DashboardData {
  const summaries = all.filter((w) => w.windowStart >= from && w.windowStart < to && summarisesModelCalls(w));
  const histogram = emptyHistogram();
  const { timeline, indexOf } = emptyTimeline(from, to, buckets);
  for (const w of summaries) {
    const bucket = timeline[indexOf(w.windowStart)]!;
    bucket.requests += w.callCount;
    bucket.errors += w.failureCount;
    bucket.costUsd += w.costUsd;
    bucket.unpricedCalls += w.unpricedCalls ?? 0;
    addDistribution(histogram, w.latencyDistribution);
  }
  const m = summaries.length ? mergeSummaries(summaries) : undefined;
  const requests = m?.callCount ?? 0;
  return {
    basis: 'summaries',
    from,
    to,
    summary: {
      requests,
      errors: m?.failureCount ?? 0,
      errorRate: requests === 0 ? 0 : (m?.failureCount ?? 0) / requests,
      cacheHits: m?.cacheHits ?? 0,
      p50Ms: m?.p50Ms ?? null,
      p90Ms: m?.p90Ms ?? null,
      p99Ms: m?.p99Ms ?? null,
      ttftP50Ms: m?.ttftP50Ms ?? null,
      inputTokens: m?.inputTokens ?? 0,
      outputTokens: m?.outputTokens ?? 0,
      costUsd: m?.costUsd ?? 0,
      unpricedCalls: m?.unpricedCalls ?? 0,
      requestsPerMinute: requests / ((to - from) / 60_000),
    },
    latencyHistogram: histogram,
    timeline,
    models: statsFromSummaries(summaries, 'model'),
  };
}
