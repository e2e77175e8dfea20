/**
 * Pure reading for the fetch adapter: which model API a URL is (OpenAI-compatible `/v1/...`,
 * Anthropic `/v1/messages`, Ollama `/api/...`, Gemini `/v1beta/models/{model}:generateContent`), the request attributes in a JSON request body, and
 * which stream reader fits a streamed item. No I/O; never throws on foreign input.
 */
import { asRecord } from '../../lib/extract/call-result.js';
import { extractGemini } from '../../lib/extract/gemini.js';
import { readProviderStreamItem } from '../../lib/extract/stream-events.js';
import type { Attributes } from '../../lib/span.js';
import { anthropicRequestAttributes } from '../anthropic/parse.js';
import { geminiPathOf, geminiRequestAttributes } from '../gemini/parse.js';
import { openAIRequestAttributes } from '../openai/parse.js';
import { ollamaRequestAttributes, readOllamaChunk } from '../ollama/parse.js';
import type { ChunkReading } from '../internal/stream-observer.js';

/** A model API endpoint the fetch adapter recognises. */
export interface ModelRoute {
  /** Span name suffix and what was called, e.g. `chat.completions`. */
  readonly operationPath: string;
  /** `llm` or `embedding`. */
  readonly kind: 'llm' | 'embedding';
  /** `gen_ai.operation.name`. */
  readonly operation: string;
  /** Provider family guessed from the path (its `gen_ai.provider.name`). */
  readonly family: 'openai' | 'anthropic' | 'ollama' | 'gcp.gemini' | 'gcp.vertex_ai';
}

const VERTEX_MODELS = String.raw`/projects/[^/]+/locations/[^/]+/publishers/[^/]+/models/[^/:]+`;

const ROUTES: readonly [RegExp, ModelRoute][] = [
  [
    new RegExp(`${VERTEX_MODELS}:generateContent$`),
    { operationPath: 'models.generateContent', kind: 'llm', operation: 'chat', family: 'gcp.vertex_ai' },
  ],
  [
    new RegExp(`${VERTEX_MODELS}:streamGenerateContent$`),
    { operationPath: 'models.streamGenerateContent', kind: 'llm', operation: 'chat', family: 'gcp.vertex_ai' },
  ],
  [/\/models\/[^/:]+:generateContent$/, { operationPath: 'models.generateContent', kind: 'llm', operation: 'chat', family: 'gcp.gemini' }],
  [
    /\/models\/[^/:]+:streamGenerateContent$/,
    { operationPath: 'models.streamGenerateContent', kind: 'llm', operation: 'chat', family: 'gcp.gemini' },
  ],
  [/\/chat\/completions$/, { operationPath: 'chat.completions', kind: 'llm', operation: 'chat', family: 'openai' }],
  [/\/v1\/completions$/, { operationPath: 'completions', kind: 'llm', operation: 'text_completion', family: 'openai' }],
  [/\/responses$/, { operationPath: 'responses', kind: 'llm', operation: 'chat', family: 'openai' }],
  [/\/embeddings$/, { operationPath: 'embeddings', kind: 'embedding', operation: 'embeddings', family: 'openai' }],
  [/\/v1\/messages$/, { operationPath: 'messages', kind: 'llm', operation: 'chat', family: 'anthropic' }],
  [/\/api\/chat$/, { operationPath: 'api.chat', kind: 'llm', operation: 'chat', family: 'ollama' }],
  [/\/api\/generate$/, { operationPath: 'api.generate', kind: 'llm', operation: 'text_completion', family: 'ollama' }],
  [/\/api\/embed$/, { operationPath: 'api.embed', kind: 'embedding', operation: 'embeddings', family: 'ollama' }],
];

/** The model route `url` points at, or undefined for any other URL. */
export function modelRouteOf(url: string): ModelRoute | undefined {
  let path: string;
  try {
    path = new URL(url).pathname.replace(/\/+$/, '');
  } catch {
    return undefined;
  }
  return ROUTES.find(([pattern]) => pattern.test(path))?.[1];
}

/**
 * Request attributes read from a JSON request body (a string); empty for other bodies. Gemini names
 * the model in the path, so its routes also read `url`.
 */
export function requestBodyAttributes(route: ModelRoute, body: unknown, url?: string): Attributes {
  if (route.family === 'gcp.gemini' || route.family === 'gcp.vertex_ai') return geminiBodyAttributes(route, body, url);
  if (typeof body !== 'string') return {};
  let params: unknown;
  try {
    params = JSON.parse(body);
  } catch {
    return {};
  }
  if (!asRecord(params)) return {};
  if (route.family === 'anthropic') return anthropicRequestAttributes(params);
  if (route.family === 'ollama') {
    // Ollama streams unless told not to.
    const p = params as Record<string, unknown>;
    return ollamaRequestAttributes(route.kind === 'llm' ? { ...p, stream: p.stream !== false } : p);
  }
  return openAIRequestAttributes(params);
}

function geminiBodyAttributes(route: ModelRoute, body: unknown, url: string | undefined): Attributes {
  let params: unknown;
  try {
    params = typeof body === 'string' ? JSON.parse(body) : undefined;
  } catch {
    params = undefined;
  }
  let model: string | undefined;
  try {
    model = url === undefined ? undefined : geminiPathOf(new URL(url).pathname)?.model;
  } catch {
    model = undefined;
  }
  return geminiRequestAttributes(params, route.operationPath === 'models.streamGenerateContent', model);
}

/** Reads a Gemini stream chunk: content when its first candidate has parts; usage and model from it. */
function readGeminiChunk(r: Record<string, unknown>): ChunkReading {
  const candidate = Array.isArray(r.candidates) ? asRecord(r.candidates[0]) : undefined;
  const parts = asRecord(candidate?.content)?.parts;
  const result = extractGemini(r);
  return { content: Array.isArray(parts) && parts.length > 0, ...(result ? { result } : {}) };
}

/** Reads one streamed item, whichever API sent it (told apart by its shape). */
export function readStreamedItem(item: unknown): ChunkReading {
  const r = asRecord(item);
  if (!r) return { content: false };
  const provider = readProviderStreamItem(r);
  if (provider) return provider;
  if (typeof r.type === 'string') return { content: false };
  if ('done' in r) return readOllamaChunk(r);
  if ('candidates' in r || 'usageMetadata' in r) return readGeminiChunk(r);
  return { content: false };
}
