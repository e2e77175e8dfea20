/**
 * The figures the query layer reads off a stored span: model, provider, function, tokens, cost,
 * time to first token. One reading of each, shared by filters, statistics and listings, so
 * `llmtrace runs`, `stats` and the dashboard always agree on what a span's model or cost is.
 */
import { callModelOf, GenAI, isModelCallOf, LLMTrace, modelNamesOf } from '../attributes.js';
import { recordedSampleWeight } from '../sampling.js';
import type { SpanData } from '../span.js';

/**
 * The model a span is counted under: the requested model when the answer names it or a dated
 * snapshot of it (`gpt-4o-mini` answered as `gpt-4o-mini-2024-07-18`), else the answered one; or
 * undefined. So a failed call (no answer) lands in the row of its successes.
 */
export function spanModel(span: SpanData): string | undefined {
  return callModelOf(span.attributes);
}

/** The names a span gives its model: the requested and the answered one (either may be undefined). */
export function spanModelNames(span: SpanData): readonly [string | undefined, string | undefined] {
  return modelNamesOf(span.attributes);
}

/** Whether the span is about one of `models`: its requested or its answered model is one of them. */
export function spanHasModel(span: SpanData, models: ReadonlySet<string>): boolean {
  const [request, response] = spanModelNames(span);
  return (request !== undefined && models.has(request)) || (response !== undefined && models.has(response));
}

/** The provider (`gen_ai.provider.name`), or undefined. */
export function spanProvider(span: SpanData): string | undefined {
  const provider = span.attributes[GenAI.PROVIDER_NAME];
  return typeof provider === 'string' && provider !== '' ? provider : undefined;
}

/** The traced function (`llmtrace.function`), else the span's name: the aggregator's grouping. */
export function spanFunction(span: SpanData): string {
  const fn = span.attributes[LLMTrace.FUNCTION];
  return typeof fn === 'string' && fn !== '' ? fn : span.name;
}

function countOf(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}

/** Calls the span stands for: its `llmtrace.sample_weight` when it was kept by head sampling, else 1. */
export function spanWeight(span: SpanData): number {
  return recordedSampleWeight(span.attributes);
}

/** Input tokens recorded on the span (0 when none). */
export function spanInputTokens(span: SpanData): number {
  return countOf(span.attributes[GenAI.USAGE_INPUT_TOKENS]);
}

/** Output tokens recorded on the span (0 when none). */
export function spanOutputTokens(span: SpanData): number {
  return countOf(span.attributes[GenAI.USAGE_OUTPUT_TOKENS]);
}

/** Cost in USD: a number when priced, null when the model is unpriced, undefined when no cost was recorded. */
export function spanCost(span: SpanData): number | null | undefined {
  const cost = span.attributes[LLMTrace.COST_USD];
  if (cost === null) return null;
  return typeof cost === 'number' && Number.isFinite(cost) ? cost : undefined;
}

/** Time to first token of a streamed call, ms, or undefined. */
export function spanTtft(span: SpanData): number | undefined {
  const ttft = span.attributes[LLMTrace.TIME_TO_FIRST_TOKEN_MS];
  return typeof ttft === 'number' && Number.isFinite(ttft) ? ttft : undefined;
}

/**
 * Whether the span is a model call: kind `llm` or `embedding`, and not made of the model calls below
 * it (`llmtrace.model_call.in_children`: a decorated method around an instrumented SDK call).
 */
export function isModelCall(span: SpanData): boolean {
  return isModelCallOf(span.kind, span.attributes);
}

/**
 * Whether the span is a failure of its own: it failed, and not because a call below it failed with
 * the error it passed on (`llmtrace.error.in_children`), so each failure counts once, where it happened.
 */
export function isOwnFailure(span: SpanData): boolean {
  return span.status === 'error' && span.attributes[LLMTrace.ERROR_IN_CHILDREN] !== true;
}

/** Whether the span was answered from the user's cache (`llmtrace.cached: true`). */
export function isCacheHit(span: SpanData): boolean {
  return span.attributes[LLMTrace.CACHED] === true;
}
