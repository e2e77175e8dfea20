/**
 * Two models side by side (what `llmtrace compare A B` prints): per model the number of calls,
 * success rate, p50/p90/p99 latency, TTFT, tokens and cost per call, each with a 95% interval;
 * whether the latency difference is significant (Mann-Whitney U); and one verdict line a person
 * can trust (it says "no significant difference" rather than over-read a small sample).
 * `ModelComparer` keeps the two models' figures only (memory: a few numbers per call of A or B).
 */
import type { HeadToHead } from '../evaluations/wire-types.js';
import type { SpanData } from '../span.js';
import { meanInterval, mannWhitney, quantileInterval, rateInterval } from './intervals.js';
import { isCacheHit, isModelCall, spanCost, spanInputTokens, spanModel, spanOutputTokens, spanTtft } from './span-fields.js';
import type { ModelComparison, ModelSide } from './wire-types.js';

/** Significance level of the verdict. */
export const SIGNIFICANCE_LEVEL = 0.05;

/** Calls per model below which the verdict refuses to call a winner. */
export const MIN_CALLS_FOR_VERDICT = 5;

interface Sample {
  calls: number;
  successes: number;
  latencies: number[];
  ttfts: number[];
  inputTokens: number[];
  outputTokens: number[];
  costs: number[];
}

function emptySample(): Sample {
  return { calls: 0, successes: 0, latencies: [], ttfts: [], inputTokens: [], outputTokens: [], costs: [] };
}

function side(model: string, s: Sample): ModelSide {
  const latencies = Float64Array.from(s.latencies).sort();
  const ttfts = Float64Array.from(s.ttfts).sort();
  return {
    model,
    calls: s.calls,
    successRate: rateInterval(s.successes, s.calls),
    p50Ms: quantileInterval(latencies, 0.5),
    p90Ms: quantileInterval(latencies, 0.9),
    p99Ms: quantileInterval(latencies, 0.99),
    ttftP50Ms: quantileInterval(ttfts, 0.5),
    inputTokensPerCall: meanInterval(s.inputTokens),
    outputTokensPerCall: meanInterval(s.outputTokens),
    costPerCallUsd: meanInterval(s.costs),
  };
}

function ms(value: number | null): string {
  return value === null ? '-' : value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}

/** The verdict line for a comparison's figures. */
export function verdictOf(c: Omit<ModelComparison, 'verdict'>): string {
  const { a, b } = c;
  if (a.calls === 0 || b.calls === 0) {
    const missing = [a, b].filter((s) => s.calls === 0).map((s) => s.model);
    return `cannot compare: no calls of ${missing.join(' and ')} in this range`;
  }
  const parts: string[] = [];
  if (a.calls < MIN_CALLS_FOR_VERDICT || b.calls < MIN_CALLS_FOR_VERDICT) {
    parts.push(`too few calls to tell (${a.calls} vs ${b.calls}; need ${MIN_CALLS_FOR_VERDICT} each)`);
  } else if (c.latencySignificant && c.latencyTest) {
    const faster = c.latencyTest.z < 0 ? a : b;
    const slower = faster === a ? b : a;
    const ratio = slower.p50Ms.value && faster.p50Ms.value ? slower.p50Ms.value / faster.p50Ms.value : null;
    parts.push(
      `${faster.model} is faster: p50 ${ms(faster.p50Ms.value)} vs ${ms(slower.p50Ms.value)}${ratio ? ` (${ratio.toFixed(2)}x)` : ''}, ` +
        `significant (Mann-Whitney p=${c.latencyTest.p.toPrecision(2)}, n=${a.calls}/${b.calls})`,
    );
  } else {
    parts.push(`no significant latency difference (Mann-Whitney p=${c.latencyTest ? c.latencyTest.p.toPrecision(2) : '-'}, n=${a.calls}/${b.calls})`);
  }
  const ra = a.successRate;
  const rb = b.successRate;
  if (ra.high !== null && rb.low !== null && ra.high < rb.low) parts.push(`${b.model} fails less often`);
  else if (rb.high !== null && ra.low !== null && rb.high < ra.low) parts.push(`${a.model} fails less often`);
  const h = c.headToHead;
  const judged = h ? h.aWins + h.bWins : 0;
  if (h && judged > 0 && h.aWinRateInterval.low !== null && h.aWinRateInterval.high !== null) {
    if (h.aWinRateInterval.low > 0.5) parts.push(`${a.model} wins ${h.aWins} of ${judged} judged head-to-head`);
    else if (h.aWinRateInterval.high < 0.5) parts.push(`${b.model} wins ${h.bWins} of ${judged} judged head-to-head`);
    else parts.push(`head-to-head ${h.aWins}:${h.bWins}, no clear winner`);
  }
  return parts.join('; ');
}

/** Collects the calls of two models and compares them. */
export class ModelComparer {
  readonly #a: string;
  readonly #b: string;
  readonly #samples: Sample[] = [emptySample(), emptySample()];

  constructor(modelA: string, modelB: string) {
    this.#a = modelA;
    this.#b = modelB;
  }

  /** Counts one span when it is a model call of A or B (cache hits excluded). */
  add(span: SpanData): void {
    if (!isModelCall(span) || isCacheHit(span)) return;
    const model = spanModel(span);
    const index = model === this.#a ? 0 : model === this.#b ? 1 : -1;
    if (index < 0) return;
    const s = this.#samples[index]!;
    s.calls++;
    if (span.status !== 'error') s.successes++;
    s.latencies.push(span.duration);
    const ttft = spanTtft(span);
    if (ttft !== undefined) s.ttfts.push(ttft);
    if (span.status !== 'error') {
      s.inputTokens.push(spanInputTokens(span));
      s.outputTokens.push(spanOutputTokens(span));
    }
    const cost = spanCost(span);
    if (typeof cost === 'number') s.costs.push(cost);
  }

  /** The comparison of what was added (with the evaluations' `headToHead` record when given). */
  result(headToHead?: HeadToHead): ModelComparison {
    const [sa, sb] = this.#samples as [Sample, Sample];
    const latencyTest = mannWhitney(sa.latencies, sb.latencies);
    const partial = {
      a: side(this.#a, sa),
      b: side(this.#b, sb),
      latencyTest,
      latencySignificant: latencyTest !== null && latencyTest.p < SIGNIFICANCE_LEVEL,
      ...(headToHead ? { headToHead: { ...headToHead, aWinRateInterval: rateInterval(headToHead.aWins, headToHead.aWins + headToHead.bWins) } } : {}),
    };
    return { ...partial, verdict: verdictOf(partial) };
  }
}

/**
 * Compares model `a` with model `b` over `spans`.
 * @example
 * const c = compareModels(spans, 'gpt-4o-mini', 'claude-haiku-4-5');
 * console.log(c.verdict);
 */
export function compareModels(spans: Iterable<SpanData>, a: string, b: string, headToHead?: HeadToHead): ModelComparison {
  const comparer = new ModelComparer(a, b);
  for (const span of spans) comparer.add(span);
  return comparer.result(headToHead);
}
