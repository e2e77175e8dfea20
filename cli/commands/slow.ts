/**
 * `llmtrace slow`: the slowest calls across every process that wrote the store (the on-disk
 * `store.getSlow()`), slowest first. Scope spans (run, iteration, ...) are left out unless asked
 * for with --kind. Thin over lib/query SlowestSpans.
 */
import { DEFAULT_AGGREGATED_KINDS } from '../../lib/aggregator/aggregated-kinds.js';
import { SlowestSpans } from '../../lib/query/slow.js';
import { readSpanBatches } from '../../lib/query/source.js';
import { spanCost, spanInputTokens, spanModel, spanOutputTokens } from '../../lib/query/span-fields.js';
import { spanMatcher } from '../../lib/query/span-filter.js';
import { booleanFlag, positiveIntegerFlag } from '../args.js';
import type { Command } from '../command.js';
import { colorsFor, formatMs, formatTime, formatUsd, printJson, renderTable } from '../output.js';
import { reportProblems } from '../problems.js';
import { withProgress } from '../progress.js';
import { FILTER_FLAGS, filterFromArgs, openStoreFromArgs } from '../query-flags.js';

/** Rows shown when --top is not given. */
export const DEFAULT_SLOW_TOP = 10;

/** `llmtrace slow`. */
export const slowCommand: Command = {
  name: 'slow',
  summary: 'the slowest calls, slowest first',
  usage: 'slow [--since <when>] [--top <n>] [filters]',
  examples: ['llmtrace slow --since 12h --top 20', 'llmtrace slow --model gpt-4o-mini --min-ms 2000'],
  arguments: [],
  flags: {
    ...FILTER_FLAGS,
    top: { type: 'string', value: '<n>', description: `how many (default ${DEFAULT_SLOW_TOP})` },
    limit: { type: 'string', value: '<n>', description: 'same as --top', sameAs: 'top' },
  },
  async run(args, io) {
    const top = positiveIntegerFlag(args, 'top', DEFAULT_SLOW_TOP, 'slow');
    const filter = filterFromArgs(args, io, 'slow');
    filter.kind ??= DEFAULT_AGGREGATED_KINDS;
    const source = await openStoreFromArgs(args, io);
    const slowest = new SlowestSpans(top);
    for await (const batch of withProgress(readSpanBatches([source], filter, spanMatcher(filter)), io, source.label)) for (const span of batch) slowest.add(span);
    const spans = slowest.result();
    if (booleanFlag(args, 'json')) {
      printJson(io, spans);
    } else if (spans.length === 0) {
      io.out('no calls match\n');
    } else {
      const c = colorsFor(io);
      const rows = spans.map((s) => {
        const cost = spanCost(s);
        return [
          formatMs(s.duration),
          s.name,
          s.kind,
          spanModel(s) ?? '-',
          s.status === 'error' ? c.red('error') : s.status,
          `${spanInputTokens(s)}/${spanOutputTokens(s)}`,
          cost === undefined ? '-' : formatUsd(cost ?? 0, cost === null ? 1 : 0),
          formatTime(s.endTime),
          s.traceId.slice(0, 12),
        ];
      });
      io.out(
        renderTable(
          [
            { header: 'duration', align: 'right' },
            { header: 'name', shrink: true },
            { header: 'kind' },
            { header: 'model', shrink: true },
            { header: 'status' },
            { header: 'tokens', align: 'right' },
            { header: 'cost', align: 'right' },
            { header: 'ended (UTC)' },
            { header: 'trace' },
          ],
          rows,
          io,
          c,
        ),
      );
    }
    reportProblems([source], io);
  },
};
