/**
 * What an extractor read (a CallResult) written onto a span under the GenAI names: provider, models,
 * response id, token counts, finish reasons. The response's model wins over the requested one. The
 * provider known at the start of the call wins over the response's, unless it was only an adapter's
 * guess (`markProviderGuessed`): a Groq answer (`x_groq`) to an OpenAI client pointed at a proxy is
 * filed under `groq`, while a provider the user named stays.
 */
import { GenAI } from '../attributes.js';
import type { CallResult } from '../extract/call-result.js';
import type { Span } from '../span.js';

/** Spans whose `gen_ai.provider.name` is an adapter's default guess, not a provider the user named. */
const guessedProviders = new WeakSet<Span>();

/**
 * @internal Marks `span`'s provider as a default guess (an OpenAI-compatible adapter given no
 * `provider` option, talking to a server it does not know): the provider the response names replaces it.
 */
export function markProviderGuessed(span: Span): void {
  guessedProviders.add(span);
}

/** @internal Applies what an extractor read to a span. */
export function applyCallResult(span: Span, result: CallResult): void {
  const a = span.attributes;
  const provider = result.provider;
  const known = a[GenAI.PROVIDER_NAME];
  if (provider !== undefined && (known === undefined || (known !== provider && guessedProviders.has(span)))) a[GenAI.PROVIDER_NAME] = provider;
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
