/**
 * `instrumentGemini`: a Proxy over a `@google/genai` client (`new GoogleGenAI(...)`) that records a
 * span per `models.generateContent`, `models.generateContentStream` and `models.embedContent` call.
 * A streamed answer is the SDK's own async generator, followed as it is read (the core patches the
 * generator in place: same object, still a generator; an early `break` is `cancelled`, an
 * `abortSignal` abort is `aborted`). Usage and the model come from `usageMetadata` and
 * `modelVersion` (lib/extract/gemini.ts); each chunk's `usageMetadata` is a running total, so the
 * last one seen wins.
 */
import type { RecorderHooks } from '../../lib/record/call-plan.js';
import { checkOptions } from '../../lib/internal/option-schemas.js';
import { extractGemini } from '../../lib/extract/gemini.js';
import { baseRequestAttributes, checkAdapterOptions, serverAttributes, type AdapterOptions } from '../internal/adapter-options.js';
import { checkClient, instrumentClient, isInstrumented, type InstrumentedMethod } from '../internal/client-proxy.js';
import { GEMINI_API_PROVIDER, geminiRequestAttributes, VERTEX_AI_PROVIDER } from './parse.js';

/** The methods instrumented, by path from the client. */
export const GEMINI_METHODS = {
  'models.generateContent': { name: 'gemini.models.generateContent', kind: 'llm', operation: 'chat' },
  'models.generateContentStream': { name: 'gemini.models.generateContentStream', kind: 'llm', operation: 'chat' },
  'models.embedContent': { name: 'gemini.models.embedContent', kind: 'embedding', operation: 'embeddings' },
} as const;

/** The parts of a `GoogleGenAI` client read here (structural: the SDK is never imported). */
interface GeminiClientShape {
  vertexai?: unknown;
  apiClient?: { getBaseUrl?: () => unknown };
}

/** The base URL the client sends to (its protected `apiClient`), or undefined when it cannot tell. */
function baseUrlOf(client: GeminiClientShape): unknown {
  try {
    return client.apiClient?.getBaseUrl?.();
  } catch {
    return undefined;
  }
}

function hooksFor(client: GeminiClientShape, options: AdapterOptions, stream: boolean): RecorderHooks {
  const provider = client.vertexai === true ? VERTEX_AI_PROVIDER : GEMINI_API_PROVIDER;
  const server = serverAttributes(baseUrlOf(client));
  return {
    requestAttributes: (args) => ({
      ...baseRequestAttributes(provider, server, options, args),
      ...geminiRequestAttributes(args[0], stream),
    }),
    chunkResult: extractGemini,
  };
}

/**
 * Returns `client` instrumented: every `models.generateContent`, `models.generateContentStream` and
 * `models.embedContent` call records a span (model, parameters, prompt/output/thinking/cached token
 * counts, finish reasons, the answering `modelVersion`, errors with their HTTP status; for streams,
 * time to first chunk, chunk timing and tokens per second). Everything else passes through untouched
 * and the client itself is not modified. Throws a TypeError naming the option when one is invalid.
 * @example
 * import { GoogleGenAI } from '@google/genai';
 * import { instrumentGemini } from 'llmtrace/gemini';
 * const ai = instrumentGemini(new GoogleGenAI({ apiKey: process.env.GEMINI_API_KEY }));
 * const response = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Hi' });
 */
export function instrumentGemini<C extends object>(client: C, options?: AdapterOptions): C {
  checkOptions('instrumentGemini', options);
  checkClient(client, 'instrumentGemini', 'a GoogleGenAI client');
  if (isInstrumented(client)) return client;
  const checked = checkAdapterOptions(options, 'instrumentGemini');
  const once = hooksFor(client as GeminiClientShape, checked, false);
  const streamed = hooksFor(client as GeminiClientShape, checked, true);
  const registry: Record<string, InstrumentedMethod> = {
    'models.generateContent': { ...GEMINI_METHODS['models.generateContent'], hooks: once },
    'models.generateContentStream': { ...GEMINI_METHODS['models.generateContentStream'], hooks: streamed },
    'models.embedContent': { ...GEMINI_METHODS['models.embedContent'], hooks: once },
  };
  return instrumentClient(client, registry, checked);
}
