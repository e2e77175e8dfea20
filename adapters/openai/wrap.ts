/**
 * `instrumentOpenAI`: a Proxy over an `openai` client (or any OpenAI-compatible client built with
 * it, e.g. against llama.cpp, vLLM or LM Studio with a `baseURL`) that records a span per
 * `chat.completions.create`, `chat.completions.stream`, `responses.create`, `responses.stream` and
 * `embeddings.create` call. The returned promise is the SDK's own `APIPromise`; a returned `Stream`,
 * `ChatCompletionStream` or `ResponseStream` is the SDK's own, followed as it is consumed.
 */
import { GenAI } from '../../lib/attributes.js';
import type { RecorderHooks } from '../../lib/record/call-plan.js';
import { markProviderGuessed } from '../../lib/record/call-result-attributes.js';
import { checkNonEmptyString } from '../../lib/internal/validate.js';
import {
  baseRequestAttributes,
  checkAdapterOptions,
  openAICompatibleProvider,
  serverAttributes,
  type AdapterOptions,
} from '../internal/adapter-options.js';
import { adoptStainlessPromise } from '../internal/api-promise.js';
import { checkClient, instrumentClient, isInstrumented, type InstrumentedMethod } from '../internal/client-proxy.js';
import { observeEmittingStream } from '../internal/event-stream-observer.js';
import { isStainlessStream, observeStainlessStream, type ChunkReading } from '../internal/stream-observer.js';
import { openAIRequestAttributes, readChatChunk, readResponseEvent } from './parse.js';
import { checkOptions } from '../../lib/internal/option-schemas.js';

/** Options of `instrumentOpenAI`. */
export interface OpenAIAdapterOptions extends AdapterOptions {
  /**
   * `gen_ai.provider.name` recorded on each span: set it when the client talks to an
   * OpenAI-compatible server (`'vllm'`, `'llama.cpp'`, `'lmstudio'`). It wins over what the
   * response says.
   * @default the provider of a known `baseURL` host (`api.groq.com`: `'groq'`), else `'openai'`,
   * replaced by the provider a response names (Groq's `x_groq`: `'groq'`)
   */
  provider?: string;
}

/** The methods instrumented, by path from the client. */
export const OPENAI_METHODS = {
  'chat.completions.create': { name: 'openai.chat.completions.create', kind: 'llm', operation: 'chat' },
  'chat.completions.stream': { name: 'openai.chat.completions.stream', kind: 'llm', operation: 'chat' },
  'responses.create': { name: 'openai.responses.create', kind: 'llm', operation: 'chat' },
  'responses.stream': { name: 'openai.responses.stream', kind: 'llm', operation: 'chat' },
  'embeddings.create': { name: 'openai.embeddings.create', kind: 'embedding', operation: 'embeddings' },
} as const;

type ReadChunk = (item: unknown) => ChunkReading;

/**
 * How a method's streamed answer is followed: a Stainless `Stream` returned by `create({ stream:
 * true })`, or a stream helper (`ChatCompletionStream`, `ResponseStream`: lib/record/emitting-stream.ts).
 */
interface Streaming {
  readonly via: 'stream' | 'helper';
  readonly read: ReadChunk;
}

function adoptStream(streaming: Streaming, guessed: boolean): NonNullable<RecorderHooks['adoptResult']> {
  if (streaming.via === 'stream') {
    return (value, call) => {
      if (!isStainlessStream(value)) return false;
      if (guessed) markProviderGuessed(call.span);
      observeStainlessStream(value, call, streaming.read);
      return true;
    };
  }
  return (value, call) => {
    if (!observeEmittingStream(value, call, streaming.read)) return false;
    if (guessed) markProviderGuessed(call.span);
    return true;
  };
}

/**
 * The hooks of one method of `client`. A provider neither the user nor the `baseURL` host named is
 * marked as a guess on each call the adapter follows (an `APIPromise` or a stream helper), so the
 * provider the response names replaces it.
 */
function hooksFor(streaming: Streaming | undefined, client: object, options: OpenAIAdapterOptions): RecorderHooks {
  const server = serverAttributes((client as { baseURL?: unknown }).baseURL);
  const { provider, guessed } = openAICompatibleProvider(options.provider, server[GenAI.SERVER_ADDRESS]);
  const hooks: RecorderHooks = {
    requestAttributes: (args) => ({
      ...baseRequestAttributes(provider, server, options, args),
      ...openAIRequestAttributes(args[0], streaming?.via === 'helper'),
    }),
    adoptThenable: (value, call) => {
      if (!adoptStainlessPromise(value, call, hooks)) return false;
      if (guessed) markProviderGuessed(call.span);
      return true;
    },
    chunkResult: () => undefined,
  };
  if (streaming) hooks.adoptResult = adoptStream(streaming, guessed);
  return hooks;
}

/**
 * Returns `client` instrumented: every call of `chat.completions.create`, `chat.completions.stream`,
 * `responses.create`, `responses.stream` and `embeddings.create` records a span (model, parameters, usage, finish reasons, errors with HTTP
 * status, request id and `retry-after`; for streams, time to first chunk, chunk timing and tokens per
 * second). Everything else on the client is passed through untouched, and the client itself is not
 * modified. Throws a TypeError naming the option when an option is invalid.
 * @example
 * import OpenAI from 'openai';
 * import { instrumentOpenAI } from 'llmtrace/openai';
 * const openai = instrumentOpenAI(new OpenAI());
 * const stream = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
 * for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta.content ?? '');
 */
export function instrumentOpenAI<C extends object>(client: C, options?: OpenAIAdapterOptions): C {
  checkOptions('instrumentOpenAI', options);
  checkClient(client, 'instrumentOpenAI', 'an OpenAI client', Object.keys(OPENAI_METHODS));
  if (isInstrumented(client)) return client;
  const checked = checkAdapterOptions(options, 'instrumentOpenAI') as OpenAIAdapterOptions;
  if (checked.provider !== undefined) checkNonEmptyString(checked.provider, 'provider');
  const hooks = (streaming?: Streaming): RecorderHooks => hooksFor(streaming, client, checked);
  const registry: Record<string, InstrumentedMethod> = {
    'chat.completions.create': { ...OPENAI_METHODS['chat.completions.create'], hooks: hooks({ via: 'stream', read: readChatChunk }) },
    'chat.completions.stream': {
      ...OPENAI_METHODS['chat.completions.stream'],
      hooks: hooks({ via: 'helper', read: readChatChunk }),
    },
    'responses.create': { ...OPENAI_METHODS['responses.create'], hooks: hooks({ via: 'stream', read: readResponseEvent }) },
    'responses.stream': {
      ...OPENAI_METHODS['responses.stream'],
      hooks: hooks({ via: 'helper', read: readResponseEvent }),
    },
    'embeddings.create': { ...OPENAI_METHODS['embeddings.create'], hooks: hooks() },
  };
  return instrumentClient(client, registry, checked, { withOptions: (derived) => instrumentOpenAI(derived, checked) });
}
