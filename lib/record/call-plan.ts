/**
 * TraceOptions (what users pass to `traced` and the decorators) and the CallPlan they compile to
 * once, at wrap time, so the per-call path only reads precomputed fields.
 */
import { GenAI, LLMTrace } from '../attributes.js';
import { checkCapture } from '../config.js';
import { checkNonEmptyString, positiveInteger } from '../internal/validate.js';
import type { CaptureMode } from './content.js';
import type { CallResult, ResultExtractor } from '../extract/call-result.js';
import type { ActiveCall } from './active-call.js';
import { createModelResolver, type ModelResolver } from './model-param.js';
import type { Attributes, ParentRef, SpanKind } from '../span.js';
import { checkStore, type TraceStore } from '../trace-store.js';

/** Options of `traced`, `@traceModelCall` and `@monitorLLM`. */
export interface TraceOptions {
  /** Span name. @default the function's or method's name */
  name?: string;
  /**
   * What the call is.
   * @default 'llm'
   */
  kind?: SpanKind;
  /** `gen_ai.operation.name`. @default 'chat' for llm, 'embeddings' for embedding, 'execute_tool' for tool */
  operation?: string;
  /**
   * Where the requested model is: a parameter name or index. Also looked for: a `model` field of an
   * object argument, `this.model`, and the parameter's default value in the source.
   * @default the parameter named `model`, if any
   */
  modelParam?: string | number;
  /** The calling component (`agent_turn`, `summarizer`), recorded as `llmtrace.context`. */
  context?: string;
  /** Store finished spans go to. @default the configured store (`configure({ store })`) */
  store?: TraceStore;
  /**
   * Adds attributes when the call ends, from its arguments and result (undefined result on failure).
   * A throwing hook is counted and ignored.
   */
  attributes?: (args: readonly unknown[], result: unknown) => Attributes | undefined | void;
  /** Content capture. @default the configured capture (`'metadata'`) */
  capture?: CaptureMode;
  /** Cap on captured text, in bytes. @default the configured cap (8192) */
  maxContentBytes?: number;
  /** Reads model and usage from this function's result shape; tried before the registered extractors. */
  extractor?: ResultExtractor;
  /** Record heap/RSS deltas and CPU time of each call. @default the configured value (false) */
  resources?: boolean;
}

/**
 * @internal Extension points for adapters: request attributes at start, and taking over a result
 * (an SDK stream, say) whose end the adapter knows better than the core.
 */
export interface RecorderHooks {
  /** Attributes known when the call starts (request parameters). */
  requestAttributes?(args: readonly unknown[], thisArg: unknown): Attributes | undefined;
  /**
   * Called with the call's value (the resolved value for async calls). Return true when the hook
   * has taken responsibility for ending `call` (it will call `call.succeed`/`fail`/`endStream`).
   */
  adoptResult?(value: unknown, call: ActiveCall): boolean;
  /**
   * Called with a returned thenable before the core attaches its own `then`. Return true when the
   * hook has taken responsibility for ending `call` (an SDK promise whose `then` would read the
   * response body, which the caller may want to read raw). The core then leaves the thenable alone.
   */
  adoptThenable?(value: PromiseLike<unknown>, call: ActiveCall): boolean;
  /** Reads usage from stream chunks, merged in chunk order. @default the extractor registry */
  chunkResult?(chunk: unknown): CallResult | undefined;
}

/** @internal A compiled TraceOptions. */
export interface CallPlan {
  readonly name: string;
  readonly kind: SpanKind;
  readonly staticAttributes: Attributes;
  readonly resolveModel: ModelResolver;
  readonly store: TraceStore | undefined;
  readonly attributes: TraceOptions['attributes'];
  readonly capture: CaptureMode | undefined;
  readonly maxContentBytes: number | undefined;
  readonly extractor: ResultExtractor | undefined;
  readonly resources: boolean | undefined;
  readonly hooks: RecorderHooks;
  /** Whether the call's value is read for model and usage (false for scopes: a run's result is not a model response). */
  readonly readsResult: boolean;
  /**
   * Whether the wrapped function is an `async` function: a plain promise it returns was made for this
   * call and is held by no one else, so the caller can be given a promise derived from it.
   */
  readonly returnsOwnPromise: boolean;
  /** A fixed parent (a remote one, from `continueTrace`), used instead of the current span. */
  readonly parent?: ParentRef;
}

/** Wrappers (`traced`, the decorators) of async functions: they too return promises no one else holds. */
const ownPromiseWrappers = new WeakSet<Function>();

/** @internal Notes that `wrapper` returns what an async function would (a promise made for the call). */
export function markReturnsOwnPromise(wrapper: Function): void {
  ownPromiseWrappers.add(wrapper);
}

/**
 * @internal Whether `fn` is an `async` function, of any realm, or llmtrace's wrapper of one (stacked
 * decorators, `traced(traced(fn))`): its calls return promises no one else holds.
 */
export function isAsyncFunction(fn: Function): boolean {
  return Object.prototype.toString.call(fn) === '[object AsyncFunction]' || ownPromiseWrappers.has(fn);
}

const OPERATION_BY_KIND: Partial<Record<SpanKind, string>> = {
  llm: 'chat',
  embedding: 'embeddings',
  tool: 'execute_tool',
  agent: 'invoke_agent',
};

const KINDS: readonly SpanKind[] = [
  'llm', 'embedding', 'chain', 'tool', 'agent', 'retrieval', 'session', 'run', 'iteration', 'request', 'model', 'custom',
];

/** @internal Validates a span kind, naming the option in the error. */
export function checkKind(kind: unknown): SpanKind {
  if (!KINDS.includes(kind as SpanKind)) {
    throw new TypeError(`llmtrace: kind must be one of ${KINDS.join(', ')}, got ${String(kind)} (${typeof kind})`);
  }
  return kind as SpanKind;
}

/**
 * @internal Compiles options for `fn`. Throws a TypeError naming the option when one is invalid,
 * so mistakes surface when the function is wrapped, never when it is called.
 */
export function compilePlan(fn: Function, options: TraceOptions = {}, hooks: RecorderHooks = {}): CallPlan {
  if (typeof fn !== 'function') throw new TypeError(`llmtrace: traced() needs a function, got ${typeof fn}`);
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`llmtrace: trace options must be an object, got ${String(options)}`);
  }
  const kind = options.kind === undefined ? 'llm' : checkKind(options.kind);
  if (options.name !== undefined) checkNonEmptyString(options.name, 'name');
  if (options.context !== undefined && typeof options.context !== 'string') {
    throw new TypeError(`llmtrace: context must be a string, got ${String(options.context)} (${typeof options.context})`);
  }
  checkStore(options.store);
  for (const hook of ['attributes', 'extractor'] as const) {
    if (options[hook] !== undefined && typeof options[hook] !== 'function') {
      throw new TypeError(`llmtrace: ${hook} must be a function, got ${typeof options[hook]}`);
    }
  }
  const name = options.name ?? (fn.name || 'anonymous');
  const operation = options.operation ?? OPERATION_BY_KIND[kind];
  const staticAttributes: Attributes = { [LLMTrace.FUNCTION]: name };
  if (operation) staticAttributes[GenAI.OPERATION_NAME] = operation;
  if (kind === 'tool') {
    staticAttributes[GenAI.TOOL_NAME] = name;
    staticAttributes[GenAI.TOOL_TYPE] = 'function'; // run by the program, not by the provider
  } else if (kind === 'agent') {
    staticAttributes[GenAI.AGENT_NAME] = name;
  }
  if (options.context) staticAttributes[LLMTrace.CONTEXT] = options.context;
  return {
    name,
    kind,
    staticAttributes,
    resolveModel: createModelResolver(fn, options.modelParam),
    store: options.store,
    attributes: options.attributes,
    capture: options.capture === undefined ? undefined : checkCapture(options.capture, 'capture'),
    maxContentBytes:
      options.maxContentBytes === undefined ? undefined : positiveInteger(options.maxContentBytes, 'maxContentBytes'),
    extractor: options.extractor,
    resources: options.resources,
    hooks,
    readsResult: true,
    returnsOwnPromise: isAsyncFunction(fn),
  };
}
