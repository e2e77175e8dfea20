/**
 * OpenAI-compatible JSON that does not say what it is: the `{ model, usage: { prompt_tokens,
 * completion_tokens } }` records LiteLLM, vLLM, Groq, Together and many wrappers return once a
 * wrapper has dropped `object`, the legacy `text_completion` shape, and the camelCase records of
 * SDKs that convert the wire names (Mistral's `usage.promptTokens`).
 */
import { asRecord, count, text, type CallResult } from './call-result.js';
import { chatCompletionFacts } from './openai.js';

function hasSnakeUsage(usage: Record<string, unknown>): boolean {
  return count(usage.prompt_tokens) !== undefined || count(usage.completion_tokens) !== undefined;
}

function hasCamelUsage(usage: Record<string, unknown>): boolean {
  return count(usage.promptTokens) !== undefined || count(usage.completionTokens) !== undefined;
}

/**
 * Reads an OpenAI-compatible completion without `object` (or with `object: 'text_completion'`).
 * camelCase usage counts only when the record also names a `model` or has `choices`, so an AI SDK
 * result (`usage.promptTokens`, `response.modelId`) is not mistaken for one. The provider is left
 * unknown (a LiteLLM proxy may front any of them) unless the record says (`x_groq`: `groq`).
 */
export function extractOpenAICompatible(response: unknown): CallResult | undefined {
  const r = asRecord(response);
  if (!r || (r.object !== undefined && r.object !== 'text_completion')) return undefined;
  const usage = asRecord(r.usage);
  if (!usage) return undefined;
  if (!hasSnakeUsage(usage) && !(hasCamelUsage(usage) && (text(r.model) !== undefined || Array.isArray(r.choices)))) {
    return undefined;
  }
  const out = chatCompletionFacts(r);
  if (out.provider === 'openai' && r.object === undefined) out.provider = undefined;
  return out;
}
