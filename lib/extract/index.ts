/**
 * The extractor registry: the built-in response readers, tried in order, after any the user
 * registered (a user's extractor wins for shapes both understand).
 */
import { extractAISdkResult } from './ai-sdk.js';
import { extractAnthropicMessage } from './anthropic.js';
import { extractBedrockConverse } from './bedrock.js';
import type { CallResult, ResultExtractor } from './call-result.js';
import { extractCohere } from './cohere.js';
import { extractGemini } from './gemini.js';
import { extractLangChain } from './langchain.js';
import { extractLlamaCpp } from './llamacpp.js';
import { extractOllama } from './ollama.js';
import { extractOpenAICompatible } from './openai-compatible.js';
import { extractOpenAIChat, extractOpenAIEmbedding, extractOpenAIResponse } from './openai.js';

/**
 * Most specific first: shapes that name themselves (`object`, `type`, `done`) before the ones told
 * apart by their fields, and the bare OpenAI-compatible `usage.prompt_tokens` record last.
 */
const BUILT_IN: readonly ResultExtractor[] = [
  extractOpenAIChat,
  extractOpenAIResponse,
  extractOpenAIEmbedding,
  extractAnthropicMessage,
  extractOllama,
  extractLlamaCpp,
  extractAISdkResult,
  extractLangChain,
  extractGemini,
  extractBedrockConverse,
  extractCohere,
  extractOpenAICompatible,
];

/**
 * Whether `value` is a streaming result whose fields are lazy promises (the AI SDK's `streamText`
 * and `streamObject` results: reading `usage` or `object` creates a promise that rejects, unhandled,
 * if the stream fails). `in` does not run getters, so this check touches none of them.
 */
function isLazyStreamResult(value: object): boolean {
  return 'textStream' in value || 'partialObjectStream' in value || 'fullStream' in value;
}

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

/** @internal Whether the user registered extractors (their shapes are unknown, so every chunk goes to them). */
export function hasUserExtractors(): boolean {
  return userExtractors.length > 0;
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
  if (isLazyStreamResult(response)) return undefined;
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
