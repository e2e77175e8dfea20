/**
 * `llmtrace/query`: the read side of llmtrace as a library. Open a store directory or a JSONL
 * session file as a source, stream its spans through a filter, and fold them into what people ask
 * about: traces (listed, or one as a tree), the slowest calls, errors by type and model, grouped
 * statistics, a two-model comparison. Pure apart from reading; never writes to a store. The
 * `llmtrace` command and the dashboard are thin shells over this. See docs/query.md.
 */
export { openSource, ensureNotEmpty, readSpans } from './source.js';
export type { OpenSourceOptions, QuerySource, SourceInventory, SourceProblem, SpanFile } from './source.js';
export { readOnlyFileSystem, type ReadOnlyFileSystem } from './read-only-fs.js';
export { sessionEventsToSpans } from './session-spans.js';
export { QueryError, type QueryErrorCode } from './query-error.js';

export { parseDuration, parseTimeBound } from './time-bound.js';
export { spanMatcher, filtersBeyondTime, type SpanFilter } from './span-filter.js';
export {
  isCacheHit,
  isModelCall,
  spanCost,
  spanFunction,
  spanInputTokens,
  spanModel,
  spanOutputTokens,
  spanProvider,
  spanTtft,
} from './span-fields.js';

export { TraceSummariser, summariseTraces, assembleTrace } from './traces.js';
export type { TraceNode, TraceTree } from './traces.js';
export { findTrace, MAX_LISTED_MATCHES } from './find-trace.js';
export { SlowestSpans, slowestSpans } from './slow.js';
export { ErrorGrouper, groupErrors, DEFAULT_ERROR_EXAMPLES } from './error-groups.js';
export type { ErrorExample, ErrorGroup } from './error-groups.js';
export { GroupStatsAccumulator, groupStats, statsFromSummaries, GROUP_BY } from './group-stats.js';
export type { GroupBy } from './group-stats.js';
export { quantileSorted } from './percentiles.js';
export { ModelComparer, compareModels, verdictOf, SIGNIFICANCE_LEVEL, MIN_CALLS_FOR_VERDICT } from './compare.js';
export { mannWhitney, meanInterval, quantileInterval, rateInterval, Z_95 } from './intervals.js';
export { spanColumns, spanRow, summaryRow, evaluationRow, SPAN_COLUMNS, SUMMARY_COLUMNS, EVALUATION_COLUMNS, ATTRIBUTE_COLUMN_PREFIX, type FlatRow } from './flat-rows.js';
export { followSpans, DEFAULT_FOLLOW_POLL_MS, FOLLOW_LOOKBACK_MS, type FollowOptions } from './follow.js';
export { histogram, timeBuckets, timeStep, DEFAULT_HISTOGRAM_BUCKETS, type HistogramBucket, type TimeBucket } from './buckets.js';
export { listRuns, type ListRunsOptions, type RunListing } from './list-runs.js';

// Evaluations read back (lib/evaluations): the leaderboard, head-to-head and the training export
export {
  headToHead,
  leaderboard,
  LeaderboardBuilder,
  LEADERBOARD_METRICS,
  matchesEvaluation,
  NO_CONTENT_HINT,
  trainingRecords,
  TRAINING_FORMATS,
} from '../evaluations/index.js';
export type {
  DecisionRecord,
  EvaluationFilter,
  EvaluationRecord,
  HeadToHead,
  LeaderboardMetric,
  LeaderboardOptions,
  LeaderboardRow,
  ScoreRecord,
  TrainingExport,
  TrainingExportOptions,
  TrainingFormat,
  TrainingRecord,
} from '../evaluations/index.js';
export { generateDashboardData, LATENCY_BUCKET_BOUNDS_MS, DEFAULT_TIME_BUCKETS } from './dashboard-data.js';
export type { DashboardDataInput } from './dashboard-data.js';
export { TraceListing, TRACE_SORT_KEYS, DEFAULT_TRACE_PAGE, MAX_TRACE_PAGE } from './trace-listing.js';
export { SpanFileFollower, type FollowStep } from './span-file-follower.js';
export type { TraceQuery, TraceSortKey } from './trace-listing.js';

// The result shapes, Node-free (the dashboard page imports them too)
export type { DashboardData, DashboardSummary, Estimate, GroupStats, JudgedHeadToHead, LatencyBucket, ModelComparison, ModelSide, RankTest } from './wire-types.js';
export type { TimeBucket as DashboardTimeBucket, TracePage, TraceSummary } from './wire-types.js';
