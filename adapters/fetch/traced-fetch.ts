/**
 * `tracedFetch`: a `fetch` that makes model calls observable when there is no SDK to instrument
 * (llama.cpp `llama-server`, vLLM, LM Studio, Ollama or any OpenAI-compatible server reached with
 * plain fetch), and that SDKs can be given as their `fetch` option. Every request gets a W3C
 * `traceparent` header for the current span.
 *
 * - Inside a model-call span (an instrumented SDK's, or a `@traceModelCall` method's), it starts no
 *   span of its own: it counts the HTTP attempts and records each retry as an `llmtrace.retry` event
 *   on that span (SDKs retry 429/5xx inside one call; this is how those retries become visible).
 * - Elsewhere, a request to a known model route (`/v1/chat/completions`, `/v1/embeddings`,
 *   `/v1/responses`, `/v1/messages`, `/api/chat`, `/api/generate`, `/api/embed`, Gemini's
 *   `/models/{model}:generateContent` and `:streamGenerateContent`) records its own span:
 *   model and parameters from the JSON request body, usage from the JSON response or from the SSE /
 *   NDJSON stream as the caller reads it. Other URLs are passed through with `traceparent` only.
 */
import type { ActiveCall } from '../../lib/record/active-call.js';
import { GenAI, LLMTrace, SpanEvents } from '../../lib/attributes.js';
import { compilePlan, type CallPlan } from '../../lib/record/call-plan.js';
import { markProviderGuessed } from '../../lib/record/call-result-attributes.js';
import { currentSpan } from '../../lib/context.js';
import { reportInternalError } from '../../lib/internal/diagnostics.js';
import { checkNonEmptyString } from '../../lib/internal/validate.js';
import { injectTraceContext } from '../../lib/propagation.js';
import { retryAfterSeconds } from '../../lib/retry-after.js';
import { invoke } from '../../lib/record/recorder.js';
import { requestIdOfHeaders } from '../../lib/record/request-id.js';
import type { Span } from '../../lib/span.js';
import {
  baseRequestAttributes,
  checkAdapterOptions,
  openAICompatibleProvider,
  serverAttributes,
  traceOptions,
  type AdapterOptions,
  type ProviderChoice,
} from '../internal/adapter-options.js';
import { recordItem, type StreamReader } from '../internal/stream-observer.js';
import { bodyFormatOf, observeBody } from './body-observer.js';
import { modelRouteOf, readStreamedItem, requestBodyAttributes, type ModelRoute } from './parse.js';
import { checkOptions } from '../../lib/internal/option-schemas.js';

/** Options of `tracedFetch`. */
export interface TracedFetchOptions extends AdapterOptions {
  /**
   * `gen_ai.provider.name` of the spans it records (`'llama.cpp'`, `'vllm'`, `'lmstudio'`). It wins
   * over what the response says.
   * @default guessed from the path: 'anthropic', 'ollama', 'gcp.gemini', or for OpenAI-compatible
   * paths the provider of a known host (`api.groq.com`: `'groq'`), else 'openai', replaced by the
   * provider a response names (Groq's `x_groq`: `'groq'`)
   */
  provider?: string;
}

/** A non-2xx answer, as the span records it (never thrown to the caller, who gets the Response). */
class HTTPStatusError extends Error {
  readonly status: number;
  readonly headers: Headers;
  constructor(response: Response) {
    super(`HTTP ${response.status} ${response.statusText}`.trim());
    this.name = 'HTTPStatusError';
    this.status = response.status;
    this.headers = response.headers;
  }
}

const attempts = new WeakMap<Span, { count: number; lastStatus: number | undefined; lastRetryAfter: number | undefined }>();
const reader: StreamReader = { read: readStreamedItem };

function urlOf(input: string | URL | Request): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
}

/** `init` with a `traceparent` header for the current span added (the caller's objects untouched). */
function withTraceparent(input: string | URL | Request, init: RequestInit | undefined): RequestInit | undefined {
  if (!currentSpan()) return init;
  const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
  injectTraceContext(headers);
  return { ...init, headers };
}

/** Records one HTTP attempt of a model-call span; attempts after the first are retries. */
function recordAttempt(span: Span, response: Promise<Response>): void {
  let state = attempts.get(span);
  if (!state) attempts.set(span, (state = { count: 0, lastStatus: undefined, lastRetryAfter: undefined }));
  state.count++;
  if (state.count > 1) {
    span.addEvent(SpanEvents.RETRY, {
      attempt: state.count,
      ...(state.lastStatus !== undefined ? { [GenAI.HTTP_STATUS_CODE]: state.lastStatus } : {}),
      ...(state.lastRetryAfter !== undefined ? { [LLMTrace.RETRY_AFTER_S]: state.lastRetryAfter } : {}),
    });
    span.setAttribute(LLMTrace.RETRY_COUNT, state.count - 1);
  }
  const current = state;
  response.then(
    (r) => {
      current.lastStatus = r.status;
      current.lastRetryAfter = r.ok ? undefined : retryAfterSeconds((name) => r.headers.get(name) ?? undefined);
    },
    () => {
      current.lastStatus = undefined;
      current.lastRetryAfter = undefined;
    },
  );
}

/** Ends `call` as the caller reads `response`; returns the Response the caller gets. */
function followResponse(response: Response, call: ActiveCall): Response {
  call.span.setAttribute(GenAI.HTTP_STATUS_CODE, response.status);
  const requestId = requestIdOfHeaders(response.headers);
  if (requestId !== undefined) call.span.setAttribute(LLMTrace.REQUEST_ID, requestId);
  if (!response.ok) {
    call.fail(new HTTPStatusError(response));
    return response;
  }
  if (!response.body) {
    call.succeed(undefined, {});
    return response;
  }
  const format = bodyFormatOf(response.headers.get('content-type'));
  const streamed = format === 'sse' || format === 'ndjson';
  const body = observeBody(response.body, format, {
    item: (value) => recordItem(call, reader, value),
    done: (json) => (streamed ? call.endStream('completed') : call.succeed(json)),
    cancelled: () => (streamed ? call.endStream('cancelled') : call.succeed(undefined, {})),
    failed: (error) => (streamed ? call.endStream('error', error) : call.fail(error)),
  });
  const observed = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  Object.defineProperty(observed, 'url', { value: response.url, configurable: true });
  Object.defineProperty(observed, 'redirected', { value: response.redirected, configurable: true });
  return observed;
}

/**
 * Returns a `fetch` that traces model calls and propagates W3C trace context (see the module
 * comment). Pass it to an SDK (`new OpenAI({ fetch: tracedFetch() })`) to see its retries, or call
 * it directly for servers without an SDK. Throws a TypeError naming the option when one is invalid.
 * @example
 * const fetch = tracedFetch(globalThis.fetch, { provider: 'llama.cpp' });
 * const res = await fetch('http://127.0.0.1:8080/v1/chat/completions', {
 *   method: 'POST',
 *   headers: { 'content-type': 'application/json' },
 *   body: JSON.stringify({ model: 'qwen2.5', messages, stream: true }),
 * });
 */
export function tracedFetch(fetchImpl?: typeof fetch, options?: TracedFetchOptions): typeof fetch {
  checkOptions('tracedFetch', options);
  if (fetchImpl !== undefined && typeof fetchImpl !== 'function') {
    throw new TypeError(`llmtrace: tracedFetch needs a fetch function, got ${String(fetchImpl)} (${typeof fetchImpl})`);
  }
  const checked = checkAdapterOptions(options, 'tracedFetch') as TracedFetchOptions;
  if (checked.provider !== undefined) checkNonEmptyString(checked.provider, 'provider');
  const slots = new WeakMap<PromiseLike<unknown>, { call?: ActiveCall }>();
  const plans = new Map<ModelRoute, CallPlan>();

  const send = (input: string | URL | Request, init?: RequestInit): Promise<Response> =>
    (fetchImpl ?? globalThis.fetch)(input, withTraceparent(input, init));

  /** Runs inside the new span: sends the request and follows the response once the span is known. */
  const sendTraced = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const slot: { call?: ActiveCall } = {};
    const pending = send(input, init).then(
      (response) => (slot.call ? followResponse(response, slot.call) : response),
      (error: unknown) => {
        slot.call?.fail(error);
        throw error;
      },
    );
    slots.set(pending, slot);
    return pending;
  };

  /** The provider of a call to `route` at `host`: an OpenAI-compatible path says little about who answers. */
  const providerOf = (route: ModelRoute, host: unknown): ProviderChoice =>
    route.family === 'openai'
      ? openAICompatibleProvider(checked.provider, host)
      : { provider: checked.provider ?? route.family, guessed: false };

  const planFor = (route: ModelRoute): CallPlan => {
    let plan = plans.get(route);
    if (!plan) {
      const spec = { name: `fetch.${route.operationPath}`, kind: route.kind, operation: route.operation };
      plan = compilePlan(sendTraced, traceOptions(checked, spec), {
        requestAttributes: (args) => {
          const url = urlOf(args[0] as string | URL | Request);
          const server = serverAttributes(url);
          return {
            ...baseRequestAttributes(providerOf(route, server[GenAI.SERVER_ADDRESS]).provider, server, checked, args),
            ...requestBodyAttributes(route, (args[1] as RequestInit | undefined)?.body, url),
          };
        },
        adoptThenable: (value, call) => {
          const slot = slots.get(value);
          if (!slot) return false;
          slot.call = call;
          if (providerOf(route, call.span.attributes[GenAI.SERVER_ADDRESS]).guessed) markProviderGuessed(call.span);
          return true;
        },
        chunkResult: () => undefined,
      });
      plans.set(route, plan);
    }
    return plan;
  };

  return function fetchTraced(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    let route: ModelRoute | undefined;
    try {
      const span = currentSpan();
      if (span && !span.ended && (span.kind === 'llm' || span.kind === 'embedding')) {
        const response = send(input, init);
        recordAttempt(span, response);
        return response;
      }
      route = modelRouteOf(urlOf(input));
    } catch (error) {
      reportInternalError('adapter.fetch', error);
    }
    if (!route) return send(input, init);
    return invoke(planFor(route), sendTraced, undefined, [input, init]) as Promise<Response>;
  };
}
