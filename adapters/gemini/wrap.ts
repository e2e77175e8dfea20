/**
 * `instrumentGemini`: a Proxy over a `@google/genai` client (`new GoogleGenAI(...)`) that records a
 * span per `models.generateContent`, `models.generateContentStream` and `models.embedContent` call,
 * and per `sendMessage` / `sendMessageStream` of a chat session made by `chats.create` (the session
 * calls the uninstrumented models module, so each turn is one span).
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

/** The methods instrumented on a chat session (`ai.chats.create(...)`). */
export const GEMINI_CHAT_METHODS = {
  sendMessage: { name: 'gemini.chats.sendMessage', kind: 'llm', operation: 'chat' },
  sendMessageStream: { name: 'gemini.chats.sendMessageStream', kind: 'llm', operation: 'chat' },
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

function hooksFor(client: GeminiClientShape, options: AdapterOptions, stream: boolean, inChat = false): RecorderHooks {
  const provider = client.vertexai === true ? VERTEX_AI_PROVIDER : GEMINI_API_PROVIDER;
  const server = serverAttributes(baseUrlOf(client));
  return {
    requestAttributes: (args, chat) => ({
      ...baseRequestAttributes(provider, server, options, args),
      // A chat's sendMessage({ message, config }) names no model: the session holds it.
      ...geminiRequestAttributes(inChat ? { model: (chat as { model?: unknown } | null)?.model, ...(args[0] as object) } : args[0], stream),
    }),
    chunkResult: extractGemini,
  };
}

/** A chat session with `sendMessage` / `sendMessageStream` instrumented (the session's history stays the SDK's). */
function instrumentChat(chat: object, client: GeminiClientShape, options: AdapterOptions): object {
  const registry: Record<string, InstrumentedMethod> = {
    sendMessage: { ...GEMINI_CHAT_METHODS.sendMessage, hooks: hooksFor(client, options, false, true) },
    sendMessageStream: { ...GEMINI_CHAT_METHODS.sendMessageStream, hooks: hooksFor(client, options, true, true) },
  };
  return instrumentClient(chat, registry, options);
}

/**
 * Returns `client` instrumented: every `models.generateContent`, `models.generateContentStream` and
 * `models.embedContent` call, and every turn of a chat from `chats.create()`, records a span (model, parameters, prompt/output/thinking/cached token
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
  checkClient(client, 'instrumentGemini', 'a GoogleGenAI client', Object.keys(GEMINI_METHODS));
  if (isInstrumented(client)) return client;
  const checked = checkAdapterOptions(options, 'instrumentGemini');
  const once = hooksFor(client as GeminiClientShape, checked, false);
  const streamed = hooksFor(client as GeminiClientShape, checked, true);
  const registry: Record<string, InstrumentedMethod> = {
    'models.generateContent': { ...GEMINI_METHODS['models.generateContent'], hooks: once },
    'models.generateContentStream': { ...GEMINI_METHODS['models.generateContentStream'], hooks: streamed },
    'models.embedContent': { ...GEMINI_METHODS['models.embedContent'], hooks: once },
  };
  return instrumentClient(client, registry, checked, {
    'chats.create': (chat) => instrumentChat(chat, client as GeminiClientShape, checked),
  });
}
