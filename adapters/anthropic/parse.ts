/**
 * Pure reading of the `@anthropic-ai/sdk` request parameters. No I/O, no span access; never throws
 * on foreign input. (Whole messages are read by the shared extractor in lib/extract/anthropic.ts,
 * stream events by lib/extract/stream-events.ts, shared with `traced(fn)`.)
 */
import { asRecord } from '../../lib/extract/call-result.js';
import type { Attributes } from '../../lib/span.js';
import { requestParams } from '../internal/adapter-options.js';

export { readAnthropicEvent } from '../../lib/extract/stream-events.js';

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
