/** Ollama native API responses: `/api/chat`, `/api/generate` (`done: true`) and `/api/embed`. */
import { asRecord, count, newResult, oneReason, text, type CallResult } from './call-result.js';

/** Reads an Ollama chat, generate or embed response. */
export function extractOllama(response: unknown): CallResult | undefined {
  const r = asRecord(response);
  if (!r || typeof r.model !== 'string') return undefined;
  const isGeneration = r.done === true && ('message' in r || 'response' in r);
  const isEmbedding = Array.isArray(r.embeddings);
  if (!isGeneration && !isEmbedding) return undefined;
  const out = newResult('ollama');
  out.model = text(r.model);
  out.inputTokens = count(r.prompt_eval_count);
  if (isGeneration) out.outputTokens = count(r.eval_count);
  out.finishReasons = oneReason(r.done_reason);
  return out;
}
