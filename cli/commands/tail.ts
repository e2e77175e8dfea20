/**
 * `llmtrace tail`: new spans as they land, one line each (time, name, model, duration, tokens,
 * cost, status), or NDJSON with --json; the filters of `runs` apply. Stops cleanly on SIGINT.
 * Thin over lib/query followSpans.
 */
import { followSpans } from '../../lib/query/follow.js';
import { QueryError } from '../../lib/query/query-error.js';
import type { QuerySource } from '../../lib/query/source.js';
import { spanCost, spanInputTokens, spanModel, spanOutputTokens } from '../../lib/query/span-fields.js';
import { spanMatcher } from '../../lib/query/span-filter.js';
import type { SpanData } from '../../lib/span.js';
import { booleanFlag, positiveIntegerFlag, type ParsedArgs } from '../args.js';
import type { Command, CommandIO } from '../command.js';
import { colorsFor, formatMs, formatUsd, type Colors } from '../output.js';
import { reportProblems } from '../problems.js';
import { FILTER_FLAGS, filterFromArgs, openStoreDirFromArgs, shownPath, storeDirFromArgs } from '../query-flags.js';
import { inertJson, inline } from '../terminal-text.js';

/** One span as a tail line. */
export function tailLine(span: SpanData, c: Colors): string {
  const cost = spanCost(span);
  return [
    new Date(span.endTime).toISOString().slice(11, 23),
    inline(span.name),
    inline(spanModel(span) ?? '-'),
    formatMs(span.duration),
    `${spanInputTokens(span)}/${spanOutputTokens(span)} tok`,
    cost === undefined ? '-' : formatUsd(cost ?? 0, cost === null ? 1 : 0),
    span.status === 'error' ? c.red(inline(`error ${span.error?.type ?? ''}`.trim())) : c.green(span.status),
  ].join('  ');
}

/** The store the flags name, or undefined while it does not exist yet (a file there is still an error). */
function storeIfThere(args: ParsedArgs, io: CommandIO): Promise<QuerySource | undefined> {
  return openStoreDirFromArgs(args, io).catch((error: unknown) => {
    if (error instanceof QueryError && error.code === 'ENOSOURCE') return undefined;
    throw error;
  });
}

/** `llmtrace tail`. */
export const tailCommand: Command = {
  name: 'tail',
  summary: 'print new spans as they are written, one line each (Ctrl-C stops)',
  usage: 'tail [--since <when>] [--interval <ms>] [filters]',
  examples: ['llmtrace tail', 'llmtrace tail --model gpt-4o-mini --status error --json'],
  arguments: [],
  flags: {
    ...FILTER_FLAGS,
    interval: { type: 'string', value: '<ms>', description: 'how often to look for new spans (default 500)' },
  },
  async run(args, io) {
    const filter = filterFromArgs(args, io, 'tail');
    const pollMs = positiveIntegerFlag(args, 'interval', 500, 'tail');
    // The store may not exist yet: tail waits for the program to create it.
    let source = await storeIfThere(args, io);
    const keep = spanMatcher({ ...filter, from: undefined, to: undefined });
    const json = booleanFlag(args, 'json');
    const c = colorsFor(io);
    if (!json) io.err(c.dim(`following ${shownPath(storeDirFromArgs(args, io), io)} (Ctrl-C to stop)\n`));
    let stopped = false;
    void io.stopped.then(() => {
      stopped = true;
    });
    while (!source && !stopped) {
      await Promise.race([new Promise((r) => setTimeout(r, pollMs)), io.stopped]);
      if (!stopped) source = await storeIfThere(args, io);
    }
    if (!source) return 0;
    for await (const span of followSpans(source, { from: filter.from ?? io.now(), pollMs, stop: io.stopped, now: () => io.now() })) {
      if (filter.to !== undefined && span.endTime >= filter.to) continue;
      if (!keep(span)) continue;
      io.out(json ? `${inertJson(JSON.stringify(span))}\n` : `${tailLine(span, c)}\n`);
    }
    reportProblems([source], io);
    return 0;
  },
};
