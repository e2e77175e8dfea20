/**
 * Grouped statistics (what `llmtrace stats --by model` prints): calls, success rate, latency
 * percentiles, time to first token, tokens and cost per group. Two ways to the same row:
 * `GroupStatsAccumulator` over loaded spans (exact percentiles), and `statsFromSummaries` over
 * stored window summaries (merged distributions: exact or within 1%, cost proportional to the
 * number of windows, not of spans). Counting follows the aggregator: scope spans (session, run,
 * iteration, request) are not calls, and cache hits are counted apart, outside latency and cost.
 * Rows by model or provider count model calls only (not the tools, chains and wrappers around
 * them, which the rows by function count).
 * Spans kept by head sampling count `llmtrace.sample_weight` calls each (counts, sums and
 * percentiles then estimate the whole, and the row says `sampled`).
 */
import { DEFAULT_AGGREGATED_KINDS } from '../aggregator/aggregated-kinds.js';
import { MIXED_GROUP, mergeSummaries } from '../aggregator/merge-summaries.js';
import { summarisesModelCalls, type WindowSummary } from '../aggregator/window-summary.js';
import type { SpanData, SpanKind } from '../span.js';
import { ModelAliases } from '../model-aliases.js';
import { sampleQuantiles } from './percentiles.js';
import { QueryError } from './query-error.js';
import { isCacheHit, isModelCall, spanCost, spanFunction, spanInputTokens, spanOutputTokens, spanProvider, spanTtft, spanWeight } from './span-fields.js';
import type { GroupStats } from './wire-types.js';

/** What rows are grouped by. */
export type GroupBy = 'model' | 'function' | 'provider';

/** Valid GroupBy values. */
export const GROUP_BY: readonly GroupBy[] = ['model', 'function', 'provider'];

interface Running {
  calls: number;
  successes: number;
  cacheHits: number;
  latencies: number[];
  ttfts: number[];
  /** Sample weight of each latency and TTFT; filled only once a span with a weight other than 1 came. */
  latencyWeights: number[] | undefined;
  ttftWeights: number[] | undefined;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  unpricedCalls: number;
  errorTypes: Record<string, number>;
}

/** The row of a span by function or by provider (by model: `ModelAliases.learn`). */
function keyOf(span: SpanData, by: 'function' | 'provider'): string {
  return by === 'function' ? spanFunction(span) : (spanProvider(span) ?? 'unknown');
}

/** Folds spans into GroupStats rows with exact percentiles (memory: two numbers per call). */
export class GroupStatsAccumulator {
  readonly #by: GroupBy;
  readonly #kinds: ReadonlySet<SpanKind>;
  readonly #groups = new Map<string, Running>();
  /** By model: the names answered calls give their models, to put a failure named otherwise with them. */
  readonly #aliases = new ModelAliases();

  /**
   * @param by what rows are grouped by.
   * @param kinds span kinds counted as calls. @default every kind but the scopes (DEFAULT_AGGREGATED_KINDS)
   */
  constructor(by: GroupBy, kinds: readonly SpanKind[] = DEFAULT_AGGREGATED_KINDS) {
    this.#by = by;
    this.#kinds = new Set(kinds);
  }

  /**
   * Counts one span (scope spans are ignored; by model or provider, only model calls count),
   * `llmtrace.sample_weight` times.
   */
  add(span: SpanData): void {
    if (!this.#kinds.has(span.kind)) return;
    if (this.#by !== 'function' && !isModelCall(span)) return;
    // By model, learning the aliases gives the span's model name (one reading of its models); aliases merge in `result`.
    const by = this.#by;
    const key = by === 'model' ? (this.#aliases.learn(span.attributes) ?? 'unknown') : keyOf(span, by);
    let g = this.#groups.get(key);
    if (!g) {
      g = {
        calls: 0, successes: 0, cacheHits: 0, latencies: [], ttfts: [], latencyWeights: undefined, ttftWeights: undefined,
        inputTokens: 0, outputTokens: 0, costUsd: 0, unpricedCalls: 0, errorTypes: {},
      };
      this.#groups.set(key, g);
    }
    const w = spanWeight(span);
    if (isCacheHit(span)) {
      g.cacheHits += w;
      return;
    }
    g.calls += w;
    if (span.status === 'error') {
      const type = span.error?.type ?? 'unknown';
      g.errorTypes[type] = (g.errorTypes[type] ?? 0) + w;
    } else {
      g.successes += w;
    }
    if (w !== 1 && !g.latencyWeights) {
      g.latencyWeights = g.latencies.map(() => 1);
      g.ttftWeights = g.ttfts.map(() => 1);
    }
    g.latencies.push(span.duration);
    g.latencyWeights?.push(w);
    const ttft = spanTtft(span);
    if (ttft !== undefined) {
      g.ttfts.push(ttft);
      g.ttftWeights?.push(w);
    }
    g.inputTokens += w * spanInputTokens(span);
    g.outputTokens += w * spanOutputTokens(span);
    const cost = spanCost(span);
    if (cost === null) g.unpricedCalls += w;
    else if (cost !== undefined) g.costUsd += w * cost;
  }

  /**
   * The rows, most calls first. By model, the calls of a name that answered calls gave another model
   * (a deployment, a client's default: only failed calls keep it) are counted with that model's.
   */
  result(): GroupStats[] {
    const groups = new Map(this.#groups);
    if (this.#by === 'model') {
      for (const [key, g] of this.#groups) {
        const counted = this.#aliases.countedName(key);
        if (counted === key) continue;
        const into = groups.get(counted);
        groups.delete(key);
        groups.set(counted, into ? mergedRunning(into, g) : g);
      }
    }
    const rows: GroupStats[] = [];
    for (const [key, g] of groups) rows.push(rowOf(key, g));
    return sortRows(rows);
  }
}

/** The running figures of two groups as one. */
function mergedRunning(a: Running, b: Running): Running {
  const weighted = a.latencyWeights !== undefined || b.latencyWeights !== undefined;
  const ones = (n: number) => Array.from({ length: n }, () => 1);
  const errorTypes = { ...a.errorTypes };
  for (const [type, n] of Object.entries(b.errorTypes)) errorTypes[type] = (errorTypes[type] ?? 0) + n;
  return {
    calls: a.calls + b.calls,
    successes: a.successes + b.successes,
    cacheHits: a.cacheHits + b.cacheHits,
    latencies: [...a.latencies, ...b.latencies],
    ttfts: [...a.ttfts, ...b.ttfts],
    latencyWeights: weighted ? [...(a.latencyWeights ?? ones(a.latencies.length)), ...(b.latencyWeights ?? ones(b.latencies.length))] : undefined,
    ttftWeights: weighted ? [...(a.ttftWeights ?? ones(a.ttfts.length)), ...(b.ttftWeights ?? ones(b.ttfts.length))] : undefined,
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    costUsd: a.costUsd + b.costUsd,
    unpricedCalls: a.unpricedCalls + b.unpricedCalls,
    errorTypes,
  };
}

/**
 * A group's row: exact percentiles from every call it saw, or, when its spans were a sample,
 * weighted ones, with counts and sums rounded to whole calls and tokens and the row marked `sampled`.
 */
function rowOf(key: string, g: Running): GroupStats {
  const weights = g.latencyWeights;
  const whole = weights ? Math.round : (n: number) => n;
  const latencies = sampleQuantiles(g.latencies, weights);
  const ttfts = sampleQuantiles(g.ttfts, g.ttftWeights);
  let latencySum = 0;
  for (let i = 0; i < g.latencies.length; i++) latencySum += g.latencies[i]! * (weights ? weights[i]! : 1);
  const calls = whole(g.calls);
  const successes = whole(g.successes);
  const errorTypes: Record<string, number> = {};
  for (const [type, n] of Object.entries(g.errorTypes)) errorTypes[type] = whole(n);
  const row: GroupStats = {
    key,
    calls,
    successes,
    failures: calls - successes,
    successRate: g.calls === 0 ? 1 : g.successes / g.calls,
    cacheHits: whole(g.cacheHits),
    avgMs: g.calls === 0 ? null : latencySum / g.calls,
    p50Ms: latencies.at(0.5),
    p90Ms: latencies.at(0.9),
    p99Ms: latencies.at(0.99),
    maxMs: latencies.max,
    ttftP50Ms: ttfts.at(0.5),
    ttftP90Ms: ttfts.at(0.9),
    inputTokens: whole(g.inputTokens),
    outputTokens: whole(g.outputTokens),
    costUsd: g.costUsd,
    unpricedCalls: whole(g.unpricedCalls),
    errorTypes,
    basis: 'spans',
  };
  if (weights) row.sampled = true;
  return row;
}

function sortRows(rows: GroupStats[]): GroupStats[] {
  return rows.sort((a, b) => b.calls - a.calls || a.key.localeCompare(b.key));
}

/** Grouped statistics of `spans` with exact percentiles, most calls first. */
export function groupStats(spans: Iterable<SpanData>, by: GroupBy): GroupStats[] {
  const accumulator = new GroupStatsAccumulator(by);
  for (const span of spans) accumulator.add(span);
  return accumulator.result();
}

/**
 * Grouped statistics from stored window summaries: each group's windows merged with
 * `mergeSummaries` (percentiles from the merged distributions). Summaries are kept per function
 * and model, so `provider` cannot be answered this way.
 * @throws QueryError `EBADINPUT` for `by: 'provider'`.
 */
export function statsFromSummaries(summaries: readonly WindowSummary[], by: GroupBy): GroupStats[] {
  if (by === 'provider') {
    throw new QueryError('EBADINPUT', 'llmtrace: stored summaries are kept per function and model, not provider: use --by model or --by function, or drop --summaries');
  }
  const groups = new Map<string, WindowSummary[]>();
  for (const summary of summaries) {
    if (by === 'model' && !summarisesModelCalls(summary)) continue; // tools, chains, ...: per function only
    const key = by === 'model' ? summary.model : summary.function;
    const list = groups.get(key);
    if (list) list.push(summary);
    else groups.set(key, [summary]);
  }
  const rows: GroupStats[] = [];
  for (const [key, list] of groups) {
    const m = mergeSummaries(list);
    rows.push({
      key: key === MIXED_GROUP ? 'unknown' : key,
      calls: m.callCount,
      successes: m.successCount,
      failures: m.failureCount,
      successRate: m.successRate,
      cacheHits: m.cacheHits,
      avgMs: m.avgMs,
      p50Ms: m.p50Ms,
      p90Ms: m.p90Ms,
      p99Ms: m.p99Ms,
      maxMs: m.maxMs,
      ttftP50Ms: m.ttftP50Ms,
      ttftP90Ms: m.ttftP90Ms,
      inputTokens: m.inputTokens,
      outputTokens: m.outputTokens,
      costUsd: m.costUsd,
      unpricedCalls: m.unpricedCalls,
      errorTypes: m.errorTypes,
      basis: 'summaries',
    });
  }
  return sortRows(rows);
}
