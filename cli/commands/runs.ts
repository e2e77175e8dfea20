/**
 * `llmtrace runs`: the traces (runs) in the store, newest first: trace id, root name, start,
 * duration, span count, model calls, errors, models, tokens and cost. Filters pick runs (those with
 * a matching span, and with `--evaluator/--chosen/--over` those with a matching evaluation); each is
 * totalled over all its spans. Thin over lib/query listRuns.
 */
import { listRuns } from '../../lib/query/list-runs.js';
import type { SpanData } from '../../lib/span.js';
import { positiveIntegerFlag, booleanFlag } from '../args.js';
import type { Command } from '../command.js';
import { EVALUATION_FLAGS, evaluationSelectionFromArgs } from '../evaluation-flags.js';
import { colorsFor, formatCount, formatMs, formatTime, formatUsd, printJson, renderTable } from '../output.js';
import { reportProblems } from '../problems.js';
import { withProgress } from '../progress.js';
import { FILTER_FLAGS, filterFromArgs, LIMIT_FLAG, openStoreFromArgs } from '../query-flags.js';

/** Rows shown when --limit is not given. */
export const DEFAULT_RUNS_LIMIT = 20;

/** `llmtrace runs`. */
export const runsCommand: Command = {
  name: 'runs',
  summary: 'list the runs (traces), newest first',
  usage: 'runs [--since <when>] [--limit <n>] [filters] [--evaluator <name>] [--chosen <model>] [--over <model>]',
  examples: [
    'llmtrace runs --since 12h',
    'llmtrace runs --model gpt-4o-mini --status error --json',
    'llmtrace runs --evaluator arbiter --chosen gpt-4o --over claude-haiku-4-5',
  ],
  arguments: [],
  flags: { ...FILTER_FLAGS, ...LIMIT_FLAG, ...EVALUATION_FLAGS },
  async run(args, io) {
    const limit = positiveIntegerFlag(args, 'limit', DEFAULT_RUNS_LIMIT, 'runs');
    const filter = filterFromArgs(args, io, 'runs');
    const evaluation = evaluationSelectionFromArgs(args, io, 'runs');
    const source = await openStoreFromArgs(args, io);
    const wrap = (batches: AsyncIterable<readonly SpanData[]>) => withProgress(batches, io, source.label);
    const { runs: traces, total } = await listRuns([source], filter, { limit, wrap, ...(evaluation ? { evaluation } : {}) });
    if (booleanFlag(args, 'json')) {
      printJson(io, traces);
    } else if (traces.length === 0) {
      io.out('no runs match\n');
    } else {
      const c = colorsFor(io);
      const rows = traces.map((t) => [
        t.traceId.slice(0, 12),
        t.rootName,
        formatTime(t.start),
        formatMs(t.durationMs),
        String(t.spanCount),
        String(t.modelCalls),
        t.errors > 0 ? c.red(String(t.errors)) : '0',
        t.models.join(',') || '-',
        formatCount(t.inputTokens),
        formatCount(t.outputTokens),
        formatUsd(t.costUsd, t.unpricedCalls),
      ]);
      io.out(
        renderTable(
          [
            { header: 'trace' },
            { header: 'root', shrink: true },
            { header: 'start (UTC)' },
            { header: 'duration', align: 'right' },
            { header: 'spans', align: 'right' },
            { header: 'calls', align: 'right' },
            { header: 'errors', align: 'right' },
            { header: 'models', shrink: true },
            { header: 'tok in', align: 'right' },
            { header: 'tok out', align: 'right' },
            { header: 'cost', align: 'right' },
          ],
          rows,
          io,
          c,
        ),
      );
      if (total > traces.length) io.out(c.dim(`${traces.length} of ${total} runs shown (--limit ${limit})\n`));
    }
    reportProblems([source], io);
  },
};
