/**
 * Anthropic Messages API responses (`type: 'message'`, or the same record with `type` dropped by a
 * wrapper) and the `usage` records they and stream events carry.
 */
import { asRecord, count, newResult, oneReason, sum, text, type CallResult } from './call-result.js';

/**
 * @internal The token counts of an Anthropic `usage` record (a message's, or a stream's `message_delta`).
 * Input tokens include cache reads and cache writes, as billed.
 */
export function anthropicUsage(
  usage: unknown,
): Pick<CallResult, 'inputTokens' | 'outputTokens' | 'cachedInputTokens' | 'cacheWriteInputTokens'> {
  const u = asRecord(usage);
  const uncached = count(u?.input_tokens);
  const cacheRead = count(u?.cache_read_input_tokens);
  const cacheWrite = count(u?.cache_creation_input_tokens);
  return {
    inputTokens: uncached === undefined ? undefined : sum(sum(uncached, cacheRead), cacheWrite),
    outputTokens: count(u?.output_tokens),
    cachedInputTokens: cacheRead,
    cacheWriteInputTokens: cacheWrite,
  };
}

/**
 * Whether `r` is an Anthropic message whose `type` was dropped: assistant `content` blocks beside a
 * `usage` with `input_tokens`, and no OpenAI `object` or Responses `output`.
 */
function isUntypedMessage(r: Record<string, unknown>): boolean {
  if (r.type !== undefined || r.object !== undefined || r.output !== undefined || !Array.isArray(r.content)) return false;
  return count(asRecord(r.usage)?.input_tokens) !== undefined;
}

/** Reads an Anthropic message. Input tokens include cache reads and cache writes, as billed. */
export function extractAnthropicMessage(response: unknown): CallResult | undefined {
  const r = asRecord(response);
  if (!r || (r.type !== 'message' && !isUntypedMessage(r))) return undefined;
  const out = newResult('anthropic');
  out.model = text(r.model);
  out.responseId = text(r.id);
  const u = asRecord(r.usage);
  if (u) {
    const uncached = count(u.input_tokens);
    out.cachedInputTokens = count(u.cache_read_input_tokens);
    out.cacheWriteInputTokens = count(u.cache_creation_input_tokens);
    out.inputTokens = uncached === undefined ? undefined : sum(sum(uncached, out.cachedInputTokens), out.cacheWriteInputTokens);
    out.outputTokens = count(u.output_tokens);
  }
  const stop = text(r.stop_reason);
  out.finishReasons = oneReason(stop);
  return out;
}
