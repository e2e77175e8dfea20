/**
 * Pure reading of the `openai` SDK's request parameters. No I/O, no span access; never throws on
 * foreign input. (Whole responses are read by the shared extractors in lib/extract/openai.ts, chat
 * completion chunks and Responses API stream events by lib/extract/stream-events.ts, shared with
 * `traced(fn)`.)
 */
import { asRecord } from '../../lib/extract/call-result.js';
import type { Attributes } from '../../lib/span.js';
import { requestParams } from '../internal/adapter-options.js';

export { readChatChunk, readResponseEvent } from '../../lib/extract/stream-events.js';

/**
 * Request attributes of `chat.completions.create`, `responses.create` or `embeddings.create` params;
 * `streamed` for the stream helpers (`chat.completions.stream()`, `responses.stream()`), which stream
 * without a `stream: true` param.
 */
export function openAIRequestAttributes(params: unknown, streamed = false): Attributes {
  const p = asRecord(params) ?? {};
  const format = asRecord(p.response_format)?.type ?? asRecord(asRecord(p.text)?.format)?.type; // chat, Responses
  return requestParams({
    model: p.model,
    maxTokens: p.max_completion_tokens ?? p.max_tokens ?? p.max_output_tokens,
    temperature: p.temperature,
    topP: p.top_p,
    stop: p.stop,
    seed: p.seed,
    frequencyPenalty: p.frequency_penalty,
    presencePenalty: p.presence_penalty,
    choiceCount: p.n,
    outputType: format === 'json_object' || format === 'json_schema' ? 'json' : format === 'text' ? 'text' : undefined,
    conversationId: p.conversation,
    stream: streamed || p.stream === true,
  });
}
