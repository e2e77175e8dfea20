/**
 * Cohere chat responses: v2 (`usage.billed_units`, `usage.tokens`) and v1 (`meta.billed_units`),
 * in wire snake_case and in the camelCase the `cohere-ai` SDK returns (`usage.billedUnits`,
 * `finishReason`). Token counts are the billed units (what Cohere charges) when present, else the
 * raw `tokens` counts. The response does not name the model.
 */
import { asRecord, count, newResult, oneReason, text, type CallResult } from './call-result.js';

/** Reads a Cohere chat response (v1 or v2, wire or SDK casing). */
export function extractCohere(response: unknown): CallResult | undefined {
  const r = asRecord(response);
  if (!r) return undefined;
  const usage = asRecord(r.usage) ?? asRecord(r.meta);
  if (!usage) return undefined;
  const billed = asRecord(usage.billed_units) ?? asRecord(usage.billedUnits);
  const tokens = asRecord(usage.tokens);
  if (!billed && !tokens) return undefined;
  const inputTokens = count(billed?.input_tokens) ?? count(billed?.inputTokens) ?? count(tokens?.input_tokens) ?? count(tokens?.inputTokens);
  const outputTokens =
    count(billed?.output_tokens) ?? count(billed?.outputTokens) ?? count(tokens?.output_tokens) ?? count(tokens?.outputTokens);
  if (inputTokens === undefined && outputTokens === undefined) return undefined;
  const out = newResult('cohere');
  out.inputTokens = inputTokens;
  out.outputTokens = outputTokens;
  out.cachedInputTokens = count(usage.cached_tokens) ?? count(usage.cachedTokens);
  out.responseId = text(r.id) ?? text(r.response_id) ?? text(r.responseId);
  out.finishReasons = oneReason(r.finish_reason ?? r.finishReason);
  return out;
}
