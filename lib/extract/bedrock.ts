/**
 * Amazon Bedrock Runtime `Converse` responses (`usage.inputTokens/outputTokens`, `stopReason`) and
 * the `metadata` event of a `ConverseStream`. Bedrock reports cache reads and writes apart from
 * `inputTokens`; llmtrace's input count includes them (as for Anthropic), so the three are summed.
 * The response does not name the model: it is the request's `modelId`.
 */
import { asRecord, count, newResult, oneReason, sum, type CallResult } from './call-result.js';

/** `gen_ai.provider.name` of Amazon Bedrock. */
export const BEDROCK_PROVIDER = 'aws.bedrock';

/** @internal Fills `out` from a Bedrock `TokenUsage` record; false when it has no counts. */
export function bedrockUsage(usage: Record<string, unknown>, out: CallResult): boolean {
  const uncached = count(usage.inputTokens);
  out.outputTokens = count(usage.outputTokens);
  if (uncached === undefined && out.outputTokens === undefined) return false;
  const cacheRead = count(usage.cacheReadInputTokens);
  const cacheWrite = count(usage.cacheWriteInputTokens);
  out.inputTokens = uncached === undefined ? undefined : sum(sum(uncached, cacheRead), cacheWrite);
  out.cachedInputTokens = cacheRead;
  out.cacheWriteInputTokens = cacheWrite;
  return true;
}

/** Reads a Bedrock `Converse` response or a `ConverseStream` `{ metadata: { usage } }` event. */
export function extractBedrockConverse(response: unknown): CallResult | undefined {
  const r = asRecord(response);
  if (!r) return undefined;
  const isResponse = r.stopReason !== undefined || r.output !== undefined || r.metrics !== undefined;
  const usage = isResponse ? asRecord(r.usage) : asRecord(asRecord(r.metadata)?.usage);
  if (!usage) return undefined;
  const out = newResult(BEDROCK_PROVIDER);
  if (!bedrockUsage(usage, out)) return undefined;
  out.finishReasons = oneReason(r.stopReason);
  return out;
}
