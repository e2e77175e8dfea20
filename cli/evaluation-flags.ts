/**
 * Flags that select evaluations (`--evaluator`, `--chosen`, `--over`), shared by `leaderboard`,
 * `export-training`, `export --what evaluations` and `runs` (which lists the runs of the selected
 * evaluations), and their translation into an `EvaluationFilter` (with the time range of
 * `--since/--until`). "Runs where the arbiter chose gpt-4o over claude-haiku-4-5" is
 * `llmtrace runs --evaluator arbiter --chosen gpt-4o --over claude-haiku-4-5`.
 */
import type { EvaluationFilter } from '../lib/evaluations/evaluation-filter.js';
import { stringFlag, type ParsedArgs } from './args.js';
import type { CommandIO, FlagSpec } from './command.js';
import { timeRangeFromArgs } from './query-flags.js';
import { UsageError } from './usage-error.js';

/** The evaluation selection flags. */
export const EVALUATION_FLAGS: Readonly<Record<string, FlagSpec>> = {
  evaluator: { type: 'string', value: '<name>', description: 'only decisions by this evaluator (arbiter, judge, user, ...)' },
  chosen: { type: 'string', value: '<model>', description: 'only decisions that chose this model' },
  over: { type: 'string', value: '<model>', description: 'only decisions that did not choose this model while choosing another' },
};

/** The EvaluationFilter the flags (and --since/--until) describe. Throws a UsageError for --chosen X --over X (an empty name is refused by the parser). */
export function evaluationFilterFromArgs(args: ParsedArgs, io: CommandIO, command: string): EvaluationFilter {
  const filter: EvaluationFilter = { ...timeRangeFromArgs(args, io, command) };
  for (const name of ['evaluator', 'chosen', 'over'] as const) {
    const value = stringFlag(args, name);
    if (value !== undefined) filter[name] = value;
  }
  if (filter.chosen !== undefined && filter.chosen === filter.over) {
    throw new UsageError(`llmtrace ${command}: --chosen and --over both name ${filter.chosen}: give the model that was chosen and the one it won over`);
  }
  return filter;
}

/** The EvaluationFilter of the flags when at least one evaluation flag is given; undefined when none is (nothing to select by). */
export function evaluationSelectionFromArgs(args: ParsedArgs, io: CommandIO, command: string): EvaluationFilter | undefined {
  const given = Object.keys(EVALUATION_FLAGS).some((name) => stringFlag(args, name) !== undefined);
  return given ? evaluationFilterFromArgs(args, io, command) : undefined;
}
