/**
 * The evaluation store: recording decisions and scores (write path, inside the traced program)
 * and reading them back with the pure functions the leaderboard and the training export use (read
 * path). The root `index.ts` and `lib/query` re-export from here. See docs/evaluations.md.
 */
export { recordEvaluation, type EvaluationCandidate, type EvaluationOptions } from './record-evaluation.js';
export { score, type ScoreOptions } from './score.js';
export { attachEvaluationSink, evaluationMemoryStats, getEvaluations, type EvaluationSink } from './evaluation-sink.js';
export { DEFAULT_MAX_EVALUATIONS_IN_MEMORY, type MemoryEvaluationStats } from './memory-evaluations.js';
export { MAX_EVALUATION_TEXT_BYTES } from './evaluation-text.js';
export { checkEvaluationFilter, matchesEvaluation, type EvaluationFilter } from './evaluation-filter.js';
export { readEvaluations, readMatching, type ReadEvaluationsOptions } from './read-evaluations.js';
export { numericScore } from './score-value.js';
export {
  leaderboard,
  LeaderboardBuilder,
  LEADERBOARD_METRICS,
  type LeaderboardMetric,
  type LeaderboardOptions,
  type LeaderboardSpan,
} from './leaderboard.js';
export { headToHead } from './head-to-head.js';
export type { HeadToHead, LeaderboardRow } from './wire-types.js';
export {
  NO_CONTENT_HINT,
  trainingRecords,
  TRAINING_FORMATS,
  type DpoRecord,
  type RawCandidate,
  type RawRecord,
  type SftRecord,
  type TrainingExport,
  type TrainingExportOptions,
  type TrainingFormat,
  type TrainingRecord,
  type TrainingSkips,
} from './training-export.js';
export { spanContent, type SpanContent } from './span-content.js';
export { chosenCandidate, isEvaluationRecord } from './types.js';
export type {
  CandidateRecord,
  ChatMessage,
  DecisionRecord,
  EvaluationPrompt,
  EvaluationRecord,
  ScoreRecord,
  ScoreValue,
} from './types.js';
