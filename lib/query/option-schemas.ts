/**
 * The option schemas of the `llmtrace/query` entry points that take an options object, built with
 * the shared machinery of `lib/internal/option-schemas.ts`. They live here, next to the query
 * modules, which import this file; it imports their types only, so no cycle forms. The evaluation
 * read-back that `llmtrace/query` also exports (leaderboard, trainingRecords) has its schemas in
 * lib/evaluations/option-schemas.ts, since the root entry loads lib/evaluations but never lib/query.
 */
import { checkAgainst, is, objectValue, positiveInteger, schema, schemaKeys } from '../internal/option-schemas.js';
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
    evaluation: objectValue('an evaluation filter ({ evaluator?, chosen?, over?, ... })'),
  }),
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
