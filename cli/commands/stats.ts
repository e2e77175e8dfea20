/**
 * `llmtrace stats --by model|function|provider`: calls, success rate, p50/p90/p99 latency, time
 * to first token, tokens and cost per group. From the stored spans (exact percentiles) by default;
 * `--summaries` reads the stored window summaries instead (merged distributions: fast over a month,
 * percentiles exact or within 1%). A store that holds summaries but no spans is read that way too.
 * Thin over lib/query GroupStatsAccumulator / statsFromSummaries.
 */
import { GROUP_BY, GroupStatsAccumulator, statsFromSummaries, type GroupBy } from '../../lib/query/group-stats.js';
import { readSpanBatches } from '../../lib/query/source.js';
import { filtersBeyondTime, spanMatcher } from '../../lib/query/span-filter.js';
import type { GroupStats } from '../../lib/query/wire-types.js';
import { booleanFlag, positiveIntegerFlag, stringFlag } from '../args.js';
import type { Command } from '../command.js';
import { groupStatsColumns } from '../group-stats-columns.js';
import { colorsFor, printJson, renderTable } from '../output.js';
import { reportProblems } from '../problems.js';
import { withProgress } from '../progress.js';
import { FILTER_FLAGS, filterFromArgs, LIMIT_FLAG, openStoreFromArgs } from '../query-flags.js';
import { UsageError } from '../usage-error.js';

/** The table `stats` prints: the group column shrinks, the figures align right. */
function statsTable(rows: readonly GroupStats[], by: string): { columns: { header: string; align?: 'right'; shrink?: boolean }[]; cells: string[][] } {
  const { headers, cells } = groupStatsColumns(rows, by);
  return { columns: headers.map((header, i) => (i === 0 ? { header, shrink: true } : { header, align: 'right' })), cells };
}

/** The line under the table that says where the figures come from. */
function basisNote(fromSummaries: boolean, rows: readonly GroupStats[]): string {
  if (fromSummaries) return 'from stored window summaries (percentiles exact or within 1%)\n';
  if (rows.some((row) => row.sampled)) {
    return 'from stored spans, a sample (configure({ sampling })): counts, tokens, cost and percentiles are estimates, each span weighted by llmtrace.sample_weight\n';
  }
  return 'from stored spans (exact percentiles)\n';
}

/** `llmtrace stats`. */
export const statsCommand: Command = {
  name: 'stats',
  summary: 'calls, success rate, latency percentiles, TTFT, tokens and cost per model, function or provider',
  usage: 'stats [--by model|function|provider] [--since <when>] [--summaries] [filters]',
  examples: ['llmtrace stats --by model', 'llmtrace stats --by function --since 7d --summaries --json'],
  arguments: [],
  flags: {
    ...FILTER_FLAGS,
    ...LIMIT_FLAG,
    by: { type: 'string', value: 'model|function|provider', description: 'what a row is (default model)' },
    summaries: { type: 'boolean', description: 'read the stored window summaries instead of spans (fast over long ranges)' },
  },
  async run(args, io) {
    const by = (stringFlag(args, 'by') ?? 'model') as GroupBy;
    if (!GROUP_BY.includes(by)) throw new UsageError(`llmtrace stats: --by must be one of ${GROUP_BY.join(', ')}, got ${JSON.stringify(by)}`);
    const limit = positiveIntegerFlag(args, 'limit', Number.MAX_SAFE_INTEGER, 'stats');
    const filter = filterFromArgs(args, io, 'stats');
    const source = await openStoreFromArgs(args, io);
    const inventory = await source.inventory();
    const useSummaries = booleanFlag(args, 'summaries') || (inventory.spanSegments === 0 && !filtersBeyondTime(filter));
    if (useSummaries && filtersBeyondTime(filter)) {
      throw new UsageError('llmtrace stats: --summaries can be filtered by --since/--until only: drop the other filters or --summaries');
    }
    let rows: GroupStats[];
    if (useSummaries) {
      rows = statsFromSummaries(await source.summaries(filter), by);
    } else {
      const accumulator = new GroupStatsAccumulator(by);
      for await (const batch of withProgress(readSpanBatches([source], filter, spanMatcher(filter)), io, source.label)) for (const span of batch) accumulator.add(span);
      rows = accumulator.result();
    }
    rows = rows.slice(0, limit);
    if (booleanFlag(args, 'json')) {
      printJson(io, rows);
    } else if (rows.length === 0) {
      io.out('no calls match\n');
    } else {
      const c = colorsFor(io);
      const { columns, cells } = statsTable(rows, by);
      io.out(renderTable(columns, cells, io, c));
      io.out(c.dim(basisNote(useSummaries, rows)));
    }
    reportProblems([source], io);
  },
};
