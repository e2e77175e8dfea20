/**
 * The wrapper core. `traced(fn)` returns a function that behaves exactly like `fn` (same value, same
 * thrown or rejected error object, same `this`, sync stays sync, a returned thenable with extra
 * methods is returned as-is, generators stay generators) and records one span per call. A plain
 * native promise is returned as the promise derived from it, so unhandled rejections stay unhandled. The
 * decorators and adapters are thin shells over `wrapWithPlan`.
 */
import { ActiveCall } from './active-call.js';
import { GenAI } from './attributes.js';
import { compilePlan, type CallPlan, type RecorderHooks, type TraceOptions } from './call-plan.js';
import { getState, type TraceState } from './config.js';
import { activeValue, runWithSpan } from './context.js';
import { newSpanId, newTraceId } from './ids.js';
import { contextBridge, type ContextBridge } from './internal/context-bridge.js';
import { reportInternalError } from './internal/diagnostics.js';
import { sampleTrace } from './sampling.js';
import { Span, type ParentRef } from './span.js';
import { iterableKind, trackAsyncIterable, trackGenerator } from './stream-tracking.js';
import { checkOptions } from './internal/option-schemas.js';

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** Starts a call: its span (child of `parent`) and its lifecycle, under the process-wide `state`. */
function startCall(
  plan: CallPlan,
  state: TraceState,
  parent: ParentRef | undefined,
  thisArg: unknown,
  args: readonly unknown[],
): ActiveCall {
  // Object.assign, not spread: on V8 11 (Node 20) a spread copy gets a map outside the transition
  // tree, so every attribute added later allocates a new map, ~4 µs a call (benchmarks/traced-overhead.ts).
  const attributes = Object.assign({}, plan.staticAttributes);
  const traceId = parent ? parent.traceId : newTraceId();
  const sampled = parent ? parent.sampled : sampleTrace(traceId, state.sampling);
  const span = new Span(plan.name, plan.kind, parent, attributes, traceId, newSpanId(), sampled);
  const call = new ActiveCall(span, plan, args, state, parent instanceof Span ? parent : undefined);
  try {
    const model = plan.resolveModel(thisArg, args);
    if (model !== undefined) attributes[GenAI.REQUEST_MODEL] = model;
    const request = plan.hooks.requestAttributes?.(args, thisArg);
    if (request) Object.assign(attributes, request);
    call.recordRequest();
  } catch (error) {
    reportInternalError('record.start', error);
  }
  return call;
}

/** @internal Hands a call's value (sync return or resolved value) to the right ending. */
export function settleValue(call: ActiveCall, value: unknown, hooks: RecorderHooks): unknown {
  try {
    if (hooks.adoptResult?.(value, call)) return value;
    const kind = iterableKind(value);
    if (kind === 'generator' || kind === 'async-generator') {
      return trackGenerator(value as object, call, kind === 'async-generator');
    }
    if (kind === 'async-iterable') return trackAsyncIterable(value as object, call);
  } catch (error) {
    reportInternalError('record.settle', error);
  }
  call.succeed(value);
  return value;
}

/**
 * The parent of a new span when an external tracer is bridged in. Inside an llmtrace span the bridge
 * made that span the external tracer's active one too, so an external active span with another id in
 * the same trace was started inside ours (an OpenTelemetry span around this call): it is the closer
 * parent, and the new span keeps the scope ids of the llmtrace span around it.
 */
function bridgedParent(active: Span | undefined, bridge: ContextBridge): ParentRef | undefined {
  const external = bridge.externalParent();
  if (!active) return external;
  if (!external || external.traceId !== active.traceId || external.id === active.id) return active;
  return { ...external, scopes: active.scopes };
}

/**
 * @internal Calls `fn` under `plan`: records a span unless tracing is off or suppressed, and returns
 * exactly what `fn` returns (or throws exactly what it throws).
 */
export function invoke(plan: CallPlan, fn: Function, thisArg: unknown, args: unknown[]): unknown {
  const active = activeValue();
  if (active === null) return fn.apply(thisArg, args);
  const state = getState();
  if (!state.enabled) return fn.apply(thisArg, args);
  const bridge = contextBridge;
  let call: ActiveCall;
  try {
    call = startCall(plan, state, plan.parent ?? (bridge ? bridgedParent(active, bridge) : active), thisArg, args);
  } catch (error) {
    reportInternalError('record.start', error);
    return fn.apply(thisArg, args);
  }
  let result: unknown;
  let entered = false;
  const run = (): unknown => {
    entered = true;
    return fn.apply(thisArg, args);
  };
  try {
    result = runWithSpan(call.span, bridge ? () => bridge.runInSpan(call.span, run) : run);
  } catch (error) {
    if (entered) {
      call.fail(error);
      throw error;
    }
    // The OpenTelemetry bridge failed before the user's function ran: run it without the bridge.
    reportInternalError('record.bridge', error);
    try {
      result = runWithSpan(call.span, run);
    } catch (userError) {
      call.fail(userError);
      throw userError;
    }
  }
  if (isThenable(result)) {
    if (result instanceof Promise && result.constructor === Promise && !plan.hooks.adoptThenable) {
      // A plain native promise has no extra methods to keep, so return the derived one: a rejection
      // nobody handles still reaches 'unhandledRejection' exactly as it would without tracing.
      return result.then(
        (value) => settleValue(call, value, plan.hooks),
        (error: unknown) => {
          call.fail(error);
          throw error;
        },
      );
    }
    try {
      if (!plan.hooks.adoptThenable?.(result, call)) {
        result.then(
          (value) => settleValue(call, value, plan.hooks),
          (error: unknown) => call.fail(error),
        );
      }
    } catch (error) {
      // A thenable whose `then` throws cannot be followed: end the span at the return.
      reportInternalError('record.then', error);
      call.succeed(undefined, {});
    }
    return result;
  }
  return settleValue(call, result, plan.hooks);
}

/** @internal Wraps `fn` with a compiled plan, keeping its `name` and `length`. */
export function wrapWithPlan<F extends (...args: any[]) => any>(fn: F, plan: CallPlan): F {
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    return invoke(plan, fn, this, args);
  };
  Object.defineProperty(wrapped, 'name', { value: fn.name, configurable: true });
  Object.defineProperty(wrapped, 'length', { value: fn.length, configurable: true });
  return wrapped as F;
}

/**
 * Wraps `fn` so every call records a span. The wrapper behaves exactly like `fn`.
 * Throws a TypeError naming the option when an option is invalid.
 * @example
 * const generate = traced(generateText, { name: 'generate_text', modelParam: 'model' });
 * const answer = await generate('Hello', 'mistral:latest');
 */
export function traced<F extends (...args: any[]) => any>(fn: F, options?: TraceOptions): F {
  checkOptions('traced', options);
  return wrapWithPlan(fn, compilePlan(fn, options));
}
