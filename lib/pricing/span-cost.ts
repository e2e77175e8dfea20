/**
 * The cost of one finished call, as recorded on its span (`llmtrace.cost_usd`): a number of USD, 0
 * for calls answered from the user's own cache (`llmtrace.cached: true`) and for local models, or
 * `null` when the cost cannot be known: an unpriced model, a successful call that reported no
 * usage, or partial usage (a cancelled stream that never reported its input or its output tokens,
 * where that side is priced; a count estimated from the chunks is not a report). Never a silent $0 and never a partial sum passed off as the cost:
 * each unpriced model is reported once through the diagnostics logger.
 */
import { GenAI, LLMTrace, modelOfAttributes } from '../attributes.js';
import { count } from '../extract/call-result.js';
import { warnOnce } from '../internal/diagnostics.js';
import type { Span, SpanKind } from '../span.js';
import { costOfCounts } from './model-price.js';
import type { PriceTable } from './price-table.js';

/** Scope kinds group other calls and are never priced themselves (their children are). */
const UNPRICED_KINDS: ReadonlySet<SpanKind> = new Set<SpanKind>(['session', 'run', 'iteration', 'request', 'model']);

/**
 * The cost of `span`'s call in USD, `null` when unknown, or undefined when there is nothing to
 * price (a scope span, or a span with neither model nor token usage). `failed` tells a failed call
 * (no usage means nothing billed: 0) from a successful one (no usage means unknown: null); it is
 * passed because the span has not finished yet when its cost is recorded.
 */
export function costOfSpan(span: Span, prices: PriceTable, failed: boolean): number | null | undefined {
  if (UNPRICED_KINDS.has(span.kind)) return undefined;
  const a = span.attributes;
  if (a[LLMTrace.CACHED] === true) return 0;
  const model = modelOfAttributes(a);
  const inputTokens = count(a[GenAI.USAGE_INPUT_TOKENS]);
  const outputTokens = count(a[GenAI.USAGE_OUTPUT_TOKENS]);
  const hasUsage = inputTokens !== undefined || outputTokens !== undefined;
  if (model === undefined) return hasUsage ? null : undefined;
  const provider = a[GenAI.PROVIDER_NAME];
  const server = a[GenAI.SERVER_ADDRESS];
  const price = prices.lookup(
    model,
    typeof provider === 'string' ? provider : undefined,
    span.startTime,
    typeof server === 'string' ? server : undefined,
  );
  if (!price) {
    warnOnce(
      `cost.unknown-model:${model}`,
      `llmtrace: no price for model '${model}'; its calls get llmtrace.cost_usd = null (add it with configure({ pricing }))`,
      { model },
    );
    return null;
  }
  const inputPriced = price.input !== 0;
  const outputPriced = price.output !== 0;
  if (!hasUsage && !failed && (inputPriced || outputPriced)) return null;
  if (hasUsage && ((inputTokens === undefined && inputPriced) || (outputTokens === undefined && outputPriced && !failed))) return null;
  // Output tokens estimated from a stream's chunk count (it stopped before reporting them): partial usage.
  if (outputPriced && a[LLMTrace.USAGE_ESTIMATED] === true) return null;
  const cacheRead = count(a[GenAI.USAGE_CACHED_INPUT_TOKENS]);
  const cacheWrite = count(a[GenAI.USAGE_CACHE_CREATION_INPUT_TOKENS]);
  return costOfCounts(price, inputTokens, outputTokens, cacheRead, cacheWrite);
}

/** Records `llmtrace.cost_usd` on a span that is about to finish (nothing when there is nothing to price). */
export function recordCost(span: Span, prices: PriceTable, failed: boolean): void {
  const cost = costOfSpan(span, prices, failed);
  if (cost !== undefined) span.attributes[LLMTrace.COST_USD] = cost;
}
