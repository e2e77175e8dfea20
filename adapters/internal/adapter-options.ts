/**
 * Options every SDK adapter takes (`instrumentOpenAI(client, options)` and the others), checked when
 * the client is instrumented, and turned into the TraceOptions of each instrumented method.
 */
import { GenAI, LLMTrace } from '../../lib/attributes.js';
import { compilePlan, type TraceOptions } from '../../lib/record/call-plan.js';
import type { CaptureMode } from '../../lib/record/content.js';
import type { Attributes } from '../../lib/span.js';
import type { TraceStore } from '../../lib/trace-store.js';

/** Options of `instrumentOpenAI`, `instrumentAnthropic` and `instrumentOllama`. */
export interface AdapterOptions {
  /** The calling component (`summarizer`, `agent_turn`), recorded as `llmtrace.context`. */
  context?: string;
  /** Store the spans go to. @default the configured store */
  store?: TraceStore;
  /** Content capture for these calls. @default the configured capture (`'metadata'`) */
  capture?: CaptureMode;
  /** Cap on captured text, in bytes. @default the configured cap (8192) */
  maxContentBytes?: number;
  /**
   * Marks calls served from a cache in front of the model (a caching proxy, say): return true for a
   * hit, false for a miss. Recorded as `llmtrace.cached`; the aggregator counts hits apart and keeps
   * them out of latency and cost. A throwing function is counted and ignored.
   * @default not recorded
   */
  cached?: (args: readonly unknown[]) => boolean;
}

/** @internal What a registry entry says about one instrumented method. */
export interface MethodSpec {
  /** Span name, e.g. `openai.chat.completions.create`. */
  readonly name: string;
  /** `llm` or `embedding`. */
  readonly kind: 'llm' | 'embedding';
  /** `gen_ai.operation.name`. */
  readonly operation: string;
}

/**
 * @internal Checks adapter options at instrumentation time. Throws a TypeError naming the option
 * (the shared ones are checked by the same code that checks `traced` options).
 */
export function checkAdapterOptions(options: unknown, adapter: string): AdapterOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`llmtrace: ${adapter} options must be an object, got ${String(options)} (${typeof options})`);
  }
  const o = options as AdapterOptions;
  if (o.cached !== undefined && typeof o.cached !== 'function') {
    throw new TypeError(`llmtrace: cached must be a function, got ${String(o.cached)} (${typeof o.cached})`);
  }
  compilePlan(checkAdapterOptions, traceOptions(o, { name: adapter, kind: 'llm', operation: 'chat' }));
  return o;
}

/** @internal The TraceOptions of one instrumented method. */
export function traceOptions(options: AdapterOptions, spec: MethodSpec): TraceOptions {
  return {
    name: spec.name,
    kind: spec.kind,
    operation: spec.operation,
    context: options.context,
    store: options.store,
    capture: options.capture,
    maxContentBytes: options.maxContentBytes,
  };
}

/** @internal Request attributes common to every SDK: provider, server, and the cache mark. */
export function baseRequestAttributes(
  provider: string,
  server: Attributes,
  options: AdapterOptions,
  args: readonly unknown[],
): Attributes {
  const attributes: Attributes = { [GenAI.PROVIDER_NAME]: provider, ...server };
  if (options.cached) attributes[LLMTrace.CACHED] = options.cached(args) === true;
  return attributes;
}

/** API hosts of OpenAI-compatible providers, and the `gen_ai.provider.name` each one implies. */
const PROVIDER_HOSTS: ReadonlyMap<string, string> = new Map([
  ['api.openai.com', 'openai'],
  ['api.groq.com', 'groq'],
  ['api.together.xyz', 'together'],
  ['api.fireworks.ai', 'fireworks'],
  ['api.deepseek.com', 'deepseek'],
  ['api.mistral.ai', 'mistral_ai'],
  ['api.x.ai', 'x_ai'],
]);

/** @internal The provider of an OpenAI-compatible call, and whether it is only a guess. */
export interface ProviderChoice {
  /** `gen_ai.provider.name` recorded when the call starts. */
  readonly provider: string;
  /** True when neither the user nor the server host named it: a provider the response names replaces it. */
  readonly guessed: boolean;
}

const GUESSED_OPENAI: ProviderChoice = Object.freeze({ provider: 'openai', guessed: true });

/**
 * @internal The provider of a call to an OpenAI-compatible API: the user's `provider` option, else
 * the one the server host implies (`api.groq.com`: `groq`), else `openai`, a guess.
 */
export function openAICompatibleProvider(option: string | undefined, host: unknown): ProviderChoice {
  if (option !== undefined) return { provider: option, guessed: false };
  const known = typeof host === 'string' ? PROVIDER_HOSTS.get(host.toLowerCase()) : undefined;
  return known === undefined ? GUESSED_OPENAI : { provider: known, guessed: false };
}

/** @internal `server.address` / `server.port` of a base URL; empty when it does not parse. */
export function serverAttributes(baseURL: unknown): Attributes {
  if (typeof baseURL !== 'string') return {};
  try {
    const url = new URL(baseURL);
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    return { [GenAI.SERVER_ADDRESS]: url.hostname, [GenAI.SERVER_PORT]: port };
  } catch {
    return {};
  }
}

/** @internal A number when `value` is a finite number. */
export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** @internal A request's parameters, as each SDK names them, mapped to the GenAI ones. */
export interface RequestParamValues {
  model: unknown;
  maxTokens?: unknown;
  temperature?: unknown;
  topP?: unknown;
  topK?: unknown;
  /** A stop sequence or a list of them. */
  stop?: unknown;
  seed?: unknown;
  frequencyPenalty?: unknown;
  presencePenalty?: unknown;
  /** Choices (candidates) asked for: OpenAI `n`, Gemini `candidateCount`. */
  choiceCount?: unknown;
  /** `json` when the request asks for JSON output (a response format or MIME type), `text` when it asks for text. */
  outputType?: 'json' | 'text';
  /** The provider's conversation (thread) id, when the request names one. */
  conversationId?: unknown;
  stream: unknown;
}

function stopSequences(value: unknown): string[] | undefined {
  if (typeof value === 'string') return value === '' ? undefined : [value];
  if (!Array.isArray(value)) return undefined;
  const list = value.filter((v): v is string => typeof v === 'string');
  return list.length > 0 ? list : undefined;
}

const NUMERIC_PARAMS = [
  ['maxTokens', GenAI.REQUEST_MAX_TOKENS],
  ['temperature', GenAI.REQUEST_TEMPERATURE],
  ['topP', GenAI.REQUEST_TOP_P],
  ['topK', GenAI.REQUEST_TOP_K],
  ['seed', GenAI.REQUEST_SEED],
  ['frequencyPenalty', GenAI.REQUEST_FREQUENCY_PENALTY],
  ['presencePenalty', GenAI.REQUEST_PRESENCE_PENALTY],
] as const;

/** @internal Request parameters under their GenAI names (those the request does not set are left out). */
export function requestParams(p: RequestParamValues): Attributes {
  const a: Attributes = {};
  if (typeof p.model === 'string' && p.model !== '') a[GenAI.REQUEST_MODEL] = p.model;
  for (const [key, name] of NUMERIC_PARAMS) {
    const value = num(p[key]);
    if (value !== undefined) a[name] = value;
  }
  const stop = stopSequences(p.stop);
  if (stop) a[GenAI.REQUEST_STOP_SEQUENCES] = stop;
  const choices = num(p.choiceCount);
  if (choices !== undefined && choices !== 1) a[GenAI.REQUEST_CHOICE_COUNT] = choices; // the conventions: only when not 1
  if (p.outputType) a[GenAI.OUTPUT_TYPE] = p.outputType;
  const conversation = isRecord(p.conversationId) ? p.conversationId.id : p.conversationId;
  if (typeof conversation === 'string' && conversation !== '') a[GenAI.CONVERSATION_ID] = conversation;
  a[GenAI.REQUEST_STREAM] = p.stream === true;
  return a;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}
