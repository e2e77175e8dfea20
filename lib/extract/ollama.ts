/** Ollama native API responses: `/api/chat`, `/api/generate` (`done: true`) and `/api/embed`. */
import { asRecord, compact, count, text, type CallResult } from './call-result.js';

/** Reads an Ollama chat, generate or embed response. */
export function extractOllama(response: unknown): CallResult | undefined {
  const r = asRecord(response);
  if (!r || typeof r.model !== 'string') return undefined;
  const isGeneration = r.done === true && ('message' in r || 'response' in r);
  const isEmbedding = Array.isArray(r.embeddings);
  if (!isGeneration && !isEmbedding) return undefined;
  const reason = text(r.done_reason);
  return compact({
    provider: 'ollama',
    model: text(r.model),
    inputTokens: count(r.prompt_eval_count),
    outputTokens: isGeneration ? count(r.eval_count) : undefined,
    finishReasons: reason ? [reason] : undefined,
  });
}
