/**
 * The items of the providers' streaming APIs, read one at a time: OpenAI's chat completion chunks
 * (and every OpenAI-compatible server's), Anthropic's Messages stream events (`message_start`,
 * `content_block_delta`, `message_delta`, ...), OpenAI's Responses stream events
 * (`response.created`, `response.output_text.delta`, `response.completed`, ...) and Ollama's
 * `/api/chat` and `/api/generate` NDJSON items. Shared by the SDK
 * adapters and by `traced(fn)` around a function that returns such a stream, so both count only
 * content items as chunks (time to first token is the first text, not the role-only first chunk or
 * `message_start`) and read usage where these APIs put it. Pure; never throws on foreign input.
 */
import { asRecord, compact, text, type CallResult } from './call-result.js';
import { anthropicUsage, extractAnthropicMessage } from './anthropic.js';
import { extractOllama } from './ollama.js';
import { chatCompletionFacts, extractOpenAIResponse } from './openai.js';

/** What one streamed item is, as far as a span cares. */
export interface ChunkReading {
  /** True for items that carry generated content (they time the stream and count as tokens). */
  readonly content: boolean;
  /** Facts the item carries (model, usage, finish reason). */
  readonly result?: CallResult;
}

const NOTHING: ChunkReading = { content: false };
const CONTENT: ChunkReading = { content: true };

/** Every event type of Anthropic's Messages stream. */
const ANTHROPIC_EVENTS: ReadonlySet<string> = new Set([
  'message_start',
  'message_delta',
  'message_stop',
  'content_block_start',
  'content_block_delta',
  'content_block_stop',
  'ping',
]);

/**
 * Reads one Anthropic stream event: `content_block_delta` is content; `message_start` carries the
 * model, id and input tokens (its `output_tokens` is a placeholder, 1, so it is left out: a stream
 * ended before `message_delta` counts its deltas instead); `message_delta` the cumulative output
 * tokens and the stop reason.
 */
export function readAnthropicEvent(event: unknown): ChunkReading {
  const e = asRecord(event);
  switch (e?.type) {
    case 'content_block_delta':
      return CONTENT;
    case 'message_start': {
      const message = extractAnthropicMessage(e.message);
      return message ? { content: false, result: compact({ ...message, outputTokens: undefined }) } : NOTHING;
    }
    case 'message_delta': {
      const stop = text(asRecord(e.delta)?.stop_reason);
      return {
        content: false,
        result: compact({ ...anthropicUsage(e.usage), finishReasons: stop ? [stop] : undefined }),
      };
    }
    default:
      return NOTHING;
  }
}

/**
 * Reads one Responses API stream event: `*.delta` events are content; `response.created`,
 * `response.completed`, `response.incomplete` and `response.failed` carry the response (with usage
 * at the end).
 */
export function readResponseEvent(event: unknown): ChunkReading {
  const e = asRecord(event);
  const type = text(e?.type);
  if (!e || !type) return NOTHING;
  if (type.endsWith('.delta')) return CONTENT;
  const response = extractOpenAIResponse(e.response);
  return response ? { content: false, result: response } : NOTHING;
}

function hasDelta(choice: unknown): boolean {
  const delta = asRecord(asRecord(choice)?.delta);
  if (!delta) return false;
  return (
    (typeof delta.content === 'string' && delta.content !== '') ||
    (typeof delta.refusal === 'string' && delta.refusal !== '') ||
    (Array.isArray(delta.tool_calls) && delta.tool_calls.length > 0) ||
    asRecord(delta.function_call) !== undefined
  );
}

/**
 * Reads one `chat.completion.chunk`. Chunks with generated text, refusal or tool-call deltas are
 * content; the role-only first chunk, the finish chunk and the usage chunk
 * (`stream_options.include_usage`) only add facts.
 */
export function readChatChunk(chunk: unknown): ChunkReading {
  const c = asRecord(chunk);
  if (!c) return NOTHING;
  return { content: chatChunkHasContent(c), result: chatCompletionFacts(c) };
}

/** @internal Whether `chunk`, a `chat.completion.chunk`, carries generated text, a refusal or a tool-call delta. */
export function chatChunkHasContent(chunk: object): boolean {
  const choices = (chunk as { choices?: unknown }).choices;
  return Array.isArray(choices) && choices.some(hasDelta);
}

/** Whether `item` is an Ollama `/api/chat` or `/api/generate` stream item: `model`, `done`, and a `message` or a `response`. */
function isOllamaStreamItem(item: Record<string, unknown>): boolean {
  return typeof item.done === 'boolean' && typeof item.model === 'string' && (asRecord(item.message) !== undefined || typeof item.response === 'string');
}

/**
 * Reads one Ollama `/api/chat` or `/api/generate` stream item. Items with generated text (the
 * message's `content` or `thinking`, or generate's `response` / `thinking`) or tool calls are
 * content; the last, `done: true` item (its text empty) carries the counts and the done reason.
 */
function readOllamaStreamItem(i: Record<string, unknown>): ChunkReading {
  const message = asRecord(i.message);
  const content =
    text(i.response ?? message?.content) !== undefined ||
    text(i.thinking ?? message?.thinking) !== undefined ||
    (Array.isArray(message?.tool_calls) && message.tool_calls.length > 0);
  const result = i.done === true ? extractOllama(i) : undefined;
  return result ? { content, result } : content ? CONTENT : NOTHING;
}

/**
 * @internal How `chunk` reads when it is an OpenAI chat completion chunk (`object:
 * 'chat.completion.chunk'`), an Anthropic or a Responses stream event, or an Ollama stream item;
 * undefined for anything else (an AI SDK stream part, a chunk of an unknown shape: read by the
 * extractor registry).
 */
export function readProviderStreamItem(chunk: unknown): ChunkReading | undefined {
  if (chunk === null || typeof chunk !== 'object') return undefined;
  const type = (chunk as { type?: unknown }).type;
  if (typeof type !== 'string') {
    if ((chunk as { object?: unknown }).object === 'chat.completion.chunk') return readChatChunk(chunk);
    const item = chunk as Record<string, unknown>;
    return isOllamaStreamItem(item) ? readOllamaStreamItem(item) : undefined;
  }
  if (type.startsWith('response.')) return readResponseEvent(chunk);
  return ANTHROPIC_EVENTS.has(type) ? readAnthropicEvent(chunk) : undefined;
}
