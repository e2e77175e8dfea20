/**
 * The result shapes of the query layer, as the dashboard's JSON API sends them and the page reads
 * them: trace rows and pages, grouped statistics, the overview's numbers, two-model comparisons.
 * Types only, and Node-free (they import nothing but other Node-free type modules), so that the
 * browser page, which typechecks with the DOM library and no Node types, imports them too instead
 * of keeping copies. The functions that compute them live next door (traces.ts, group-stats.ts,
 * dashboard-data.ts, compare.ts, intervals.ts, trace-listing.ts).
 */
import type { HeadToHead } from '../evaluations/wire-types.js';

/** One trace in a listing. */
export interface TraceSummary {
  traceId: string;
  /** Name of the root span (the earliest span without a parent in the trace). */
  rootName: string;
  /** Kind of the root span. */
  rootKind: string;
  /** Earliest span start, epoch ms. */
  start: number;
  /** Latest span end, epoch ms. */
  end: number;
  /** end - start, ms. */
  durationMs: number;
  spanCount: number;
  /** Spans of kind llm or embedding. */
  modelCalls: number;
  /** Spans with status error. */
  errors: number;
  /** Models called, sorted. */
  models: string[];
  inputTokens: number;
  outputTokens: number;
  /** Sum of known costs, USD. */
  costUsd: number;
  /** Model calls whose cost is unknown (unpriced), so costUsd is a lower bound when > 0. */
  unpricedCalls: number;
}

/** One page of a listing. */
export interface TracePage {
  /** Traces matching the query (all pages). */
  total: number;
  offset: number;
  rows: TraceSummary[];
}

/** One row of grouped statistics. */
export interface GroupStats {
  /** The group's value (a model, function or provider name; `unknown` when spans name none). */
  key: string;
  /** Calls that reached the model (cache hits excluded). */
  calls: number;
  successes: number;
  failures: number;
  /** successes / calls (1 when there are no calls). */
  successRate: number;
  cacheHits: number;
  /** Latency, ms (null without calls). */
  avgMs: number | null;
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  /** Time to first token of streamed calls, ms (null when none streamed). */
  ttftP50Ms: number | null;
  ttftP90Ms: number | null;
  inputTokens: number;
  outputTokens: number;
  /** Sum of known costs, USD. */
  costUsd: number;
  /** Calls whose cost is unknown, so costUsd is a lower bound when > 0. */
  unpricedCalls: number;
  /** Error type -> count. */
  errorTypes: Record<string, number>;
  /** `spans` (exact percentiles) or `summaries` (merged stored distributions). */
  basis: 'spans' | 'summaries';
  /**
   * Present when the spans were a sample (`configure({ sampling })`): counts, sums and percentiles
   * are estimates, each span weighted by the calls it stands for (`llmtrace.sample_weight`).
   */
  sampled?: true;
}

/** The overview tiles. */
export interface DashboardSummary {
  /** Calls that reached the model (cache hits excluded). */
  requests: number;
  errors: number;
  /** errors / requests (0 without requests). */
  errorRate: number;
  cacheHits: number;
  /** Latency percentiles, ms (null without requests). */
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
  /** Time to first token p50 of streamed calls, ms. */
  ttftP50Ms: number | null;
  inputTokens: number;
  outputTokens: number;
  /** Sum of known costs, USD. */
  costUsd: number;
  /** Calls whose cost is unknown: costUsd is a lower bound when > 0. */
  unpricedCalls: number;
  /** requests per minute over the range. */
  requestsPerMinute: number;
}

/** One bar of the latency histogram: calls with lowerMs <= latency < upperMs. */
export interface LatencyBucket {
  lowerMs: number;
  /** null for the last, open bucket. */
  upperMs: number | null;
  count: number;
}

/** One time bucket of the over-time charts. */
export interface TimeBucket {
  /** Bucket start, epoch ms. */
  start: number;
  requests: number;
  errors: number;
  /** USD of the priced calls (a lower bound when `unpricedCalls` > 0). */
  costUsd: number;
  /** Calls whose model had no price (`llmtrace.cost_usd: null`). */
  unpricedCalls: number;
}

/** What `generateDashboardData` returns. */
export interface DashboardData {
  /** `spans` (exact) or `summaries` (merged stored windows). */
  basis: 'spans' | 'summaries';
  from: number;
  to: number;
  summary: DashboardSummary;
  latencyHistogram: LatencyBucket[];
  /** Oldest first; buckets of equal width covering [from, to). */
  timeline: TimeBucket[];
  /** Per-model rows, most calls first (the rows of `groupStats(spans, 'model')`). */
  models: GroupStats[];
}

/** An estimate with its 95% interval (nulls when there is no data). */
export interface Estimate {
  value: number | null;
  low: number | null;
  high: number | null;
}

/** Result of a Mann-Whitney U test. */
export interface RankTest {
  /** U statistic of the first sample. */
  u: number;
  /** Standard score of U (normal approximation, tie-corrected). */
  z: number;
  /** Two-sided p-value. */
  p: number;
  /** Probability that a value of the first sample exceeds one of the second (U / n1·n2). */
  probabilityFirstGreater: number;
}

/** One model's side of a comparison. */
export interface ModelSide {
  model: string;
  /** Model calls (cache hits excluded); when `sampledSpans` is present, the calls the sample stands for (an estimate). */
  calls: number;
  /**
   * Present when the store holds a sample (configure({ sampling })): the spans the figures were
   * estimated from, each weighted by the calls it stands for (`llmtrace.sample_weight`).
   */
  sampledSpans?: number;
  successRate: Estimate;
  /** Latency percentiles, ms (all calls). */
  p50Ms: Estimate;
  p90Ms: Estimate;
  p99Ms: Estimate;
  /** Time to first token p50 of streamed calls, ms. */
  ttftP50Ms: Estimate;
  /** Per call means. */
  inputTokensPerCall: Estimate;
  outputTokensPerCall: Estimate;
  /** Mean cost of priced calls, USD. */
  costPerCallUsd: Estimate;
}

/** Evaluations' head-to-head record (`headToHead` of lib/evaluations) with a 95% interval on A's win rate. */
export interface JudgedHeadToHead extends HeadToHead {
  /** aWins / (aWins + bWins) with a Wilson interval. */
  aWinRateInterval: Estimate;
}

/** What `compareModels` returns. */
export interface ModelComparison {
  a: ModelSide;
  b: ModelSide;
  /** Mann-Whitney U on latency (null when a side has no calls). */
  latencyTest: RankTest | null;
  /** Whether latency differs at SIGNIFICANCE_LEVEL. */
  latencySignificant: boolean;
  /** Evaluations' head-to-head record, when evaluations were given. */
  headToHead?: JudgedHeadToHead;
  /** One line for people. */
  verdict: string;
}
