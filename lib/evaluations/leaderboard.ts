/**
 * The model leaderboard: per model, what its calls cost and how fast and reliable they were (from
 * spans) and how evaluators judged it (win rate from decisions, mean of its numeric scores), ranked
 * by one of them. Pure: spans and evaluations come in, rows go out. `LeaderboardBuilder` takes them
 * one at a time (memory grows with the number of models plus one number per call, for the exact
 * p50), so a streamed store read never has to be held whole.
 */
import { GenAI, LLMTrace, isModelCallOf } from '../attributes.js';
import { ModelAliases } from '../model-aliases.js';
import type { SpanData } from '../span.js';
import { checkEvaluationReadOptions } from './option-schemas.js';
import { numericScore } from './score-value.js';
import type { EvaluationRecord } from './types.js';
import type { LeaderboardRow } from './wire-types.js';

/** What a leaderboard is ordered by. */
export type LeaderboardMetric = 'score' | 'winRate' | 'latency' | 'tokens' | 'cost' | 'success';

/** Every metric `leaderboard` can rank by. */
export const LEADERBOARD_METRICS: readonly LeaderboardMetric[] = ['score', 'winRate', 'latency', 'tokens', 'cost', 'success'];

/** The span fields the leaderboard reads (a `SpanData` from the store, or a live `Span`). */
export type LeaderboardSpan = Pick<SpanData, 'kind' | 'status' | 'duration' | 'attributes'>;

/** Options of `leaderboard` / `LeaderboardBuilder.rows`. */
export interface LeaderboardOptions {
  /**
   * The order: `score` (mean score, highest first), `winRate` (highest first), `latency` (p50,
   * lowest first), `tokens` (per call, lowest first), `cost` (per call, lowest first), `success`
   * (success rate, highest first). Ties go to the higher win rate, then to more calls, then by name.
   * @default 'score'
   */
  by?: LeaderboardMetric;
}

interface ModelFigures {
  calls: number;
  successes: number;
  durations: number[];
  tokenCalls: number;
  tokens: number;
  pricedCalls: number;
  cost: number;
  unpricedCalls: number;
  evaluations: number;
  decisions: number;
  wins: number;
  scoreCount: number;
  scoreSum: number;
}

/** Accumulates spans and evaluations, then ranks the models. */
export class LeaderboardBuilder {
  readonly #models = new Map<string, ModelFigures>();
  /** The names calls give their models, so an evaluation naming the answered model joins its calls. */
  readonly #aliases = new ModelAliases();

  /**
   * Counts one span: only finished model calls (kind `llm` or `embedding`, with a model, not the
   * wrapper of a model call below it: `isModelCallOf`), not cache hits, not a span whose usage a
   * call below recorded (`llmtrace.usage.in_children`: the wrappers of stores written before the
   * model-call mark), under the model `stats` counts it under.
   */
  addSpan(span: LeaderboardSpan): void {
    const a = span.attributes;
    if (!isModelCallOf(span.kind, a) || span.status === 'running') return;
    const model = this.#aliases.learn(a);
    if (model === undefined || a[LLMTrace.CACHED] === true || a[LLMTrace.USAGE_IN_CHILDREN] === true) return;
    const m = this.#figures(model);
    m.calls++;
    if (span.status === 'success') m.successes++;
    if (Number.isFinite(span.duration) && span.duration >= 0) m.durations.push(span.duration);
    const input = a[GenAI.USAGE_INPUT_TOKENS];
    const output = a[GenAI.USAGE_OUTPUT_TOKENS];
    if (typeof input === 'number' || typeof output === 'number') {
      m.tokenCalls++;
      m.tokens += (typeof input === 'number' ? input : 0) + (typeof output === 'number' ? output : 0);
    }
    const cost = a[LLMTrace.COST_USD];
    if (cost === null) m.unpricedCalls++;
    else if (typeof cost === 'number' && Number.isFinite(cost)) {
      m.pricedCalls++;
      m.cost += cost;
    }
  }

  /** Counts one evaluation: a decision's candidates, its choice and scores; a score's model and value. */
  addEvaluation(record: EvaluationRecord): void {
    if (record.type === 'score') {
      if (record.model === undefined) return;
      const m = this.#figures(record.model);
      m.evaluations++;
      this.#addScore(m, numericScore(record.value));
      return;
    }
    const chosen = record.chosen === null ? undefined : record.candidates[record.chosen]?.model;
    for (const model of new Set(record.candidates.map((c) => c.model))) {
      const m = this.#figures(model);
      m.evaluations++;
      if (chosen !== undefined) {
        m.decisions++;
        if (model === chosen) m.wins++;
      }
      this.#addScore(m, numericScore(record.scores[model]));
    }
  }

  /**
   * The rows, ranked: a model named by another name of it (an evaluation naming the answered
   * snapshot, a failed call named by its deployment) is one row with it. Throws a TypeError on an
   * unknown option or `by`.
   */
  rows(options: LeaderboardOptions = {}): LeaderboardRow[] {
    const by = checkLeaderboardOptions(options);
    const models = new Map<string, ModelFigures>();
    for (const [model, m] of this.#models) {
      const counted = this.#aliases.countedName(model);
      const into = models.get(counted);
      models.set(counted, into ? mergedFigures(into, m) : m);
    }
    const rows = [...models].map(([model, m]) => toRow(model, m));
    const [key, direction] = ORDER[by];
    rows.sort((x, y) => compareNullable(x[key], y[key], direction) || compareNullable(x.winRate, y.winRate, -1) || y.calls - x.calls || (x.model < y.model ? -1 : x.model > y.model ? 1 : 0));
    rows.forEach((row, i) => (row.rank = i + 1));
    return rows;
  }

  #figures(model: string): ModelFigures {
    let m = this.#models.get(model);
    if (!m) {
      m = {
        calls: 0, successes: 0, durations: [], tokenCalls: 0, tokens: 0, pricedCalls: 0, cost: 0,
        unpricedCalls: 0, evaluations: 0, decisions: 0, wins: 0, scoreCount: 0, scoreSum: 0,
      };
      this.#models.set(model, m);
    }
    return m;
  }

  #addScore(m: ModelFigures, value: number | undefined): void {
    if (value === undefined) return;
    m.scoreCount++;
    m.scoreSum += value;
  }
}

/** The figures of two names of one model as one. */
function mergedFigures(a: ModelFigures, b: ModelFigures): ModelFigures {
  const out = { ...a, durations: [...a.durations, ...b.durations] };
  for (const key of ['calls', 'successes', 'tokenCalls', 'tokens', 'pricedCalls', 'cost', 'unpricedCalls', 'evaluations', 'decisions', 'wins', 'scoreCount', 'scoreSum'] as const) {
    out[key] = a[key] + b[key];
  }
  return out;
}

/** Checks leaderboard options (unknown keys, `by`) and returns the metric to rank by. */
function checkLeaderboardOptions(options: LeaderboardOptions): LeaderboardMetric {
  checkEvaluationReadOptions('leaderboard', options);
  return options.by ?? 'score';
}

type RankedKey = 'meanScore' | 'winRate' | 'p50LatencyMs' | 'tokensPerCall' | 'costPerCall' | 'successRate';

/** Each metric's figure and direction (-1: highest first, 1: lowest first). */
const ORDER: Readonly<Record<LeaderboardMetric, readonly [RankedKey, 1 | -1]>> = {
  score: ['meanScore', -1],
  winRate: ['winRate', -1],
  latency: ['p50LatencyMs', 1],
  tokens: ['tokensPerCall', 1],
  cost: ['costPerCall', 1],
  success: ['successRate', -1],
};

/** Orders by `direction`, nulls last. */
function compareNullable(a: number | null, b: number | null, direction: 1 | -1): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return (a - b) * direction;
}

function toRow(model: string, m: ModelFigures): LeaderboardRow {
  return {
    rank: 0,
    model,
    calls: m.calls,
    successRate: m.calls ? m.successes / m.calls : null,
    p50LatencyMs: median(m.durations),
    tokensPerCall: m.tokenCalls ? m.tokens / m.tokenCalls : null,
    costPerCall: m.pricedCalls ? m.cost / m.pricedCalls : null,
    unpricedCalls: m.unpricedCalls,
    evaluations: m.evaluations,
    decisions: m.decisions,
    wins: m.wins,
    winRate: m.decisions ? m.wins / m.decisions : null,
    scoreCount: m.scoreCount,
    meanScore: m.scoreCount ? m.scoreSum / m.scoreCount : null,
  };
}

/** The exact median (linear interpolation between the two middle values); sorts `values` in place. */
function median(values: number[]): number | null {
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  const rank = (values.length - 1) / 2;
  const below = Math.floor(rank);
  return values[below]! + (rank - below) * (values[Math.min(below + 1, values.length - 1)]! - values[below]!);
}

/**
 * Ranks the models found in `spans` and `evaluations` (any iterables; for async streams feed a
 * `LeaderboardBuilder` instead).
 * @throws TypeError on an unknown `options.by`.
 * @example
 * const rows = leaderboard(spans, evaluations, { by: 'cost' });
 * // [{ rank: 1, model: 'gpt-4o-mini', calls: 120, costPerCall: 0.0004, winRate: 0.35, meanScore: 0.71, ... }, ...]
 */
export function leaderboard(
  spans: Iterable<LeaderboardSpan>,
  evaluations: Iterable<EvaluationRecord>,
  options: LeaderboardOptions = {},
): LeaderboardRow[] {
  checkLeaderboardOptions(options);
  const builder = new LeaderboardBuilder();
  for (const span of spans) builder.addSpan(span);
  for (const record of evaluations) builder.addEvaluation(record);
  return builder.rows(options);
}
