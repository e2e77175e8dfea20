/**
 * The option schemas of the evaluation read-back entry points (`leaderboard`, `trainingRecords`,
 * exported by `llmtrace/query`), built with the shared machinery of `lib/internal/option-schemas.ts`.
 * They live here, not in lib/query/option-schemas.ts, because the root entry loads lib/evaluations
 * and must not load lib/query; this file imports the evaluation types only, so no cycle forms.
 */
import { checkAgainst, every, is, oneOf, schema, schemaKeys } from '../internal/option-schemas.js';
import type { LeaderboardMetric, LeaderboardOptions } from './leaderboard.js';
import type { TrainingExportOptions, TrainingFormat } from './training-export.js';

const EVALUATION_SCHEMAS = {
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

/** The name of an evaluation read-back entry point whose options `checkEvaluationReadOptions` knows. */
export type EvaluationReadEntryPoint = keyof typeof EVALUATION_SCHEMAS;

/** @internal Every evaluation read-back entry point with a schema, and its option keys (for the table-driven test). */
export function evaluationReadEntryPointKeys(): Record<EvaluationReadEntryPoint, readonly string[]> {
  return schemaKeys(EVALUATION_SCHEMAS);
}

/** @internal `checkOptions` for the evaluation read-back entry points: the first line of each. */
export function checkEvaluationReadOptions(entry: EvaluationReadEntryPoint, options: unknown): void {
  checkAgainst(EVALUATION_SCHEMAS[entry], entry, options);
}
