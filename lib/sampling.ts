/**
 * Sampling: which finished spans are kept for storage and export. Aggregates count every call
 * whatever is decided here (the aggregator subscribes to every span, kept or not).
 *
 * - Head sampling: a ratio decided once per trace, at its root span, from the trace id (so the same
 *   trace id gives the same answer in every process, like OpenTelemetry's TraceIdRatioBased sampler).
 *   Children inherit their parent's decision, so a trace is never half kept by the head rule.
 * - Tail rules: when a span ends, errors (`keepErrors`) and calls slower than `slowerThanMs` are
 *   kept even when their trace was sampled out.
 */
import { LLMTrace } from './attributes.js';
import { checkBoolean } from './internal/validate.js';
import type { Attributes, Span } from './span.js';

/** Options of `configure({ sampling })`. */
export interface SamplingOptions {
  /**
   * Fraction of traces kept, 0..1, decided at the root span.
   * @default 1 (keep everything)
   */
  ratio?: number;
  /**
   * Keep failed spans even when their trace was sampled out.
   * @default true
   */
  keepErrors?: boolean;
  /**
   * Keep spans that took at least this many milliseconds even when their trace was sampled out.
   * @default undefined (no latency rule)
   */
  slowerThanMs?: number;
}

/** @internal Sampling options with defaults applied. */
export interface SamplingPolicy {
  readonly ratio: number;
  readonly keepErrors: boolean;
  readonly slowerThanMs: number;
}

/** The policy in force when nothing is configured: keep everything. */
export const DEFAULT_SAMPLING: SamplingPolicy = Object.freeze({ ratio: 1, keepErrors: true, slowerThanMs: Infinity });

/**
 * @internal Validates `options` and merges them over `current` (omitted fields keep their value).
 * Throws a TypeError naming the option when one is invalid.
 */
export function resolveSampling(options: SamplingOptions, current: SamplingPolicy): SamplingPolicy {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`llmtrace: sampling must be an object, got ${String(options)} (${typeof options})`);
  }
  const { ratio, keepErrors, slowerThanMs } = options;
  if (ratio !== undefined && (typeof ratio !== 'number' || !(ratio >= 0 && ratio <= 1))) {
    throw new TypeError(`llmtrace: sampling.ratio must be a number from 0 to 1, got ${String(ratio)} (${typeof ratio})`);
  }
  if (keepErrors !== undefined) checkBoolean(keepErrors, 'sampling.keepErrors');
  if (slowerThanMs !== undefined && (typeof slowerThanMs !== 'number' || !(slowerThanMs >= 0))) {
    throw new TypeError(
      `llmtrace: sampling.slowerThanMs must be a non-negative number of milliseconds, got ${String(slowerThanMs)} (${typeof slowerThanMs})`,
    );
  }
  return Object.freeze({
    ratio: ratio ?? current.ratio,
    keepErrors: keepErrors ?? current.keepErrors,
    slowerThanMs: slowerThanMs ?? current.slowerThanMs,
  });
}

const UINT32 = 2 ** 32;

/**
 * @internal The head decision for a new trace: true when the trace is kept. Reads the last 8 hex
 * digits of the (random) trace id as a fraction of 2^32 and keeps it when below `ratio`.
 */
export function sampleTrace(traceId: string, policy: SamplingPolicy): boolean {
  if (policy.ratio >= 1) return true;
  if (policy.ratio <= 0) return false;
  return Number.parseInt(traceId.slice(-8), 16) / UINT32 < policy.ratio;
}

/** @internal The tail rule: true when an ended span must be kept although its trace was sampled out. */
export function keepByTailRule(span: Span, policy: SamplingPolicy): boolean {
  return (policy.keepErrors && span.status === 'error') || span.duration >= policy.slowerThanMs;
}

/**
 * @internal How many calls a kept span stands for under `policy` (its inverse inclusion
 * probability): 1 when a tail rule keeps every such call (an error under `keepErrors`, a call
 * slower than `slowerThanMs`), else 1 / ratio (it was kept by the head ratio). Weighted this way a
 * sample estimates the whole without bias: a 10% error rate stays 10%, not the 50% the kept spans show.
 */
export function sampleWeight(span: { readonly status: string; readonly duration: number }, policy: SamplingPolicy): number {
  if (policy.ratio >= 1 || policy.ratio <= 0) return 1;
  const keptByTail = (policy.keepErrors && span.status === 'error') || span.duration >= policy.slowerThanMs;
  return keptByTail ? 1 : 1 / policy.ratio;
}

/** @internal The sample weight a span recorded (`llmtrace.sample_weight`), 1 when it recorded none. */
export function recordedSampleWeight(attributes: Attributes): number {
  const weight = attributes[LLMTrace.SAMPLE_WEIGHT];
  return typeof weight === 'number' && weight >= 1 && Number.isFinite(weight) ? weight : 1;
}
