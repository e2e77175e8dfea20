/**
 * Google Gemini responses (`@google/genai`, the older `@google/generative-ai`, and the REST API,
 * which share one camelCase JSON shape): `generateContent` results and stream chunks
 * (`usageMetadata`, `modelVersion`, `candidates[].finishReason`) and `embedContent` results
 * (`embeddings[].statistics.tokenCount`, reported by Vertex AI only). The provider is the backend that
 * answered: `gcp.gemini` (the Gemini API) or `gcp.vertex_ai`, told apart by Vertex-only fields.
 */
import { asRecord, count, newResult, reasonsOf, sum, text, type CallResult } from './call-result.js';

/**
 * `gen_ai.provider.name` of the Gemini Developer API (`generativelanguage.googleapis.com`, also
 * known as the AI Studio API), as the OpenTelemetry GenAI conventions name it.
 */
export const GEMINI_API_PROVIDER = 'gcp.gemini';
/** `gen_ai.provider.name` of Gemini on Vertex AI (`aiplatform.googleapis.com`). */
export const VERTEX_AI_PROVIDER = 'gcp.vertex_ai';

/**
 * Which Gemini backend answered, from the response alone: Vertex AI's responses carry fields the
 * Gemini API never sends (`createTime`, `usageMetadata.trafficType`); anything else is the Gemini API,
 * the name the Gemini adapter and `tracedFetch` give the same call.
 */
function contentProvider(r: Record<string, unknown>, usage: Record<string, unknown> | undefined): string {
  return r.createTime !== undefined || usage?.trafficType !== undefined ? VERTEX_AI_PROVIDER : GEMINI_API_PROVIDER;
}

/**
 * @internal The token counts of a Gemini `usageMetadata` record. Input is the prompt plus tool-use
 * prompt tokens (cached content included, as `promptTokenCount` counts it); output is the candidates
 * plus thinking tokens, both billed as output.
 */
export function geminiUsage(usage: Record<string, unknown>, out: CallResult): void {
  out.inputTokens = sum(count(usage.promptTokenCount), count(usage.toolUsePromptTokenCount));
  const thoughts = count(usage.thoughtsTokenCount);
  out.outputTokens = sum(count(usage.candidatesTokenCount), thoughts);
  out.reasoningTokens = thoughts;
  out.cachedInputTokens = count(usage.cachedContentTokenCount);
}

/** The finish reason of a candidate. */
function candidateReason(item: unknown): string | undefined {
  return text(asRecord(item)?.finishReason);
}

/** Reads a `generateContent` response or stream chunk (or `{ response }` from `@google/generative-ai`). */
function contentFacts(r: Record<string, unknown>): CallResult | undefined {
  const usage = asRecord(r.usageMetadata);
  if (!usage && !(text(r.modelVersion) !== undefined && Array.isArray(r.candidates))) return undefined;
  const out = newResult(contentProvider(r, usage));
  if (usage) geminiUsage(usage, out);
  out.model = text(r.modelVersion);
  out.responseId = text(r.responseId);
  out.finishReasons = reasonsOf(r.candidates, candidateReason);
  return out;
}

/**
 * Reads an `embedContent` response: `embeddings[]` of `{ values, statistics? }`. Only Vertex AI
 * reports `statistics`, so they also name the backend.
 */
function embeddingFacts(embeddings: unknown[]): CallResult | undefined {
  if (embeddings.length === 0 || !Array.isArray(asRecord(embeddings[0])?.values)) return undefined;
  let tokens: number | undefined;
  let vertex = false;
  for (let i = 0; i < embeddings.length; i++) {
    const statistics = asRecord(asRecord(embeddings[i])?.statistics);
    if (statistics) vertex = true;
    tokens = sum(tokens, count(statistics?.tokenCount));
  }
  const out = newResult(vertex ? VERTEX_AI_PROVIDER : GEMINI_API_PROVIDER);
  out.inputTokens = tokens;
  return out;
}

/** Reads a Gemini `generateContent` response or chunk, or an `embedContent` response. */
export function extractGemini(response: unknown): CallResult | undefined {
  const r = asRecord(response);
  if (!r) return undefined;
  if (Array.isArray(r.embeddings)) return embeddingFacts(r.embeddings);
  const found = contentFacts(r);
  if (found) return found;
  // `@google/generative-ai` wraps the response: `{ response: { usageMetadata, ... } }`.
  const inner = asRecord(r.response);
  return inner && inner.usageMetadata !== undefined ? contentFacts(inner) : undefined;
}
