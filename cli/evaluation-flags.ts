/**
 * Flags that select evaluations (`--evaluator`, `--chosen`, `--over`), shared by `leaderboard`,
 * `export-training` and `export --what evaluations`, and their translation into an
 * `EvaluationFilter` (with the time range of `--since/--until`). "Runs where the arbiter chose
 * gpt-4o over claude-haiku-4-5" is `--evaluator arbiter --chosen gpt-4o --over claude-haiku-4-5`.
 */
import type { EvaluationFilter } from '../lib/query/index.js';
import { stringFlag, type ParsedArgs } from './args.js';
import type { CommandIO, FlagSpec } from './command.js';
import { timeRangeFromArgs } from './query-flags.js';

/** The evaluation selection flags. */
export const EVALUATION_FLAGS: Readonly<Record<string, FlagSpec>> = {
  evaluator: { type: 'string', value: '<name>', description: 'only decisions by this evaluator (arbiter, judge, user, ...)' },
  chosen: { type: 'string', value: '<model>', description: 'only decisions that chose this model' },
  over: { type: 'string', value: '<model>', description: 'only decisions that did not choose this model while choosing another' },
};

/** The EvaluationFilter the flags (and --since/--until) describe. */
export function evaluationFilterFromArgs(args: ParsedArgs, io: CommandIO, command: string): EvaluationFilter {
  const filter: EvaluationFilter = { ...timeRangeFromArgs(args, io, command) };
  const evaluator = stringFlag(args, 'evaluator');
  if (evaluator !== undefined) filter.evaluator = evaluator;
  const chosen = stringFlag(args, 'chosen');
  if (chosen !== undefined) filter.chosen = chosen;
  const over = stringFlag(args, 'over');
  if (over !== undefined) filter.over = over;
  return filter;
}
