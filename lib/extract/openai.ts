/**
 * OpenAI response shapes: chat completions (`chat.completion`), the Responses API (`response`) and
 * embeddings (`list`). OpenAI-compatible servers (vLLM, LM Studio, llama.cpp's `/v1`) answer with
 * the same shapes.
 */
import { asRecord, compact, count, text, type CallResult } from './call-result.js';

/** Reads an OpenAI chat completion (`object: 'chat.completion'`, or one `chat.completion.chunk`). */
export function extractOpenAIChat(response: unknown): CallResult | undefined {
  const r = asRecord(response);
  if (!r || (r.object !== 'chat.completion' && r.object !== 'chat.completion.chunk')) return undefined;
  return chatCompletionFacts(r);
}

/**
 * @internal The facts of a chat completion or chunk record, whatever its `object` says (streamed
 * chunks of some OpenAI-compatible servers omit it).
 */
export function chatCompletionFacts(r: Record<string, unknown>): CallResult {
  const usage = asRecord(r.usage);
  const choices = Array.isArray(r.choices) ? r.choices : [];
  const finishReasons = choices
    .map((c) => text(asRecord(c)?.finish_reason))
    .filter((reason): reason is string => reason !== undefined);
  return compact({
    provider: 'openai',
    model: text(r.model),
    responseId: text(r.id),
    inputTokens: count(usage?.prompt_tokens),
    outputTokens: count(usage?.completion_tokens),
    cachedInputTokens: count(asRecord(usage?.prompt_tokens_details)?.cached_tokens),
    finishReasons: finishReasons.length > 0 ? finishReasons : undefined,
  });
}

/** Reads an OpenAI Responses API result (`object: 'response'`). */
export function extractOpenAIResponse(response: unknown): CallResult | undefined {
  const r = asRecord(response);
  if (!r || r.object !== 'response') return undefined;
  const usage = asRecord(r.usage);
  const incomplete = text(asRecord(r.incomplete_details)?.reason);
  const status = text(r.status);
  return compact({
    provider: 'openai',
    model: text(r.model),
    responseId: text(r.id),
    inputTokens: count(usage?.input_tokens),
    outputTokens: count(usage?.output_tokens),
    cachedInputTokens: count(asRecord(usage?.input_tokens_details)?.cached_tokens),
    finishReasons: incomplete ? [incomplete] : status ? [status] : undefined,
  });
}

/** Reads an OpenAI embeddings result (`object: 'list'` with embedding data). */
export function extractOpenAIEmbedding(response: unknown): CallResult | undefined {
  const r = asRecord(response);
  if (!r || r.object !== 'list' || !Array.isArray(r.data)) return undefined;
  const usage = asRecord(r.usage);
  return compact({
    provider: 'openai',
    model: text(r.model),
    inputTokens: count(usage?.prompt_tokens),
  });
}
