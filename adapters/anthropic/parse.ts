/**
 * Pure reading of the `@anthropic-ai/sdk` request parameters and stream events (`message_start`,
 * `content_block_delta`, `message_delta`). No I/O, no span access; never throws on foreign input.
 * (Whole messages and `usage` records are read by the shared extractor in lib/extract/anthropic.ts.)
 */
import { asRecord, compact, text } from '../../lib/extract/call-result.js';
import { anthropicUsage, extractAnthropicMessage } from '../../lib/extract/anthropic.js';
import type { Attributes } from '../../lib/span.js';
import { requestParams } from '../internal/adapter-options.js';
import type { ChunkReading } from '../internal/stream-observer.js';

const NOTHING: ChunkReading = { content: false };

/** Request attributes of `messages.create` / `messages.stream` params. */
export function anthropicRequestAttributes(params: unknown, streamed = false): Attributes {
  const p = asRecord(params) ?? {};
  return requestParams({
    model: p.model,
    maxTokens: p.max_tokens,
    temperature: p.temperature,
    topP: p.top_p,
    topK: p.top_k,
    stop: p.stop_sequences,
    stream: streamed || p.stream === true,
  });
}

/**
 * Reads one raw stream event: `content_block_delta` is content; `message_start` carries the model,
 * id and input tokens (its `output_tokens` is a placeholder, 1, so it is left out: a stream ended
 * before `message_delta` counts its deltas instead); `message_delta` the cumulative output tokens
 * and the stop reason.
 */
export function readAnthropicEvent(event: unknown): ChunkReading {
  const e = asRecord(event);
  switch (e?.type) {
    case 'content_block_delta':
      return { content: true };
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
