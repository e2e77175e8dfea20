/**
 * Pure reading of the Vercel AI SDK's language-model level shapes (the `LanguageModelV3` /
 * `LanguageModelV2` specification a middleware sees): call options, `doGenerate` results, `doStream`
 * parts, and the retry wait of a failed call. No I/O, no span access; never throws on foreign input.
 * (Results of `generateText` and friends are read by lib/extract/ai-sdk.ts.)
 */
import { GenAI } from '../../lib/attributes.js';
import { asRecord, count, newResult, oneReason, text, type CallResult } from '../../lib/extract/call-result.js';
import { GEMINI_API_PROVIDER, VERTEX_AI_PROVIDER } from '../../lib/extract/gemini.js';
import { retryAfterSeconds } from '../../lib/retry-after.js';
import type { Attributes } from '../../lib/span.js';
import { requestParams } from '../internal/adapter-options.js';

/**
 * `gen_ai.provider.name` of an AI SDK model's `provider` (`openai.chat` → `openai`,
 * `mistral.chat` → `mistral_ai`, `google.generative-ai` → `gcp.gemini`, `amazon-bedrock` → `aws.bedrock`).
 */
export function aiSdkProviderName(provider: unknown): string | undefined {
  const p = text(provider);
  if (!p) return undefined;
  const head = p.split('.')[0]!;
  switch (head) {
    case 'google':
      return GEMINI_API_PROVIDER;
    case 'google-vertex':
    case 'vertex':
      return VERTEX_AI_PROVIDER;
    case 'amazon-bedrock':
    case 'bedrock':
      return 'aws.bedrock';
    case 'mistral':
      return 'mistral_ai';
    case 'azure':
      return 'azure.ai.openai';
    default:
      return head;
  }
}

/** Request attributes of one model call: provider, model id, and the call options' max tokens and temperature. */
export function aiSdkRequestAttributes(model: unknown, params: unknown, stream: boolean): Attributes {
  const m = asRecord(model) ?? {};
  const p = asRecord(params) ?? {};
  const format = asRecord(p.responseFormat)?.type;
  const a = requestParams({
    model: m.modelId,
    maxTokens: p.maxOutputTokens ?? p.maxTokens,
    temperature: p.temperature,
    topP: p.topP,
    topK: p.topK,
    stop: p.stopSequences,
    seed: p.seed,
    frequencyPenalty: p.frequencyPenalty,
    presencePenalty: p.presencePenalty,
    outputType: format === 'json' ? 'json' : format === 'text' ? 'text' : undefined,
    stream,
  });
  const provider = aiSdkProviderName(m.provider);
  if (provider) a[GenAI.PROVIDER_NAME] = provider;
  return a;
}

/** A V3 token count (`{ total }`) or a V2 plain number. */
function tokens(value: unknown): number | undefined {
  return count(value) ?? count(asRecord(value)?.total);
}

/** Fills `out` from a `LanguageModelV3Usage` (or V2) record; false when it has no counts. */
function readUsage(usage: unknown, out: CallResult): boolean {
  const u = asRecord(usage);
  if (!u) return false;
  out.inputTokens = tokens(u.inputTokens);
  out.outputTokens = tokens(u.outputTokens);
  if (out.inputTokens === undefined && out.outputTokens === undefined) return false;
  const input = asRecord(u.inputTokens);
  const output = asRecord(u.outputTokens);
  out.cachedInputTokens = count(input?.cacheRead) ?? count(u.cachedInputTokens);
  out.cacheWriteInputTokens = count(input?.cacheWrite);
  out.reasoningTokens = count(output?.reasoning) ?? count(u.reasoningTokens);
  return true;
}

/** A V3 finish reason (`{ unified, raw }`) or a V2 string, as a one-element list. */
function finishReasons(reason: unknown): readonly string[] | undefined {
  return oneReason(text(reason) ?? text(asRecord(reason)?.unified));
}

/**
 * Reads a `doGenerate` result (`{ content, finishReason, usage, response: { id, modelId } }`):
 * the provider's exact token counts, the answering model and the finish reason.
 */
export function aiSdkGenerateResult(result: unknown, provider?: string): CallResult | undefined {
  const r = asRecord(result);
  if (!r) return undefined;
  const out = newResult(provider);
  const hasUsage = readUsage(r.usage, out);
  const response = asRecord(r.response);
  out.model = text(response?.modelId);
  out.responseId = text(response?.id);
  out.finishReasons = finishReasons(r.finishReason);
  return hasUsage || out.model !== undefined || out.finishReasons !== undefined ? out : undefined;
}

/** Whether a `doStream` part is content (counts as a chunk for time to first token). */
export function isContentPart(part: unknown): boolean {
  const type = asRecord(part)?.type;
  return type === 'text-delta' || type === 'reasoning-delta' || type === 'tool-input-delta' || type === 'tool-call';
}

/** Facts a `doStream` part carries: `response-metadata` (model, id) and `finish` (usage, finish reason). */
export function aiSdkStreamPartResult(part: unknown): CallResult | undefined {
  const p = asRecord(part);
  if (!p) return undefined;
  if (p.type === 'response-metadata') {
    const out: CallResult = {};
    const model = text(p.modelId);
    const id = text(p.id);
    if (model) out.model = model;
    if (id) out.responseId = id;
    return model || id ? out : undefined;
  }
  if (p.type !== 'finish') return undefined;
  const out: CallResult = {};
  const usage: CallResult = newResult(undefined);
  if (readUsage(p.usage, usage)) {
    for (const [key, value] of Object.entries(usage)) if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  }
  const reasons = finishReasons(p.finishReason);
  if (reasons) out.finishReasons = reasons;
  return out;
}

/** What a failed model call says about retrying: whether the AI SDK retries it, its HTTP status, the server's wait. */
export interface RetryFacts {
  readonly retryable: boolean;
  readonly status: number | undefined;
  /** The server's `retry-after-ms` / `retry-after`, in ms. */
  readonly retryAfterMs: number | undefined;
}

/** Reads an `APICallError` (`isRetryable`, `statusCode`, `responseHeaders`); anything else is not retryable. */
export function retryFacts(error: unknown): RetryFacts {
  const e = asRecord(error);
  const headers = asRecord(e?.responseHeaders);
  const lookup = (name: string): string | undefined => {
    const value = headers?.[name];
    return typeof value === 'string' ? value : undefined;
  };
  const seconds = headers ? retryAfterSeconds(lookup) : undefined;
  return {
    retryable: e?.isRetryable === true,
    status: count(e?.statusCode),
    retryAfterMs: seconds === undefined ? undefined : seconds * 1000,
  };
}

/**
 * How long the AI SDK waits before attempt `attempt + 1` (its `retryWithExponentialBackoff`: the
 * server's wait when under 60 s, else 2 s doubled per attempt).
 */
export function aiSdkRetryWaitMs(facts: RetryFacts, attempt: number): number {
  const backoff = 2000 * 2 ** Math.max(0, attempt - 1);
  const server = facts.retryAfterMs;
  return server !== undefined && server >= 0 && server < 60_000 ? server : backoff;
}
