/**
 * `llmtrace leaderboard --by score|win-rate|latency|tokens|cost|success`: per model the number of
 * evaluations, mean score, win rate, tokens per call, p50 latency, cost per call and success rate,
 * ranked. Spans give the call figures, evaluations the judgements (a store without evaluations
 * still ranks by the call figures). Thin over lib/query LeaderboardBuilder.
 */
import { LeaderboardBuilder, LEADERBOARD_METRICS, type LeaderboardMetric } from '../../lib/evaluations/leaderboard.js';
import { readSpanBatches } from '../../lib/query/source.js';
import { spanMatcher } from '../../lib/query/span-filter.js';
import { booleanFlag, positiveIntegerFlag, stringFlag } from '../args.js';
import type { Command } from '../command.js';
import { evaluationFilterFromArgs, EVALUATION_FLAGS } from '../evaluation-flags.js';
import { colorsFor, formatMs, formatPercent, printJson, renderTable } from '../output.js';
import { reportProblems } from '../problems.js';
import { withProgress } from '../progress.js';
import { LIMIT_FLAG, openStoreFromArgs, TIME_FLAGS, timeRangeFromArgs } from '../query-flags.js';
import { UsageError } from '../usage-error.js';

const BY_NAMES: Readonly<Record<string, LeaderboardMetric>> = {
  score: 'score', 'win-rate': 'winRate', winrate: 'winRate', winRate: 'winRate', latency: 'latency', tokens: 'tokens', cost: 'cost', success: 'success',
};

function num(value: number | null, format: (v: number) => string): string {
  return value === null ? '-' : format(value);
}

/** `llmtrace leaderboard`. */
export const leaderboardCommand: Command = {
  name: 'leaderboard',
  summary: 'rank models by score, win rate, latency, tokens, cost or success',
  usage: 'leaderboard [--by score|win-rate|latency|tokens|cost|success] [--since <when>] [--evaluator <name>]',
  examples: ['llmtrace leaderboard --by score', 'llmtrace leaderboard --by cost --since 7d --json'],
  arguments: [],
  flags: {
    ...TIME_FLAGS,
    ...LIMIT_FLAG,
    evaluator: EVALUATION_FLAGS.evaluator!,
    by: { type: 'string', value: '<metric>', description: 'the order: score (default), win-rate, latency, tokens, cost, success' },
  },
  async run(args, io) {
    const byText = stringFlag(args, 'by') ?? 'score';
    const by = BY_NAMES[byText];
    if (!by || !LEADERBOARD_METRICS.includes(by)) {
      throw new UsageError(`llmtrace leaderboard: --by must be one of score, win-rate, latency, tokens, cost, success, got ${JSON.stringify(byText)}`);
    }
    const limit = positiveIntegerFlag(args, 'limit', Number.MAX_SAFE_INTEGER, 'leaderboard');
    const range = timeRangeFromArgs(args, io, 'leaderboard');
    const source = await openStoreFromArgs(args, io);
    const builder = new LeaderboardBuilder();
    for await (const batch of withProgress(readSpanBatches([source], range, spanMatcher(range)), io, source.label)) for (const span of batch) builder.addSpan(span);
    let evaluations = 0;
    for await (const record of source.evaluations(evaluationFilterFromArgs(args, io, 'leaderboard'))) {
      evaluations++;
      builder.addEvaluation(record);
    }
    const rows = builder.rows({ by }).slice(0, limit);
    if (booleanFlag(args, 'json')) {
      printJson(io, rows);
    } else if (rows.length === 0) {
      io.out('no model calls or evaluations match\n');
    } else {
      const c = colorsFor(io);
      io.out(
        renderTable(
          [
            { header: '#', align: 'right' },
            { header: 'model', shrink: true },
            { header: 'evals', align: 'right' },
            { header: 'mean score', align: 'right' },
            { header: 'win rate', align: 'right' },
            { header: 'calls', align: 'right' },
            { header: 'tokens/call', align: 'right' },
            { header: 'p50', align: 'right' },
            { header: 'cost/call', align: 'right' },
            { header: 'success', align: 'right' },
          ],
          rows.map((r) => [
            String(r.rank),
            r.model,
            String(r.evaluations),
            num(r.meanScore, (v) => v.toFixed(3)),
            r.winRate === null ? '-' : `${formatPercent(r.winRate)} (${r.wins}/${r.decisions})`,
            String(r.calls),
            num(r.tokensPerCall, (v) => v.toFixed(1)),
            formatMs(r.p50LatencyMs),
            num(r.costPerCall, (v) => `$${v.toFixed(6)}`),
            num(r.successRate, formatPercent),
          ]),
          io,
          c,
        ),
      );
      if (evaluations === 0) io.out(c.dim('no evaluations in this range: record them with recordEvaluation() or score() (see docs/evaluations.md)\n'));
    }
    reportProblems([source], io);
  },
};
