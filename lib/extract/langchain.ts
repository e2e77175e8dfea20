/**
 * LangChain.js results: an `AIMessage`/`AIMessageChunk` (`usage_metadata`, `response_metadata`)
 * and an `LLMResult` (`llmOutput.tokenUsage`). `usage_metadata.input_tokens` is the sum of every
 * input token type (cache reads and writes included), as LangChain defines it.
 */
import { asRecord, count, newResult, oneReason, text, type CallResult } from './call-result.js';
import { GEMINI_API_PROVIDER, VERTEX_AI_PROVIDER } from './gemini.js';

/**
 * @internal `gen_ai.provider.name` for a LangChain provider name (a run's `ls_provider`, a message's
 * `response_metadata.model_provider`), where the two differ; others pass through.
 */
export function langchainProviderName(provider: string | undefined): string | undefined {
  switch (provider) {
    case 'google_genai':
      return GEMINI_API_PROVIDER;
    case 'google_vertexai':
      return VERTEX_AI_PROVIDER;
    case 'bedrock':
    case 'bedrock_converse':
    case 'amazon_bedrock':
      return 'aws.bedrock';
    case 'mistral':
    case 'mistralai':
      return 'mistral_ai';
    case 'azure':
      return 'azure.ai.openai';
    default:
      return provider;
  }
}

/** Reads a LangChain message with `usage_metadata`. */
function messageFacts(r: Record<string, unknown>, usage: Record<string, unknown>): CallResult | undefined {
  const inputTokens = count(usage.input_tokens);
  const outputTokens = count(usage.output_tokens);
  if (inputTokens === undefined && outputTokens === undefined) return undefined;
  const meta = asRecord(r.response_metadata);
  const out = newResult(langchainProviderName(text(meta?.model_provider)));
  out.inputTokens = inputTokens;
  out.outputTokens = outputTokens;
  const input = asRecord(usage.input_token_details);
  if (input) {
    out.cachedInputTokens = count(input.cache_read);
    out.cacheWriteInputTokens = count(input.cache_creation);
  }
  out.reasoningTokens = count(asRecord(usage.output_token_details)?.reasoning);
  if (meta) {
    out.model = text(meta.model_name) ?? text(meta.model) ?? text(meta.modelName);
    out.finishReasons = oneReason(meta.finish_reason ?? meta.stop_reason ?? meta.finishReason ?? meta.done_reason);
  }
  out.responseId = text(r.id) ?? text(meta?.id);
  return out;
}

/** Reads an `LLMResult` (`generations`, `llmOutput.tokenUsage` or `estimatedTokenUsage`). */
function llmResultFacts(r: Record<string, unknown>): CallResult | undefined {
  const llmOutput = asRecord(r.llmOutput);
  const usage = asRecord(llmOutput?.tokenUsage) ?? asRecord(llmOutput?.estimatedTokenUsage);
  if (!llmOutput || !usage || !Array.isArray(r.generations)) return undefined;
  const inputTokens = count(usage.promptTokens);
  const outputTokens = count(usage.completionTokens);
  if (inputTokens === undefined && outputTokens === undefined) return undefined;
  const out = newResult(undefined);
  out.inputTokens = inputTokens;
  out.outputTokens = outputTokens;
  out.model = text(llmOutput.model_name) ?? text(llmOutput.model);
  return out;
}

/** Reads a LangChain `AIMessage`/`AIMessageChunk` or `LLMResult`. */
export function extractLangChain(response: unknown): CallResult | undefined {
  const r = asRecord(response);
  if (!r) return undefined;
  const usage = asRecord(r.usage_metadata);
  return usage ? messageFacts(r, usage) : llmResultFacts(r);
}
