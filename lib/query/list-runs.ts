/**
 * The runs listing (what `llmtrace runs` and the dashboard's run list show): the traces that have
 * at least one span matching the filter, each summarised over all of its spans in the time range,
 * newest first. With a filter beyond time (`--model`, `--status error`, ...) this takes two reads:
 * one to find the matching trace ids (memory: one id per match), one to total those traces. With
 * an evaluation filter ("runs where the arbiter chose gpt-4o over claude-haiku-4-5") only the
 * traces of the matching evaluations are candidates (one read of the evaluations first).
 */
import { checkEvaluationFilter, type EvaluationFilter } from '../evaluations/evaluation-filter.js';
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
  /**
   * Wraps each read's stream of span batches (QuerySource.spanBatches; the CLI counts progress
   * with it). @default identity
   */
  wrap?: (batches: AsyncIterable<readonly SpanData[]>) => AsyncIterable<readonly SpanData[]>;
  /**
   * Only runs with a stored evaluation matching this filter (evaluations without a trace id never
   * select a run). @default every run
   * @example
   * { evaluator: 'arbiter', chosen: 'gpt-4o', over: 'claude-haiku-4-5' }
   */
  evaluation?: EvaluationFilter;
}

async function* batchesOf(sources: readonly QuerySource[], filter: SpanFilter): AsyncGenerator<readonly SpanData[]> {
  for (const source of sources) yield* source.spanBatches(filter);
}

/** The trace ids of the evaluations matching `filter`. */
async function judgedTraces(sources: readonly QuerySource[], filter: EvaluationFilter): Promise<Set<string>> {
  const out = new Set<string>();
  for (const source of sources) for await (const record of source.evaluations(filter)) if (record.traceId) out.add(record.traceId);
  return out;
}

/**
 * The runs (traces) with a span matching `filter` (and an evaluation matching `options.evaluation`),
 * totalled over all their spans in the range.
 * @throws TypeError on a bad option or evaluation filter, naming it.
 * @example
 * const { runs } = await listRuns([source], { status: 'error', from: Date.now() - 43_200_000 }, { limit: 20 });
 * const judged = await listRuns([source], {}, { evaluation: { evaluator: 'arbiter', chosen: 'gpt-4o', over: 'claude-haiku-4-5' } });
 */
export async function listRuns(sources: readonly QuerySource[], filter: SpanFilter = {}, options: ListRunsOptions = {}): Promise<RunListing> {
  checkQueryOptions('listRuns', options);
  const wrap = options.wrap ?? ((batches) => batches);
  let wanted: Set<string> | undefined;
  if (options.evaluation) {
    wanted = await judgedTraces(sources, checkEvaluationFilter(options.evaluation));
    if (wanted.size === 0) return { runs: [], total: 0 };
  }
  if (filtersBeyondTime(filter)) {
    const judged = wanted;
    wanted = new Set();
    const keep = spanMatcher(filter);
    for await (const batch of wrap(batchesOf(sources, filter))) {
      for (const span of batch) if (keep(span) && (!judged || judged.has(span.traceId))) wanted.add(span.traceId);
    }
    if (wanted.size === 0) return { runs: [], total: 0 };
  }
  const inRange = spanMatcher({ from: filter.from, to: filter.to });
  const summariser = new TraceSummariser();
  for await (const batch of wrap(batchesOf(sources, filter))) {
    for (const span of batch) if (inRange(span) && (!wanted || wanted.has(span.traceId))) summariser.add(span);
  }
  return { runs: summariser.summaries(options.limit), total: summariser.size };
}
