/**
 * The typed events of the providers' streaming APIs, read one at a time: Anthropic's Messages
 * stream (`message_start`, `content_block_delta`, `message_delta`, ...) and OpenAI's Responses
 * stream (`response.created`, `response.output_text.delta`, `response.completed`, ...). Shared by the
 * SDK adapters and by `traced(fn)` around a function that returns such a stream, so both count only
 * content events as chunks (time to first token is the first text, not `message_start`) and read
 * usage where these APIs put it. Pure; never throws on foreign input.
 */
import { asRecord, compact, text, type CallResult } from './call-result.js';
import { anthropicUsage, extractAnthropicMessage } from './anthropic.js';
import { extractOpenAIResponse } from './openai.js';

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

/**
 * @internal How `chunk` reads when it is an Anthropic or Responses stream event; undefined for
 * anything else (an OpenAI chat chunk, an AI SDK stream part: read by the extractor registry). One
 * `type` read for the common chat chunk, which has none.
 */
export function readTypedStreamEvent(chunk: unknown): ChunkReading | undefined {
  if (chunk === null || typeof chunk !== 'object') return undefined;
  const type = (chunk as { type?: unknown }).type;
  if (typeof type !== 'string') return undefined;
  if (type.startsWith('response.')) return readResponseEvent(chunk);
  return ANTHROPIC_EVENTS.has(type) ? readAnthropicEvent(chunk) : undefined;
}
