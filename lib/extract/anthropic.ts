/** Anthropic Messages API responses (`type: 'message'`). */
import { asRecord, compact, count, text, type CallResult } from './call-result.js';

/** Reads an Anthropic message. Input tokens include cache reads and cache writes, as billed. */
export function extractAnthropicMessage(response: unknown): CallResult | undefined {
  const r = asRecord(response);
  if (!r || r.type !== 'message') return undefined;
  const usage = asRecord(r.usage);
  const uncached = count(usage?.input_tokens);
  const cacheRead = count(usage?.cache_read_input_tokens);
  const cacheWrite = count(usage?.cache_creation_input_tokens);
  const stop = text(r.stop_reason);
  return compact({
    provider: 'anthropic',
    model: text(r.model),
    responseId: text(r.id),
    inputTokens: uncached === undefined ? undefined : uncached + (cacheRead ?? 0) + (cacheWrite ?? 0),
    outputTokens: count(usage?.output_tokens),
    cachedInputTokens: cacheRead,
    finishReasons: stop ? [stop] : undefined,
  });
}
