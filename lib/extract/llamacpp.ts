/** llama.cpp `llama-server` native `/completion` responses (its `/v1` routes answer in OpenAI shapes). */
import { asRecord, count, newResult, oneReason, text, type CallResult } from './call-result.js';

/** Reads a llama.cpp `/completion` response (`tokens_predicted`, `tokens_evaluated`, `timings`). */
export function extractLlamaCpp(response: unknown): CallResult | undefined {
  const r = asRecord(response);
  if (!r || typeof r.content !== 'string' || !('tokens_predicted' in r || 'timings' in r)) return undefined;
  const timings = asRecord(r.timings);
  const out = newResult('llama.cpp');
  out.model = text(r.model);
  out.inputTokens = count(r.tokens_evaluated) ?? count(timings?.prompt_n);
  out.outputTokens = count(r.tokens_predicted) ?? count(timings?.predicted_n);
  out.cachedInputTokens = count(r.tokens_cached);
  out.finishReasons = oneReason(
    text(r.stop_type) ?? (r.stopped_eos === true ? 'eos' : r.stopped_limit === true ? 'limit' : undefined),
  );
  return out;
}
