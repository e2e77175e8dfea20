/**
 * OpenAI response shapes: chat completions (`chat.completion`), the Responses API (`response`) and
 * embeddings (`list`). OpenAI-compatible servers (vLLM, LM Studio, llama.cpp's `/v1`, Groq, Together,
 * LiteLLM) answer with the same shapes; the ones that drop `object` are read by
 * `openai-compatible.ts`.
 */
import { asRecord, count, newResult, oneReason, reasonsOf, text, type CallResult } from './call-result.js';

/** Reads an OpenAI chat completion (`object: 'chat.completion'`, or one `chat.completion.chunk`). */
export function extractOpenAIChat(response: unknown): CallResult | undefined {
  const r = asRecord(response);
  if (!r || (r.object !== 'chat.completion' && r.object !== 'chat.completion.chunk')) return undefined;
  return chatCompletionFacts(r);
}

/** The finish reason of a choice (`finish_reason`, or `finishReason` in camelCase SDKs such as Mistral's). */
function choiceReason(item: unknown): string | undefined {
  const choice = asRecord(item);
  return text(choice?.finish_reason) ?? text(choice?.finishReason);
}

/**
 * @internal The facts of a chat completion or chunk record, whatever its `object` says (streamed
 * chunks of some OpenAI-compatible servers omit it). Reads the snake_case wire names and the
 * camelCase ones of SDKs that convert them (Mistral's `promptTokens`, `completionTokens`).
 * Groq's responses (`x_groq`) are filed under provider `groq`; a Groq stream sends its usage in the
 * last chunk's `x_groq.usage` (same fields), read when there is no top-level `usage`.
 */
export function chatCompletionFacts(r: Record<string, unknown>): CallResult {
  const groq = r.x_groq;
  const out = newResult(groq !== undefined ? 'groq' : 'openai');
  out.model = text(r.model);
  out.responseId = text(r.id);
  const usage = asRecord(r.usage) ?? asRecord(asRecord(groq)?.usage);
  if (usage) {
    out.inputTokens = count(usage.prompt_tokens) ?? count(usage.promptTokens);
    out.outputTokens = count(usage.completion_tokens) ?? count(usage.completionTokens);
    const prompt = asRecord(usage.prompt_tokens_details) ?? asRecord(usage.promptTokensDetails);
    if (prompt) out.cachedInputTokens = count(prompt.cached_tokens) ?? count(prompt.cachedTokens);
    const completion = asRecord(usage.completion_tokens_details) ?? asRecord(usage.completionTokensDetails);
    if (completion) out.reasoningTokens = count(completion.reasoning_tokens) ?? count(completion.reasoningTokens);
  }
  out.finishReasons = reasonsOf(r.choices, choiceReason);
  // A chunk finishes some of a stream's choices (n > 1 finishes each in its own chunk).
  if (out.finishReasons !== undefined && r.object !== 'chat.completion') out.finishChoices = streamedChoices(r.choices as unknown[]);
  return out;
}

/** The one-choice case, shared: a stream of one choice finishes choice 0. */
const FIRST_CHOICE: readonly number[] = Object.freeze([0]);

/**
 * The `index` of each streamed choice (one with a `delta`) that has a finish reason, in order, or
 * undefined when the choices are whole messages (a completion, not a chunk).
 */
function streamedChoices(choices: readonly unknown[]): readonly number[] | undefined {
  const indexes: number[] = [];
  for (let i = 0; i < choices.length; i++) {
    const choice = asRecord(choices[i]);
    if (choice?.delta === undefined || choiceReason(choice) === undefined) continue;
    indexes.push(count(choice.index) ?? i);
  }
  if (indexes.length === 0) return undefined;
  return indexes.length === 1 && indexes[0] === 0 ? FIRST_CHOICE : indexes;
}

/** Reads an OpenAI Responses API result (`object: 'response'`). */
export function extractOpenAIResponse(response: unknown): CallResult | undefined {
  const r = asRecord(response);
  if (!r || r.object !== 'response') return undefined;
  const out = newResult('openai');
  out.model = text(r.model);
  out.responseId = text(r.id);
  const usage = asRecord(r.usage);
  if (usage) {
    out.inputTokens = count(usage.input_tokens);
    out.outputTokens = count(usage.output_tokens);
    out.cachedInputTokens = count(asRecord(usage.input_tokens_details)?.cached_tokens);
    out.reasoningTokens = count(asRecord(usage.output_tokens_details)?.reasoning_tokens);
  }
  const reason = text(asRecord(r.incomplete_details)?.reason) ?? text(r.status);
  out.finishReasons = oneReason(reason);
  return out;
}

/** Reads an OpenAI embeddings result (`object: 'list'` with embedding data). */
export function extractOpenAIEmbedding(response: unknown): CallResult | undefined {
  const r = asRecord(response);
  if (!r || r.object !== 'list' || !Array.isArray(r.data)) return undefined;
  const out = newResult('openai');
  out.model = text(r.model);
  const usage = asRecord(r.usage);
  out.inputTokens = count(usage?.prompt_tokens) ?? count(usage?.promptTokens);
  return out;
}
