/**
 * `instrumentOllama`: a Proxy over an `ollama` client (`new Ollama()` or the default `ollama`
 * instance) that records a span per `chat`, `generate` and `embed` call. A streamed answer is the
 * SDK's own `AbortableAsyncIterator`, followed as it is read (its `abort()` is recorded as such).
 */
import type { ActiveCall } from '../../lib/record/active-call.js';
import type { RecorderHooks } from '../../lib/record/call-plan.js';
import {
  baseRequestAttributes,
  checkAdapterOptions,
  serverAttributes,
  type AdapterOptions,
} from '../internal/adapter-options.js';
import { checkClient, instrumentClient, isInstrumented, type InstrumentedMethod } from '../internal/client-proxy.js';
import { observeIterator, type StreamReader } from '../internal/stream-observer.js';
import { ollamaRequestAttributes, readOllamaChunk } from './parse.js';
import { checkOptions } from '../../lib/internal/option-schemas.js';

/** The methods instrumented, by path from the client. */
export const OLLAMA_METHODS = {
  chat: { name: 'ollama.chat', kind: 'llm', operation: 'chat' },
  generate: { name: 'ollama.generate', kind: 'llm', operation: 'text_completion' },
  embed: { name: 'ollama.embed', kind: 'embedding', operation: 'embeddings' },
} as const;

/** The parts of the SDK's `AbortableAsyncIterator` used here. */
interface AbortableIterator {
  abortController: AbortController;
  [Symbol.asyncIterator](): AsyncIterator<unknown>;
}

function isAbortableIterator(value: unknown): value is AbortableIterator {
  const v = value as Partial<AbortableIterator> | null;
  return typeof v?.abortController?.signal?.aborted === 'boolean' && typeof v[Symbol.asyncIterator] === 'function';
}

/** Shadows the instance's `[Symbol.asyncIterator]` so `call` follows the first iteration. */
function observeAbortable(stream: AbortableIterator, call: ActiveCall): void {
  const original = stream[Symbol.asyncIterator];
  const reader: StreamReader = {
    read: readOllamaChunk,
    abortReason: () => (stream.abortController.signal.aborted ? (stream.abortController.signal.reason ?? 'aborted') : undefined),
  };
  let observing = false;
  Object.defineProperty(stream, Symbol.asyncIterator, {
    configurable: true,
    writable: true,
    value: function observedIterator(this: unknown): AsyncIterator<unknown> {
      const inner = original.call(this);
      if (observing) return inner;
      observing = true;
      return observeIterator(inner, call, reader);
    },
  });
}

function hooksFor(client: object, options: AdapterOptions): RecorderHooks {
  const server = serverAttributes((client as { config?: { host?: unknown } }).config?.host);
  return {
    requestAttributes: (args) => ({
      ...baseRequestAttributes('ollama', server, options, args),
      ...ollamaRequestAttributes(args[0]),
    }),
    adoptResult: (value, call) => {
      if (!isAbortableIterator(value)) return false;
      observeAbortable(value, call);
      return true;
    },
    chunkResult: () => undefined,
  };
}

/**
 * Returns `client` instrumented: every `chat`, `generate` and `embed` call records a span (model,
 * parameters, prompt and output token counts, done reason, errors with HTTP status; for streams,
 * time to first chunk, chunk timing and tokens per second). Everything else passes through untouched
 * and the client itself is not modified. Throws a TypeError naming the option when one is invalid.
 * @example
 * import { Ollama } from 'ollama';
 * import { instrumentOllama } from 'llmtrace/ollama';
 * const ollama = instrumentOllama(new Ollama({ host: 'http://127.0.0.1:11434' }));
 * for await (const part of await ollama.chat({ model: 'llama3.2', messages, stream: true })) {
 *   process.stdout.write(part.message.content);
 * }
 */
export function instrumentOllama<C extends object>(client: C, options?: AdapterOptions): C {
  checkOptions('instrumentOllama', options);
  checkClient(client, 'instrumentOllama', 'an Ollama client', Object.keys(OLLAMA_METHODS));
  if (isInstrumented(client)) return client;
  const checked = checkAdapterOptions(options, 'instrumentOllama');
  const hooks = hooksFor(client, checked);
  const registry: Record<string, InstrumentedMethod> = {
    chat: { ...OLLAMA_METHODS.chat, hooks },
    generate: { ...OLLAMA_METHODS.generate, hooks },
    embed: { ...OLLAMA_METHODS.embed, hooks },
  };
  return instrumentClient(client, registry, checked);
}
