/**
 * Keeping a call's span open while its result is iterated, without changing the object the caller
 * holds. A returned generator is handed back as a follower: a real generator of the same prototype
 * (so `instanceof`, `Object.prototype.toString` and methods added to the generator function's
 * prototype behave the same) that delegates every step, `return` and `throw` with `yield*`, so the
 * iterator protocol is exactly the generator's; each step runs inside the call's span. Other async
 * iterables (SDK streams) keep their identity: a non-enumerable own `[Symbol.asyncIterator]` notes
 * when iteration starts and removes itself at once, leaving the object as it was; the iterator it
 * returns has `throw` exactly when the stream's own iterator has it (and always `return`). Nothing is read until
 * the caller reads it. The span ends when iteration completes, throws, or the consumer stops early;
 * one never read to its end that way ends all the same (unfinished-streams.ts).
 */
import { types } from 'node:util';
import type { ActiveCall } from './active-call.js';
import { applyInSpan, runWithSpan } from '../context.js';
import { endWhenUnfinished } from './unfinished-streams.js';
import { isAbortError } from './abort-error.js';

/** Objects already followed (a follower, or an iterable an outer call returns again). */
const tracked = new WeakSet<object>();

type Step = IteratorResult<unknown>;


/** What kind of iterable `value` is, as far as tracing cares. Never throws (a hostile value is none). */
export function iterableKind(value: unknown): 'generator' | 'async-generator' | 'async-iterable' | undefined {
  if (value === null || typeof value !== 'object' || tracked.has(value)) return undefined;
  try {
    if (types.isGeneratorObject(value)) {
      // The tag comes from the generator's prototype chain: a real generator either way.
      return Object.prototype.toString.call(value) === '[object AsyncGenerator]' ? 'async-generator' : 'generator';
    }
    if (typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
      if (typeof ReadableStream !== 'undefined' && value instanceof ReadableStream) return undefined;
      return 'async-iterable';
    }
  } catch {
    // A Proxy whose traps throw, a revoked Proxy: returned as it is, nothing followed.
  }
  return undefined;
}

/** Runs one sync step of `inner` inside the call's span and records it. */
function syncStep(inner: Generator, call: ActiveCall, method: 'next' | 'return' | 'throw', arg: unknown): Step {
  let step: Step;
  try {
    step = runWithSpan(call.span, () => inner[method](arg as never));
  } catch (error) {
    call.endStream('error', error);
    throw error;
  }
  if (step.done) call.endStream(method === 'next' ? 'completed' : 'cancelled');
  else call.chunk(step.value);
  return step;
}

/**
 * Records one async step (the promise a `next`/`return`/`throw` gives). `abortReason` says why the
 * stream was aborted when it was (an SDK stream whose controller was aborted ends as if done).
 */
function observeAsync(
  promise: PromiseLike<Step>,
  call: ActiveCall,
  method: 'next' | 'return' | 'throw',
  abortReason?: () => unknown,
): Promise<Step> {
  return Promise.resolve(promise).then(
    (step) => {
      if (step.done) {
        const reason = method === 'next' ? abortReason?.() : undefined;
        if (reason !== undefined) call.endStream('aborted', reason);
        else call.endStream(method === 'next' ? 'completed' : 'cancelled');
      } else call.chunk(step.value);
      return step;
    },
    (error: unknown) => {
      call.endStream(isAbortError(error) ? 'aborted' : 'error', error);
      throw error;
    },
  );
}

/**
 * The follower's body. It is started once before the caller gets it and waits at the first `yield`,
 * so a `return()` or `throw()` before any `next()` reaches the generator (and ends the span) just as
 * it would untraced; from the first `next()` on, `yield*` forwards every step.
 */
function* followSync(inner: Generator, call: ActiveCall): Generator<unknown, unknown, unknown> {
  let started = false;
  try {
    yield undefined;
    started = true;
  } catch (error) {
    started = true;
    return syncStep(inner, call, 'throw', error).value; // throws the same error for a fresh generator
  } finally {
    if (!started) syncStep(inner, call, 'return', undefined);
  }
  return yield* {
    next: (value: unknown) => syncStep(inner, call, 'next', value),
    return: (value: unknown) => syncStep(inner, call, 'return', value),
    throw: (error: unknown) => syncStep(inner, call, 'throw', error),
    [Symbol.iterator]() {
      return this;
    },
  } as Iterator<unknown> & Iterable<unknown>;
}

/** The async follower's body: as `followSync`, for async generators. */
async function* followAsync(inner: AsyncGenerator, call: ActiveCall): AsyncGenerator<unknown, unknown, unknown> {
  let started = false;
  try {
    yield undefined;
    started = true;
  } catch (error) {
    started = true;
    return (await observeAsync(runWithSpan(call.span, () => inner.throw(error)), call, 'throw')).value;
  } finally {
    if (!started) await observeAsync(runWithSpan(call.span, () => inner.return(undefined)), call, 'return');
  }
  // `next` is the step taken for every chunk: its handlers are made once per stream, and the step
  // runs in the span through AsyncLocalStorage.run's own arguments, with no closure per chunk
  // (benchmarks/stream-chunks.ts).
  const onStep = (step: Step): Step => {
    if (step.done) call.endStream('completed');
    else call.chunk(step.value);
    return step;
  };
  const onError = (error: unknown): never => {
    call.endStream(isAbortError(error) ? 'aborted' : 'error', error);
    throw error;
  };
  const next = inner.next;
  return yield* {
    next: (value: unknown) => (applyInSpan(call.span, next, inner, [value]) as Promise<Step>).then(onStep, onError),
    return: (value: unknown) => observeAsync(runWithSpan(call.span, () => inner.return(value)), call, 'return'),
    throw: (error: unknown) => observeAsync(runWithSpan(call.span, () => inner.throw(error)), call, 'throw'),
    [Symbol.asyncIterator]() {
      return this;
    },
  } as AsyncIterator<unknown> & AsyncIterable<unknown>;
}

/**
 * Returns a generator that follows `generator` for `call` (see the module comment). The caller gets
 * it instead of `generator`; `generator` itself is never modified.
 */
export function trackGenerator(generator: Generator | AsyncGenerator, call: ActiveCall, isAsync: boolean): object {
  const follower = isAsync ? followAsync(generator as AsyncGenerator, call) : followSync(generator as Generator, call);
  const primed = follower.next(); // runs up to the first `yield`; the generator is not touched yet
  if (isAsync) (primed as Promise<unknown>).catch(() => undefined);
  Object.setPrototypeOf(follower, Object.getPrototypeOf(generator) as object);
  tracked.add(follower);
  endWhenUnfinished(follower, call);
  return follower;
}

/**
 * Why `iterable` was aborted, when it is an SDK stream (`controller: AbortController`, as the
 * Stainless SDKs' `Stream` has) whose controller was aborted; else undefined. Never throws.
 */
function abortReasonOf(iterable: object): unknown {
  try {
    const signal = (iterable as { controller?: { signal?: AbortSignal } }).controller?.signal;
    if (!signal?.aborted) return undefined;
    if (signal.reason !== undefined) return signal.reason;
    const error = new Error('The stream was aborted');
    error.name = 'AbortError';
    return error;
  } catch {
    return undefined; // a hostile getter: not an SDK stream
  }
}

/** An iterator over `inner` (from `iterable`) that records each step on `call`; it has `throw` only where `inner` has it. */
function observeIterator(inner: AsyncIterator<unknown>, call: ActiveCall, iterable: object): AsyncIterator<unknown> {
  const aborted = (): unknown => abortReasonOf(iterable);
  const observed: AsyncIterator<unknown> & AsyncIterable<unknown> = {
    next: (...arg: [] | [unknown]) => observeAsync(inner.next(...arg), call, 'next', aborted),
    [Symbol.asyncIterator]() {
      return observed;
    },
  };
  // `return` is always there: it is how a consumer that stops early (a `break`) is noticed. On an
  // iterator that has none it only ends the span, as `for await` expects of it.
  observed.return =
    typeof inner.return === 'function'
      ? (value?: unknown) => observeAsync(inner.return!(value), call, 'return')
      : (value?: unknown) => (call.endStream('cancelled'), Promise.resolve({ done: true, value } as Step));
  if (typeof inner.throw === 'function') {
    observed.throw = (error?: unknown) => observeAsync(inner.throw!(error), call, 'throw');
  }
  return observed;
}

/**
 * The property a consumer of `iterable` reads it through. A Stainless SDK stream (OpenAI's,
 * Anthropic's: an own `iterator` factory beside an AbortController) is read through that factory by
 * `[Symbol.asyncIterator]`, `tee()` and `toReadableStream()` alike, so following the factory follows
 * each of them; anything else is read through `[Symbol.asyncIterator]`. Never throws.
 */
function readThrough(iterable: object): 'iterator' | typeof Symbol.asyncIterator {
  try {
    const own = Object.getOwnPropertyDescriptor(iterable, 'iterator');
    const controller = (iterable as { controller?: { signal?: AbortSignal } }).controller;
    if (typeof own?.value === 'function' && typeof controller?.signal?.aborted === 'boolean') return 'iterator';
  } catch {
    // a hostile getter or proxy: read it as any other iterable
  }
  return Symbol.asyncIterator;
}

/** The stand-ins `trackAsyncIterable` put on iterables (to tell them from a property set since). */
const standIns = new WeakSet<Function>();

/** Puts `own` back as `iterable`'s property `key` (or deletes the stand-in when it had none). */
function restoreProperty(iterable: object, key: PropertyKey, own: PropertyDescriptor | undefined): void {
  if (own) Object.defineProperty(iterable, key, own);
  else delete (iterable as Record<PropertyKey, unknown>)[key];
}

/**
 * Removes the stand-in from an iterable whose call ended without iterating it (a Readable piped to
 * its end, a stream dropped or outlived): through a WeakRef, so the call never keeps it alive, and
 * only while the property is still the stand-in. Never throws.
 */
function removeStandInWhenEnded(iterable: object, key: PropertyKey, own: PropertyDescriptor | undefined): () => void {
  const ref = new WeakRef(iterable);
  return () => {
    try {
      const target = ref.deref();
      const now = target && Object.getOwnPropertyDescriptor(target, key);
      if (target && typeof now?.value === 'function' && standIns.has(now.value as Function)) restoreProperty(target, key, own);
    } catch {
      // a Proxy whose traps throw: leave it
    }
  };
}

/**
 * Follows an async iterable for `call` without keeping any change on it: a non-enumerable own
 * property stands in for the one it is read through (`readThrough`) until iteration starts, then
 * removes itself (restoring an own one the object had); when the call ends another way, it is
 * removed then. Returns false, changing nothing, for an object that cannot take it (frozen).
 */
export function trackAsyncIterable(iterable: object, call: ActiveCall): boolean {
  const key = readThrough(iterable);
  const own = Object.getOwnPropertyDescriptor(iterable, key);
  if ((own && !own.configurable) || !Object.isExtensible(iterable)) return false;
  const original = (iterable as Record<PropertyKey, () => AsyncIterator<unknown>>)[key]!;
  tracked.add(iterable);
  const standIn = function (this: unknown): AsyncIterator<unknown> {
    restoreProperty(iterable, key, own);
    return observeIterator(original.call(this), call, iterable);
  };
  standIns.add(standIn);
  Object.defineProperty(iterable, key, { configurable: true, writable: true, enumerable: own?.enumerable ?? false, value: standIn });
  endWhenUnfinished(iterable, call, removeStandInWhenEnded(iterable, key, own));
  return true;
}
