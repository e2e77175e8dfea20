/**
 * The extractor registry: the built-in response readers, tried in order, after any the user
 * registered (a user's extractor wins for shapes both understand).
 */
import { extractAnthropicMessage } from './anthropic.js';
import type { CallResult, ResultExtractor } from './call-result.js';
import { extractLlamaCpp } from './llamacpp.js';
import { extractOllama } from './ollama.js';
import { extractOpenAIChat, extractOpenAIEmbedding, extractOpenAIResponse } from './openai.js';

const BUILT_IN: readonly ResultExtractor[] = [
  extractOpenAIChat,
  extractOpenAIResponse,
  extractOpenAIEmbedding,
  extractAnthropicMessage,
  extractOllama,
  extractLlamaCpp,
];

const userExtractors: ResultExtractor[] = [];

/**
 * Adds an extractor for a response shape llmtrace does not know. It is tried before the built-in
 * ones. Returns a function that removes it.
 * @example
 * registerExtractor((r) => isMyShape(r) ? { model: r.engine, outputTokens: r.generated } : undefined);
 */
export function registerExtractor(extractor: ResultExtractor): () => void {
  if (typeof extractor !== 'function') {
    throw new TypeError(`llmtrace: registerExtractor needs a function, got ${typeof extractor}`);
  }
  userExtractors.unshift(extractor);
  return () => {
    const at = userExtractors.indexOf(extractor);
    if (at >= 0) userExtractors.splice(at, 1);
  };
}

/**
 * Reads `response` with the first extractor that recognises it (`extra` first, then registered,
 * then built-in). Returns undefined for unknown shapes. A throwing extractor counts as "not mine".
 */
export function extractCallResult(response: unknown, extra?: ResultExtractor): CallResult | undefined {
  if (response === null || typeof response !== 'object') return undefined;
  if (extra) {
    const found = tryExtract(extra, response);
    if (found) return found;
  }
  for (const extractor of userExtractors) {
    const found = tryExtract(extractor, response);
    if (found) return found;
  }
  for (const extractor of BUILT_IN) {
    const found = extractor(response);
    if (found) return found;
  }
  return undefined;
}

function tryExtract(extractor: ResultExtractor, response: unknown): CallResult | undefined {
  try {
    return extractor(response) ?? undefined;
  } catch {
    return undefined;
  }
}
