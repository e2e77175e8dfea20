/**
 * `llmtraceMiddleware()`: a Vercel AI SDK language-model middleware (`wrapLanguageModel`) that
 * records one `llm` span per model call (each step of `generateText`/`streamText`, each
 * `generateObject`/`streamObject`): provider, model, the provider's exact token counts, cost,
 * finish reason, and for streams time to first token and chunk timing. Failed attempts the AI SDK
 * retries (a 429, a 5xx) do not end the span: they become `llmtrace.retry` events on it and the next
 * attempt continues it (the AI SDK hands every attempt the same prompt array), so a retried call is
 * one span with `llmtrace.retry.count`, not two roots one of which is an error. An attempt no
 * retry follows ends the span with its error, as of the failure, once the AI SDK's retry wait (plus
 * a grace period) has passed, or at once when the program ends or tracing shuts down first.
 */
import type { ActiveCall } from '../../lib/record/active-call.js';
import { GenAI, LLMTrace, SpanEvents } from '../../lib/attributes.js';
import { compilePlan, type RecorderHooks } from '../../lib/record/call-plan.js';
import { epochNow } from '../../lib/clock.js';
import { activeValue, runWithSpan } from '../../lib/context.js';
import { isAbortError } from '../../lib/record/abort-error.js';
import { deferEnd } from '../../lib/record/deferred-ends.js';
import { reportInternalError } from '../../lib/internal/diagnostics.js';
import { checkOptions } from '../../lib/internal/option-schemas.js';
import { invoke } from '../../lib/record/recorder.js';
import type { Span } from '../../lib/span.js';
import { checkAdapterOptions, traceOptions, type AdapterOptions } from '../internal/adapter-options.js';
import {
  aiSdkGenerateResult,
  aiSdkProviderName,
  aiSdkRequestAttributes,
  aiSdkRetryWaitMs,
  aiSdkStreamPartResult,
  isContentPart,
  retryFacts,
} from './parse.js';

/** Options of `llmtraceMiddleware`. */
export interface AISdkMiddlewareOptions extends AdapterOptions {
  /**
   * Set when the AI SDK's own OpenTelemetry telemetry (`experimental_telemetry: { isEnabled: true }`)
   * exports to the same backend: the AI SDK's `ai.*.doGenerate` span then carries the call's tokens,
   * so llmtrace's span is marked `llmtrace.usage.counted_by: 'ai-sdk'` and exported without
   * `gen_ai.usage.*` (it keeps them locally, for llmtrace's own metrics). `traceAISdk` sets it from
   * each call's `experimental_telemetry`.
   * @default false
   */
  aiSdkTelemetry?: boolean;
  /** Extra wait, past the AI SDK's own retry wait, before a failed attempt no retry followed ends its span. @default 5000 */
  retryGraceMs?: number;
}

/** The parts of a `LanguageModelV3Middleware` llmtrace fills in (structural: `ai` is never imported). */
export interface LLMTraceLanguageModelMiddleware {
  readonly specificationVersion: 'v3';
  wrapGenerate(options: { doGenerate: () => PromiseLike<any>; params: any; model: any }): Promise<any>;
  wrapStream(options: { doStream: () => PromiseLike<any>; params: any; model: any }): Promise<any>;
}

/** `llmtrace.usage.counted_by`: which instrumentation's span carries the call's tokens in an export. */
export const USAGE_COUNTED_BY = 'llmtrace.usage.counted_by';

/** A span whose attempt failed and that waits for the AI SDK's retry. */
interface HeldCall {
  readonly call: ActiveCall;
  /** The span the call runs in (`traceAISdk`'s `ai.generateText`): once it ended, no retry can follow. */
  readonly parent: Span | undefined;
  attempts: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Forgets the end deferred to exit or shutdown (lib/record/deferred-ends.ts). */
  forget: (() => void) | undefined;
}

/** Calls waiting for a retry, by the prompt array every attempt of one call shares. */
const held = new WeakMap<object, HeldCall>();

let adopted: ActiveCall | undefined;
/** Takes over the promise `invoke` returns, so this module ends the span (or holds it for a retry). */
const adoptHook = (_value: PromiseLike<unknown>, call: ActiveCall): boolean => {
  adopted = call;
  return true;
};

function hooksFor(stream: boolean, options: AISdkMiddlewareOptions): RecorderHooks {
  return {
    requestAttributes: (args, model) => {
      const a = aiSdkRequestAttributes(model, args[0], stream);
      if (options.aiSdkTelemetry) a[USAGE_COUNTED_BY] = 'ai-sdk';
      return a;
    },
    adoptThenable: adoptHook,
    chunkResult: aiSdkStreamPartResult,
  };
}

/** The function the plans are compiled for (the span's default name and model lookup); each call runs the AI SDK's own `doGenerate`/`doStream`. */
function callModel(): void {}

function checkGrace(value: unknown): number {
  if (value === undefined) return 5000;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`llmtrace: retryGraceMs must be a non-negative number of milliseconds, got ${String(value)} (${typeof value})`);
  }
  return value;
}

/** Wraps a `doStream` result's stream so the span follows it: chunks, TTFT, usage, how it ended. */
function followStream(value: unknown, call: ActiveCall, signal: AbortSignal | undefined): unknown {
  const result = value as { stream?: ReadableStream<unknown> } | undefined;
  const source = result?.stream;
  if (!source || typeof source.getReader !== 'function') {
    call.succeed(value);
    return value;
  }
  const reader = source.getReader();
  let error: unknown;
  const observed = new ReadableStream<unknown>({
    async pull(controller) {
      let next: { done: boolean; value?: unknown };
      try {
        next = await reader.read();
      } catch (readError) {
        call.endStream(isAbortError(readError) || signal?.aborted === true ? 'aborted' : 'error', readError);
        throw readError;
      }
      if (next.done) {
        call.endStream(error === undefined ? 'completed' : 'error', error);
        controller.close();
        return;
      }
      const part = next.value as { type?: unknown; error?: unknown } | undefined;
      if (isContentPart(part)) call.chunk(part);
      else if (part?.type === 'error') error = part.error;
      else call.streamResult(aiSdkStreamPartResult(part));
      controller.enqueue(part);
    },
    cancel(reason) {
      // ai 7 cancels the model's stream when the caller aborts (ai 6 errors it); a reader that stops early cancels too.
      if (isAbortError(reason) || signal?.aborted === true) call.endStream('aborted', signal?.reason ?? reason);
      else call.endStream('cancelled');
      return reader.cancel(reason);
    },
  });
  return { ...result, stream: observed };
}

/**
 * Returns an AI SDK language-model middleware that records an `llm` span per model call.
 * Throws a TypeError naming the option when one is invalid.
 * @example
 * import { wrapLanguageModel, generateText } from 'ai';
 * import { openai } from '@ai-sdk/openai';
 * import { llmtraceMiddleware } from 'llmtrace/ai-sdk';
 * const model = wrapLanguageModel({ model: openai('gpt-4o-mini'), middleware: llmtraceMiddleware() });
 * const { text } = await generateText({ model, prompt: 'Hi' });
 */
export function llmtraceMiddleware(options?: AISdkMiddlewareOptions): LLMTraceLanguageModelMiddleware {
  checkOptions('llmtraceMiddleware', options);
  const { aiSdkTelemetry, retryGraceMs, ...adapterOptions } = options ?? {};
  if (aiSdkTelemetry !== undefined && typeof aiSdkTelemetry !== 'boolean') {
    throw new TypeError(`llmtrace: aiSdkTelemetry must be a boolean, got ${String(aiSdkTelemetry)} (${typeof aiSdkTelemetry})`);
  }
  const grace = checkGrace(retryGraceMs);
  const checked = checkAdapterOptions(adapterOptions, 'llmtraceMiddleware');
  const plans = {
    generate: compilePlan(callModel, traceOptions(checked, { name: 'ai.doGenerate', kind: 'llm', operation: 'chat' }), hooksFor(false, options ?? {})),
    stream: compilePlan(callModel, traceOptions(checked, { name: 'ai.doStream', kind: 'llm', operation: 'chat' }), hooksFor(true, options ?? {})),
  };

  const settle = (state: HeldCall, promise: PromiseLike<unknown>, key: object | undefined, stream: boolean, model: unknown, signal: AbortSignal | undefined): Promise<unknown> =>
    Promise.resolve(promise).then(
      (value) => {
        if (stream) return followStream(value, state.call, signal);
        const provider = aiSdkProviderName((model as { provider?: unknown } | undefined)?.provider);
        state.call.succeed(value, aiSdkGenerateResult(value, provider) ?? {});
        return value;
      },
      (error: unknown) => {
        hold(state, error, key);
        throw error;
      },
    );

  const hold = (state: HeldCall, error: unknown, key: object | undefined): void => {
    try {
      const facts = retryFacts(error);
      if (!facts.retryable || key === undefined) {
        state.call.fail(error);
        return;
      }
      // The call around it may fail at once with this error (no retry follows): it is this failure.
      state.call.reportFailureToParent(error);
      const event: Record<string, string | number> = { 'llmtrace.retry.attempt': state.attempts };
      if (facts.status !== undefined) event[GenAI.HTTP_STATUS_CODE] = facts.status;
      if (facts.retryAfterMs !== undefined) event[LLMTrace.RETRY_AFTER_S] = facts.retryAfterMs / 1000;
      const type = (error as { name?: unknown } | null)?.name;
      if (typeof type === 'string') event[GenAI.ERROR_TYPE] = type;
      state.call.span.addEvent(SpanEvents.RETRY, event);
      held.set(key, state);
      // No retry came: the span ends with this error, as of now. Also at exit or shutdown, if sooner.
      const failedAt = epochNow();
      const giveUp = (): void => {
        clearTimeout(state.timer);
        state.forget?.();
        if (held.get(key) === state) held.delete(key);
        state.call.fail(error, failedAt);
      };
      state.timer = setTimeout(giveUp, aiSdkRetryWaitMs(facts, state.attempts) + grace);
      state.timer.unref?.();
      state.forget = deferEnd(giveUp);
      // The AI SDK rejects the call at once when it retries no more: the span around it (traceAISdk's)
      // has ended by the time this attempt's microtasks are done, so the attempt ends now, not at the timer.
      const parent = state.parent;
      if (parent) {
        setImmediate(() => {
          if (parent.ended && held.get(key) === state) giveUp();
        }).unref();
      }
    } catch (recordError) {
      reportInternalError('record.error', recordError);
      state.call.fail(error);
    }
  };

  const attempt = (run: () => PromiseLike<unknown>, params: unknown, model: unknown, stream: boolean): Promise<unknown> => {
    const prompt = (params as { prompt?: unknown } | null)?.prompt;
    const signal = (params as { abortSignal?: AbortSignal } | null)?.abortSignal;
    const key = prompt !== null && typeof prompt === 'object' ? prompt : undefined;
    const waiting = key === undefined ? undefined : held.get(key);
    if (waiting && !waiting.call.span.ended) {
      held.delete(key!);
      clearTimeout(waiting.timer);
      waiting.forget?.();
      waiting.attempts++;
      waiting.call.span.attributes[LLMTrace.RETRY_COUNT] = waiting.attempts - 1;
      return settle(waiting, runWithSpan(waiting.call.span, run), key, stream, model, signal);
    }
    adopted = undefined;
    const parent = activeValue() ?? undefined;
    const out = invoke(stream ? plans.stream : plans.generate, () => run(), model, [params]) as PromiseLike<unknown>;
    const call = adopted as ActiveCall | undefined;
    adopted = undefined;
    if (!call) return Promise.resolve(out);
    return settle({ call, parent, attempts: 1, timer: undefined, forget: undefined }, out, key, stream, model, signal);
  };

  return {
    specificationVersion: 'v3',
    wrapGenerate: ({ doGenerate, params, model }) => attempt(doGenerate, params, model, false),
    wrapStream: ({ doStream, params, model }) => attempt(doStream, params, model, true),
  };
}
