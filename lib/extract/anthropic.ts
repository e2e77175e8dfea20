/** Anthropic Messages API responses (`type: 'message'`) and the `usage` records they and stream events carry. */
import { asRecord, compact, count, text, type CallResult } from './call-result.js';

/**
 * @internal The token counts of an Anthropic `usage` record (a message's, or a stream's `message_delta`).
 * Input tokens include cache reads and cache writes, as billed.
 */
export function anthropicUsage(usage: unknown): Pick<CallResult, 'inputTokens' | 'outputTokens' | 'cachedInputTokens'> {
  const u = asRecord(usage);
  const uncached = count(u?.input_tokens);
  const cacheRead = count(u?.cache_read_input_tokens);
  const cacheWrite = count(u?.cache_creation_input_tokens);
  return {
    inputTokens: uncached === undefined ? undefined : uncached + (cacheRead ?? 0) + (cacheWrite ?? 0),
    outputTokens: count(u?.output_tokens),
    cachedInputTokens: cacheRead,
  };
}

/** Reads an Anthropic message. Input tokens include cache reads and cache writes, as billed. */
export function extractAnthropicMessage(response: unknown): CallResult | undefined {
  const r = asRecord(response);
  if (!r || r.type !== 'message') return undefined;
  const stop = text(r.stop_reason);
  return compact({
    provider: 'anthropic',
    model: text(r.model),
    responseId: text(r.id),
    ...anthropicUsage(r.usage),
    finishReasons: stop ? [stop] : undefined,
  });
}
