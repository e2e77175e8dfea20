/**
 * What a traced call returns, followed to its end without changing it. Every read of the user's value
 * is guarded: a Proxy whose traps throw, a revoked Proxy or a `then` getter that throws is returned as
 * it is and ends the span at the return. Thenables, by kind:
 * - a plain native promise returned by an `async` function (made for this call, held by no one else):
 *   the promise derived from it is returned, so a rejection nobody handles still crashes the process
 *   with the same reason, exactly as untraced;
 * - a plain native promise returned by any other function (it may be held elsewhere: a prefetched or
 *   memoised request): the same object, followed as any thenable. Its rejection is handled by the
 *   follower, so the program never crashes on a promise it handled elsewhere; the cost is that a
 *   rejection of it that nobody handles no longer crashes the process either (it is still recorded
 *   as the span's error);
 * - a native Promise subclass (its `then` is `Promise.prototype.then`): the very same object is
 *   returned. It is followed without running its constructor (the derived promise of the observation is
 *   a plain one), and its unhandled-rejection semantics are kept: until the caller attaches a handler, a
 *   non-enumerable own `then` notes that it did (and is removed on first use); a rejection that reaches
 *   no caller's handler is re-raised as an unhandled rejection of the same reason;
 * - any other thenable (an SDK promise with its own `then`, a custom thenable): the same object; its
 *   `then` is called once to follow it, and its rejection is its own business.
 */
import { types } from 'node:util';
import type { ActiveCall } from './active-call.js';
import type { RecorderHooks } from './call-plan.js';
import { reportInternalError } from '../internal/diagnostics.js';
import { followEmittingStream } from './emitting-stream.js';
import { iterableKind, trackAsyncIterable, trackGenerator } from './stream-tracking.js';

type Then = (this: unknown, onFulfilled?: (value: unknown) => unknown, onRejected?: (error: unknown) => unknown) => unknown;

const nativeThen = Promise.prototype.then as unknown as Then;

/** The `then` function of `value` if it is a thenable, else undefined. Never throws. */
export function thenOf(value: unknown): Then | undefined {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return undefined;
  try {
    const then = (value as { then?: unknown }).then;
    return typeof then === 'function' ? (then as Then) : undefined;
  } catch {
    return undefined; // a throwing `then` getter or a revoked Proxy: not something we can follow
  }
}

/**
 * @internal Hands a call's value (sync return or resolved value) to the right ending. Returns what
 * the caller gets: the value itself, or, for a generator when `replace` is true, a generator that
 * follows it (see stream-tracking). With `replace` false (a value the caller receives from a
 * promise we cannot substitute), a generator ends the call at once.
 */
export function settleValue(call: ActiveCall, value: unknown, hooks: RecorderHooks, replace = true): unknown {
  try {
    if (hooks.adoptResult?.(value, call)) return value;
    const kind = iterableKind(value);
    if (kind === 'async-iterable') {
      // An SDK stream helper is read by the SDK whether or not the caller iterates it.
      if (followEmittingStream(value, call, (item) => call.chunk(item))) return value;
      if (trackAsyncIterable(value as object, call)) return value;
    }
    // Only a generator is replaced by a follower; an async iterable that cannot be followed (frozen) is returned as it is.
    if (replace && (kind === 'generator' || kind === 'async-generator')) return trackGenerator(value as Generator, call, kind === 'async-generator');
  } catch (error) {
    reportInternalError('record.settle', error);
  }
  call.succeed(value);
  return value;
}

/**
 * @internal Follows whatever `fn` returned until the call ends, and returns what the caller gets
 * (see the module comment). `ownPromise`: `fn` is an async function (CallPlan.returnsOwnPromise).
 * Never throws.
 */
export function followResult(result: unknown, call: ActiveCall, hooks: RecorderHooks, ownPromise: boolean): unknown {
  const then = thenOf(result);
  if (then === undefined) return settleValue(call, result, hooks);
  const thenable = result as PromiseLike<unknown>;
  try {
    if (hooks.adoptThenable?.(thenable, call)) return result;
    if (then === nativeThen) {
      if (thenable instanceof Promise && thenable.constructor === Promise) {
        if (ownPromise) return followOwnPromise(thenable, call, hooks);
      } else if (thenable instanceof Promise && followPromiseSubclass(thenable, call, hooks)) return result;
    } else if (shims.has(then)) {
      // Returned again by an outer traced call: one observation ends both.
      watches.get(thenable)?.calls.push({ call, hooks });
      return result;
    } else if (ownPromise && types.isPromise(thenable)) {
      // The promise of an async function of another realm (a vm context): derived with its own `then`.
      return followOwnPromise(thenable as Promise<unknown>, call, hooks, then);
    }
    then.call(
      thenable,
      (value: unknown) => settleValue(call, value, hooks, false),
      (error: unknown) => call.fail(error),
    );
  } catch (error) {
    // A thenable whose `then` throws (or a Proxy of a promise) cannot be followed: end the span at the return.
    reportInternalError('record.then', error);
    call.succeed(undefined, {});
  }
  return result;
}

/** The derived promise the caller gets for the plain promise of an async function (`then`: its realm's). */
function followOwnPromise(promise: Promise<unknown>, call: ActiveCall, hooks: RecorderHooks, then: Then = nativeThen): unknown {
  return then.call(
    promise,
    (value: unknown) => settleValue(call, value, hooks),
    (error: unknown) => {
      call.fail(error);
      throw error;
    },
  );
}

/** Per followed subclass promise: the calls it ends, and whether a caller has attached a handler. */
interface Watch {
  readonly calls: { call: ActiveCall; hooks: RecorderHooks }[];
  handled: boolean;
  /** The unhandled rejection re-raised for a rejection that reached no caller's handler. */
  mirror: Promise<unknown> | undefined;
}

const watches = new WeakMap<object, Watch>();

/** The own `then` shims currently on followed subclass promises. */
const shims = new WeakSet<Function>();

function ignore(): void {}

/** Notes that a caller attached a handler: the re-raised rejection (if any) is handled too, and the shim goes. */
function callerHandles(promise: object, watch: Watch): void {
  if (watch.handled) return;
  watch.handled = true;
  if (watch.mirror) nativeThen.call(watch.mirror, undefined, ignore);
  delete (promise as { then?: unknown }).then;
}

/**
 * Follows a native Promise subclass in place (see the module comment). Returns false when it cannot
 * (a frozen promise), so the caller falls back to following it as any thenable.
 */
function followPromiseSubclass(promise: Promise<unknown>, call: ActiveCall, hooks: RecorderHooks): boolean {
  if (!Object.isExtensible(promise) || Object.hasOwn(promise, 'then')) return false;
  const watch: Watch = { calls: [{ call, hooks }], handled: false, mirror: undefined };
  const shim = function then(this: unknown, onFulfilled?: (value: unknown) => unknown, onRejected?: (error: unknown) => unknown): unknown {
    callerHandles(promise, watch);
    return nativeThen.call(this, onFulfilled, onRejected);
  };
  Object.defineProperty(promise, 'then', { configurable: true, writable: true, enumerable: false, value: shim });
  shims.add(shim);
  watches.set(promise, watch);
  const onFulfilled = (value: unknown): void => {
    for (const { call: c, hooks: h } of watch.calls) settleValue(c, value, h, false);
  };
  const onRejected = (error: unknown): void => {
    for (const { call: c } of watch.calls) c.fail(error);
    if (!watch.handled) watch.mirror = Promise.reject(error);
  };
  // The observation's derived promise takes its constructor from `promise.constructor`: seen through
  // Promise.prototype for this one call, so the subclass constructor runs no more often than untraced.
  const proto = Object.getPrototypeOf(promise) as object;
  Object.setPrototypeOf(promise, Promise.prototype);
  try {
    nativeThen.call(promise, onFulfilled, onRejected);
  } finally {
    Object.setPrototypeOf(promise, proto);
  }
  return true;
}
