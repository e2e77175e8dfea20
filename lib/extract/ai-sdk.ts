/**
 * Vercel AI SDK results: `generateText`, `generateObject` (ai 4 to 7) and `embed`/`embedMany`.
 * ai 5+ reports `usage.inputTokens/outputTokens` (ai 6 adds `inputTokenDetails` and
 * `outputTokenDetails`), ai 4 `usage.promptTokens/completionTokens`; the model that answered is
 * `response.modelId`. A multi-step call's `totalUsage` (every step) wins over `usage` (the last step).
 */
import { asRecord, count, newResult, oneReason, text, type CallResult } from './call-result.js';

/** Copies an AI SDK usage record's counts into `out`; false when it has none. */
function readUsage(usage: Record<string, unknown>, out: CallResult): boolean {
  out.inputTokens = count(usage.inputTokens) ?? count(usage.promptTokens);
  out.outputTokens = count(usage.outputTokens) ?? count(usage.completionTokens);
  if (out.inputTokens === undefined && out.outputTokens === undefined) return false;
  const input = asRecord(usage.inputTokenDetails);
  const output = asRecord(usage.outputTokenDetails);
  out.cachedInputTokens = count(input?.cacheReadTokens) ?? count(usage.cachedInputTokens);
  out.cacheWriteInputTokens = count(input?.cacheWriteTokens);
  out.reasoningTokens = count(output?.reasoningTokens) ?? count(usage.reasoningTokens);
  return true;
}

/** Reads an AI SDK embedding result (`embedding` or `embeddings`, `usage.tokens`). */
function embeddingFacts(r: Record<string, unknown>, usage: Record<string, unknown>): CallResult | undefined {
  const tokens = count(usage.tokens);
  if (tokens === undefined || !(Array.isArray(r.embedding) || Array.isArray(r.embeddings))) return undefined;
  const out = newResult(undefined);
  out.inputTokens = tokens;
  out.model = text(asRecord(r.response)?.modelId);
  return out;
}

/**
 * Reads an AI SDK `generateText`/`generateObject` result (it has `finishReason` or
 * `response.modelId` beside its usage) or an `embed`/`embedMany` result. The provider is left
 * unknown: the result does not name it.
 */
export function extractAISdkResult(response: unknown): CallResult | undefined {
  const r = asRecord(response);
  if (!r) return undefined;
  const usage = asRecord(r.totalUsage) ?? asRecord(r.usage);
  if (!usage) return undefined;
  const meta = asRecord(r.response);
  const modelId = text(meta?.modelId);
  const finishReason = text(r.finishReason);
  if (modelId === undefined && finishReason === undefined) return embeddingFacts(r, usage);
  const out = newResult(undefined);
  if (!readUsage(usage, out)) return undefined;
  out.model = modelId;
  out.responseId = text(meta?.id);
  out.finishReasons = oneReason(finishReason);
  return out;
}
