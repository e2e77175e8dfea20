/**
 * `llmtrace errors`: failed calls grouped by error type and model, most failures first, with the
 * latest examples (trace id, span, message) to open with run-info. Thin over lib/query ErrorGrouper.
 */
import { ErrorGrouper } from '../../lib/query/error-groups.js';
import { readSpanBatches } from '../../lib/query/source.js';
import { spanMatcher } from '../../lib/query/span-filter.js';
import { booleanFlag, positiveIntegerFlag } from '../args.js';
import type { Command } from '../command.js';
import { colorsFor, formatTime, printJson, renderTable } from '../output.js';
import { reportProblems } from '../problems.js';
import { withProgress } from '../progress.js';
import { FILTER_FLAGS, filterFromArgs, LIMIT_FLAG, openStoreFromArgs } from '../query-flags.js';

/** `llmtrace errors`. */
export const errorsCommand: Command = {
  name: 'errors',
  summary: 'failures grouped by error type and model, with examples',
  usage: 'errors [--since <when>] [--examples <n>] [filters]',
  examples: ['llmtrace errors --since 12h', 'llmtrace errors --model claude-haiku-4-5 --json'],
  arguments: [],
  flags: {
    ...FILTER_FLAGS,
    ...LIMIT_FLAG,
    examples: { type: 'string', value: '<n>', description: 'examples per group (default 3)' },
  },
  async run(args, io) {
    const limit = positiveIntegerFlag(args, 'limit', Number.MAX_SAFE_INTEGER, 'errors');
    const examples = positiveIntegerFlag(args, 'examples', 3, 'errors');
    const filter = filterFromArgs(args, io, 'errors');
    const source = await openStoreFromArgs(args, io);
    const grouper = new ErrorGrouper(examples);
    let total = 0;
    for await (const batch of withProgress(readSpanBatches([source], filter, spanMatcher(filter)), io, source.label)) {
      total += batch.length;
      for (const span of batch) grouper.add(span);
    }
    const all = grouper.groups();
    const groups = all.slice(0, limit);
    if (booleanFlag(args, 'json')) {
      printJson(io, groups);
    } else if (groups.length === 0) {
      io.out(`no errors among ${total} spans\n`);
    } else {
      const c = colorsFor(io);
      const failures = all.reduce((s, g) => s + g.count, 0);
      const shown = groups.length < all.length ? `, the ${groups.length} largest shown` : '';
      io.out(`${failures} failed calls in ${all.length} groups (of ${total} spans)${shown}\n\n`);
      const rows: string[][] = [];
      for (const g of groups) {
        rows.push([c.red(g.type), g.model, String(g.count), formatTime(g.firstSeen), formatTime(g.lastSeen)]);
        for (const e of g.examples) rows.push([c.dim(`  ${e.traceId.slice(0, 12)} ${e.name}: ${e.message}`)]);
      }
      io.out(
        renderTable(
          [{ header: 'error', shrink: true }, { header: 'model', shrink: true }, { header: 'count', align: 'right' }, { header: 'first (UTC)' }, { header: 'last (UTC)' }],
          rows,
          io,
          c,
        ),
      );
    }
    reportProblems([source], io);
  },
};
