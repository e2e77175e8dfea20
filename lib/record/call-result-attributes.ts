/**
 * What an extractor read (a CallResult) written onto a span under the GenAI names: provider, models,
 * response id, token counts, finish reasons. The response's model wins over the requested one.
 */
import { GenAI } from '../attributes.js';
import type { CallResult } from '../extract/call-result.js';
import type { Span } from '../span.js';

/** @internal Applies what an extractor read to a span. */
export function applyCallResult(span: Span, result: CallResult): void {
  const a = span.attributes;
  if (result.provider !== undefined && a[GenAI.PROVIDER_NAME] === undefined) a[GenAI.PROVIDER_NAME] = result.provider;
  if (result.model !== undefined) {
    a[GenAI.RESPONSE_MODEL] = result.model;
    if (a[GenAI.REQUEST_MODEL] === undefined) a[GenAI.REQUEST_MODEL] = result.model;
  }
  if (result.responseId !== undefined) a[GenAI.RESPONSE_ID] = result.responseId;
  if (result.inputTokens !== undefined) a[GenAI.USAGE_INPUT_TOKENS] = result.inputTokens;
  if (result.outputTokens !== undefined) a[GenAI.USAGE_OUTPUT_TOKENS] = result.outputTokens;
  if (result.cachedInputTokens !== undefined) a[GenAI.USAGE_CACHED_INPUT_TOKENS] = result.cachedInputTokens;
  if (result.finishReasons !== undefined) a[GenAI.RESPONSE_FINISH_REASONS] = result.finishReasons;
}
