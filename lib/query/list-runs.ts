/**
 * The runs listing (what `llmtrace runs` and the dashboard's run list show): the traces that have
 * at least one span matching the filter, each summarised over all of its spans in the time range,
 * newest first. With a filter beyond time (`--model`, `--status error`, ...) this takes two reads:
 * one to find the matching trace ids (memory: one id per match), one to total those traces.
 */
import { checkQueryOptions } from './option-schemas.js';
import type { QuerySource } from './source.js';
import { filtersBeyondTime, spanMatcher, type SpanFilter } from './span-filter.js';
import { TraceSummariser } from './traces.js';
import type { TraceSummary } from './wire-types.js';
import type { SpanData } from '../span.js';

/** What `listRuns` returns. */
export interface RunListing {
  /** The newest `limit` runs, newest first. */
  runs: TraceSummary[];
  /** How many runs matched in all. */
  total: number;
}

/** Options of `listRuns`. */
export interface ListRunsOptions {
  /** Rows returned. @default all */
  limit?: number;
  /** Wraps each read's span stream (the CLI counts progress with it). @default identity */
  wrap?: (spans: AsyncIterable<SpanData>) => AsyncIterable<SpanData>;
}

async function* spansOf(sources: readonly QuerySource[], filter: SpanFilter): AsyncGenerator<SpanData> {
  for (const source of sources) yield* source.spans(filter);
}

/**
 * The runs (traces) with a span matching `filter`, totalled over all their spans in the range.
 * @example
 * const { runs } = await listRuns([source], { status: 'error', from: Date.now() - 43_200_000 }, { limit: 20 });
 */
export async function listRuns(sources: readonly QuerySource[], filter: SpanFilter = {}, options: ListRunsOptions = {}): Promise<RunListing> {
  checkQueryOptions('listRuns', options);
  const wrap = options.wrap ?? ((spans) => spans);
  let wanted: Set<string> | undefined;
  if (filtersBeyondTime(filter)) {
    wanted = new Set();
    const keep = spanMatcher(filter);
    for await (const span of wrap(spansOf(sources, filter))) if (keep(span)) wanted.add(span.traceId);
    if (wanted.size === 0) return { runs: [], total: 0 };
  }
  const inRange = spanMatcher({ from: filter.from, to: filter.to });
  const summariser = new TraceSummariser();
  for await (const span of wrap(spansOf(sources, filter))) {
    if (inRange(span) && (!wanted || wanted.has(span.traceId))) summariser.add(span);
  }
  const all = summariser.summaries();
  return { runs: options.limit === undefined ? all : all.slice(0, options.limit), total: all.length };
}
