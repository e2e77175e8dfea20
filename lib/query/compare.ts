/**
 * Two models side by side (what `llmtrace compare A B` prints): per model the number of calls,
 * success rate, p50/p90/p99 latency, TTFT, tokens and cost per call, each with a 95% interval
 * (weighted estimates when the store holds a sample: see `weightedSide`);
 * whether the latency difference is significant (Mann-Whitney U); and one verdict line a person
 * can trust (it says "no significant difference" rather than over-read a small sample).
 * `ModelComparer` keeps the two models' figures only (memory: a few numbers per call of A or B).
 */
import type { HeadToHead } from '../evaluations/wire-types.js';
import type { SpanData } from '../span.js';
import {
  effectiveSize,
  mannWhitney,
  meanInterval,
  quantileInterval,
  rateInterval,
  weightedMannWhitney,
  weightedMeanInterval,
  weightedQuantileInterval,
} from './intervals.js';
import { isCacheHit, isModelCall, spanCost, spanInputTokens, spanModel, spanModelNames, spanOutputTokens, spanTtft, spanWeight } from './span-fields.js';
import type { ModelComparison, ModelSide } from './wire-types.js';

/** Significance level of the verdict. */
export const SIGNIFICANCE_LEVEL = 0.05;

/** Calls per model below which the verdict refuses to call a winner. */
export const MIN_CALLS_FOR_VERDICT = 5;

/** One model's calls as read: every figure with the calls its span stands for (`llmtrace.sample_weight`, 1 unless sampled). */
interface Sample {
  /** Spans read. */
  spans: number;
  /** Calls they stand for (Σ weight). */
  calls: number;
  successes: number;
  /** Whether a span stood for more than one call: the figures are then weighted estimates. */
  weighted: boolean;
  latencies: number[];
  latencyWeights: number[];
  ttfts: number[];
  ttftWeights: number[];
  inputTokens: number[];
  outputTokens: number[];
  tokenWeights: number[];
  costs: number[];
  costWeights: number[];
}

function emptySample(): Sample {
  return {
    spans: 0, calls: 0, successes: 0, weighted: false, latencies: [], latencyWeights: [], ttfts: [], ttftWeights: [],
    inputTokens: [], outputTokens: [], tokenWeights: [], costs: [], costWeights: [],
  };
}

/** A side of exact figures (every span one call). */
function exactSide(model: string, s: Sample): ModelSide {
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
    inputTokensPerCall: meanInterval(s.inputTokens, 0),
    outputTokensPerCall: meanInterval(s.outputTokens, 0),
    costPerCallUsd: meanInterval(s.costs, 0),
  };
}

/**
 * A side estimated from a sample (configure({ sampling })): a span kept by the head ratio stands
 * for 1 / ratio calls, one kept by a tail rule (an error, a slow call) for one, so the kept spans
 * over-represent errors and slow calls and unweighted figures would be biased. Rates, percentiles
 * and means are weighted, their intervals taken on the effective sample size.
 */
function weightedSide(model: string, s: Sample): ModelSide {
  const n = effectiveSize(s.latencyWeights);
  return {
    model,
    calls: Math.round(s.calls),
    sampledSpans: s.spans,
    successRate: rateInterval((s.successes / s.calls) * n, n),
    p50Ms: weightedQuantileInterval(s.latencies, s.latencyWeights, 0.5),
    p90Ms: weightedQuantileInterval(s.latencies, s.latencyWeights, 0.9),
    p99Ms: weightedQuantileInterval(s.latencies, s.latencyWeights, 0.99),
    ttftP50Ms: weightedQuantileInterval(s.ttfts, s.ttftWeights, 0.5),
    inputTokensPerCall: weightedMeanInterval(s.inputTokens, s.tokenWeights, 0),
    outputTokensPerCall: weightedMeanInterval(s.outputTokens, s.tokenWeights, 0),
    costPerCallUsd: weightedMeanInterval(s.costs, s.costWeights, 0),
  };
}

function side(model: string, s: Sample): ModelSide {
  return s.weighted ? weightedSide(model, s) : exactSide(model, s);
}

/** The spans a side's figures come from: its sample when sampled, else its calls. */
function spansOf(side: ModelSide): number {
  return side.sampledSpans ?? side.calls;
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
  const na = spansOf(a);
  const nb = spansOf(b);
  const sampled = a.sampledSpans !== undefined || b.sampledSpans !== undefined;
  const n = `n=${na}/${nb}${sampled ? ' sampled spans' : ''}`;
  if (na < MIN_CALLS_FOR_VERDICT || nb < MIN_CALLS_FOR_VERDICT) {
    parts.push(`too few ${sampled ? 'sampled spans' : 'calls'} to tell (${na} vs ${nb}; need ${MIN_CALLS_FOR_VERDICT} each)`);
  } else if (c.latencySignificant && c.latencyTest) {
    const faster = c.latencyTest.z < 0 ? a : b;
    const slower = faster === a ? b : a;
    const ratio = slower.p50Ms.value && faster.p50Ms.value ? slower.p50Ms.value / faster.p50Ms.value : null;
    parts.push(
      `${faster.model} is faster: p50 ${ms(faster.p50Ms.value)} vs ${ms(slower.p50Ms.value)}${ratio ? ` (${ratio.toFixed(2)}x)` : ''}, ` +
        `significant (Mann-Whitney p=${c.latencyTest.p.toPrecision(2)}, ${n})`,
    );
  } else {
    parts.push(`no significant latency difference (Mann-Whitney p=${c.latencyTest ? c.latencyTest.p.toPrecision(2) : '-'}, ${n})`);
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

  /** 0 for model A, 1 for B, else undefined. */
  #sideOf(model: string | undefined): number | undefined {
    return model === undefined ? undefined : model === this.#a ? 0 : model === this.#b ? 1 : undefined;
  }

  /** Counts one span when it is a model call of A or B, by its requested or answered model (cache hits excluded). */
  add(span: SpanData): void {
    if (!isModelCall(span) || isCacheHit(span)) return;
    const [request, response] = spanModelNames(span);
    const index = this.#sideOf(spanModel(span)) ?? this.#sideOf(request) ?? this.#sideOf(response);
    if (index === undefined) return;
    const s = this.#samples[index]!;
    const w = spanWeight(span);
    if (w !== 1) s.weighted = true;
    s.spans++;
    s.calls += w;
    if (span.status !== 'error') s.successes += w;
    s.latencies.push(span.duration);
    s.latencyWeights.push(w);
    const ttft = spanTtft(span);
    if (ttft !== undefined) {
      s.ttfts.push(ttft);
      s.ttftWeights.push(w);
    }
    if (span.status !== 'error') {
      s.inputTokens.push(spanInputTokens(span));
      s.outputTokens.push(spanOutputTokens(span));
      s.tokenWeights.push(w);
    }
    const cost = spanCost(span);
    if (typeof cost === 'number') {
      s.costs.push(cost);
      s.costWeights.push(w);
    }
  }

  /** The comparison of what was added (with the evaluations' `headToHead` record when given). */
  result(headToHead?: HeadToHead): ModelComparison {
    const [sa, sb] = this.#samples as [Sample, Sample];
    const latencyTest =
      sa.weighted || sb.weighted
        ? weightedMannWhitney(sa.latencies, sa.latencyWeights, sb.latencies, sb.latencyWeights)
        : mannWhitney(sa.latencies, sb.latencies);
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
