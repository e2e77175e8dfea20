/**
 * The option schemas of the `llmtrace/query` entry points that take an options object, built with
 * the shared machinery of `lib/internal/option-schemas.ts`. They live here, next to the query
 * modules (and the evaluation read-back that `llmtrace/query` exports), which import this file; it
 * imports their types only, so no cycle forms.
 */
import { checkAgainst, every, is, objectValue, oneOf, positiveInteger, schema, schemaKeys } from '../internal/option-schemas.js';
import type { LeaderboardMetric, LeaderboardOptions } from '../evaluations/leaderboard.js';
import type { TrainingExportOptions, TrainingFormat } from '../evaluations/training-export.js';
import type { DashboardDataInput } from './dashboard-data.js';
import type { FollowOptions } from './follow.js';
import type { ListRunsOptions } from './list-runs.js';
import type { OpenSourceOptions } from './source.js';

const epochMs = is('epoch ms (a finite number)', (v) => typeof v === 'number' && Number.isFinite(v));
const func = is('a function', (v) => typeof v === 'function');

const QUERY_SCHEMAS = {
  generateDashboardData: schema<DashboardDataInput>(
    {
      spans: is('an iterable of spans', (v) => v !== null && typeof v === 'object' && typeof (v as Iterable<unknown>)[Symbol.iterator] === 'function'),
      summaries: is('an array of window summaries', (v) => Array.isArray(v)),
      from: epochMs,
      to: epochMs,
      buckets: positiveInteger,
    },
    ['from', 'to'],
  ),
  openSource: schema<OpenSourceOptions>({
    fs: objectValue('a file-system seam (a StorageFileSystem)'),
    segmentWindowMs: positiveInteger,
  }),
  followSpans: schema<FollowOptions>(
    {
      from: epochMs,
      pollMs: is('a positive number of milliseconds', (v) => typeof v === 'number' && Number.isFinite(v) && v > 0),
      stop: is('a Promise (following stops when it resolves)', (v) => v !== null && typeof v === 'object' && typeof (v as PromiseLike<void>).then === 'function'),
      now: func,
    },
    ['stop'],
  ),
  listRuns: schema<ListRunsOptions>({
    limit: is('a non-negative integer', (v) => Number.isInteger(v) && (v as number) >= 0),
    wrap: func,
  }),
  leaderboard: schema<LeaderboardOptions>({
    by: oneOf(every<LeaderboardMetric>()('score', 'winRate', 'latency', 'tokens', 'cost', 'success')),
  }),
  trainingRecords: schema<TrainingExportOptions>(
    {
      format: oneOf(every<TrainingFormat>()('sft', 'dpo', 'raw')),
      minScore: is('a finite number', (v) => typeof v === 'number' && Number.isFinite(v)),
      spanById: is('a function (spanId) => span | undefined', (v) => typeof v === 'function'),
    },
    ['format'],
  ),
};

/** The name of an `llmtrace/query` entry point whose options `checkQueryOptions` knows. */
export type QueryEntryPoint = keyof typeof QUERY_SCHEMAS;

/** @internal Every `llmtrace/query` entry point with a schema, and its option keys (for the table-driven test). */
export function queryEntryPointKeys(): Record<QueryEntryPoint, readonly string[]> {
  return schemaKeys(QUERY_SCHEMAS);
}

/** @internal `checkOptions` for the `llmtrace/query` entry points: the first line of each. */
export function checkQueryOptions(entry: QueryEntryPoint, options: unknown): void {
  checkAgainst(QUERY_SCHEMAS[entry], entry, options);
}
