/**
 * The wrapper core. `traced(fn)` returns a function that behaves exactly like `fn` (same value, same
 * thrown or rejected error object, same `this`, sync stays sync, same own properties, `new` works as
 * on `fn`) and records one span per call. How a returned value is followed without changing it
 * (promises, subclasses, thenables, generators, async iterables, hostile objects) is in
 * result-tracking.ts and stream-tracking.ts. The decorators and adapters are thin shells over
 * `wrapWithPlan` and `invoke`.
 */
import { ActiveCall } from './active-call.js';
import { GenAI } from '../attributes.js';
import { compilePlan, markReturnsOwnPromise, type CallPlan, type TraceOptions } from './call-plan.js';
import { getState, type TraceState } from '../config.js';
import { activeValue, applyInSpan, runWithSpan } from '../context.js';
import { newSpanId, newTraceId } from '../ids.js';
import { contextBridge, type ContextBridge } from '../internal/context-bridge.js';
import { reportInternalError } from '../internal/diagnostics.js';
import { sampleTrace } from '../sampling.js';
import { Span, type Attributes, type ParentRef } from '../span.js';
import { followResult } from './result-tracking.js';
import { checkOptions } from '../internal/option-schemas.js';

/**
 * A span's attributes object, made by `new` so V8's slack tracking sizes it for the dozen attributes
 * a call adds (a `{}` holds four in itself and grows a separate property store three at a time).
 * V8 reserves room in the objects a constructor makes from the `this.x =` assignments in its body:
 * the branch below never runs (`reserve` is never passed), but with it the object holds all twelve
 * attributes of a priced model call in itself instead of ten plus a property store: 24 B less per
 * retained span (benchmarks/retained-span.ts). Its prototype is Object.prototype, so it is a plain
 * object to every check (`Object.getPrototypeOf`, `constructor`, lodash's isPlainObject).
 */
const SpanAttributes = function SpanAttributes(this: Record<string, unknown>, reserve?: boolean): void {
  if (reserve) {
    this.a0 = undefined;
    this.a1 = undefined;
    this.a2 = undefined;
    this.a3 = undefined;
    this.a4 = undefined;
    this.a5 = undefined;
    this.a6 = undefined;
    this.a7 = undefined;
  }
} as unknown as new () => Attributes;
SpanAttributes.prototype = Object.prototype;

function newAttributes(): Attributes {
  return new SpanAttributes();
}

/**
 * @internal Starts a call: its span (child of `parent`) and its lifecycle, under the process-wide
 * `state`. Exported for adapters whose calls start and end in callbacks (llmtrace/langchain).
 */
export function startCall(
  plan: CallPlan,
  state: TraceState,
  parent: ParentRef | undefined,
  thisArg: unknown,
  args: readonly unknown[],
): ActiveCall {
  // Object.assign, not spread: on V8 11 (Node 20) a spread copy gets a map outside the transition
  // tree, so every attribute added later allocates a new map, ~4 µs a call (benchmarks/traced-overhead.ts).
  const attributes = Object.assign(newAttributes(), plan.staticAttributes);
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
    (plan.store ?? state.store).announceStart(span);
  } catch (error) {
    reportInternalError('record.start', error);
  }
  return call;
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
  return { ...external, scopes: active.scopes, ratioDecided: active.ratioDecided };
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
  if (!bridge) {
    try {
      result = applyInSpan(call.span, fn, thisArg, args);
    } catch (error) {
      call.fail(error);
      throw error;
    }
    return followResult(result, call, plan.hooks, plan.returnsOwnPromise);
  }
  let entered = false;
  const run = (): unknown => {
    entered = true;
    return fn.apply(thisArg, args);
  };
  try {
    result = runWithSpan(call.span, () => bridge.runInSpan(call.span, run));
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
  return followResult(result, call, plan.hooks, plan.returnsOwnPromise);
}

/** Whether `fn` can be called with `new` (checked without calling it). */
function isConstructor(fn: Function): boolean {
  try {
    Reflect.construct(String, [], fn);
    return true;
  } catch {
    return false;
  }
}

/** Own properties of a function that the wrapper defines itself (or that strict functions refuse). */
const FUNCTION_KEYS: ReadonlySet<string | symbol> = new Set(['prototype', 'arguments', 'caller']);

/** Gives `wrapped` the own properties of `fn` (name, length, custom ones), as `fn` has them now. */
function copyFunctionProperties(fn: Function, wrapped: Function): void {
  for (const key of ['name', 'length']) if (!Object.hasOwn(fn, key)) delete (wrapped as unknown as Record<string, unknown>)[key];
  for (const key of Reflect.ownKeys(fn)) {
    if (FUNCTION_KEYS.has(key)) continue;
    try {
      Object.defineProperty(wrapped, key, Object.getOwnPropertyDescriptor(fn, key)!);
    } catch {
      // A non-configurable own property of the wrapper itself: it keeps its own.
    }
  }
}

/**
 * @internal Wraps `fn` with a compiled plan. The wrapper has `fn`'s own properties (name, length,
 * custom ones) and is constructible exactly when `fn` is: `new wrapped()` constructs `fn` (with
 * `new.target` kept for subclasses) and records the call like any other.
 */
export function wrapWithPlan<F extends (...args: any[]) => any>(fn: F, plan: CallPlan): F {
  let wrapped: Function;
  if (isConstructor(fn)) {
    wrapped = function (this: unknown, ...args: unknown[]): unknown {
      if (new.target === undefined) return invoke(plan, fn, this, args);
      const target = new.target === wrapped ? fn : new.target;
      return invoke(plan, (...a: unknown[]) => Reflect.construct(fn, a, target), undefined, args);
    };
    wrapped.prototype = fn.prototype;
  } else {
    // A method has no `prototype` and throws on `new`, as an arrow, async function or method does.
    wrapped = {
      wrapped(this: unknown, ...args: unknown[]): unknown {
        return invoke(plan, fn, this, args);
      },
    }.wrapped;
  }
  copyFunctionProperties(fn, wrapped);
  if (plan.returnsOwnPromise) markReturnsOwnPromise(wrapped);
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
