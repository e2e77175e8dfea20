/**
 * Keeping a call's span open while its result is iterated. Generator objects are patched in place
 * (own `next`/`return`/`throw` that delegate to the originals), so the caller gets the very same
 * object, still a generator, and each step runs inside the call's span. Other async iterables (SDK
 * streams) get their `[Symbol.asyncIterator]` wrapped on the instance; nothing is read until the
 * caller reads it. The span ends when iteration completes, throws, or the consumer stops early.
 */
import type { ActiveCall } from './active-call.js';
import { runWithSpan } from './context.js';

const tracked = new WeakSet<object>();

type Step = IteratorResult<unknown>;
type AnyIterator = Iterator<unknown> & Partial<Pick<Iterator<unknown>, 'return' | 'throw'>>;

/** Realm-independent: the DOMException an aborted fetch throws may come from another realm than `Error`. */
function isAbort(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  return (error as { name?: unknown }).name === 'AbortError' || /Abort/.test((error as object).constructor?.name ?? '');
}

/** What kind of iterable `value` is, as far as tracing cares. */
export function iterableKind(value: unknown): 'generator' | 'async-generator' | 'async-iterable' | undefined {
  if (value === null || typeof value !== 'object' || tracked.has(value)) return undefined;
  const tag = Object.prototype.toString.call(value);
  if (tag === '[object Generator]') return 'generator';
  if (tag === '[object AsyncGenerator]') return 'async-generator';
  if (typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    if (typeof ReadableStream !== 'undefined' && value instanceof ReadableStream) return undefined;
    return 'async-iterable';
  }
  return undefined;
}

/** Observes one sync iterator's steps, ending `call` when iteration ends. */
function observeSync(iterator: AnyIterator, call: ActiveCall, method: 'next' | 'return' | 'throw', arg: unknown[]): Step {
  const original = Object.getPrototypeOf(iterator)[method] as (...a: unknown[]) => Step;
  let step: Step;
  try {
    step = runWithSpan(call.span, () => original.apply(iterator, arg));
  } catch (error) {
    call.endStream('error', error);
    throw error;
  }
  if (step.done) call.endStream(method === 'next' ? 'completed' : 'cancelled');
  else call.chunk(step.value);
  return step;
}

/** Observes one async step (the promise a `next`/`return`/`throw` gives). */
function observeAsync(promise: Promise<Step>, call: ActiveCall, method: 'next' | 'return' | 'throw'): Promise<Step> {
  return promise.then(
    (step) => {
      if (step.done) call.endStream(method === 'next' ? 'completed' : 'cancelled');
      else call.chunk(step.value);
      return step;
    },
    (error: unknown) => {
      call.endStream(isAbort(error) ? 'aborted' : 'error', error);
      throw error;
    },
  );
}

/** Patches a generator object in place so `call` follows its iteration. Returns the same object. */
export function trackGenerator<T extends object>(generator: T, call: ActiveCall, isAsync: boolean): T {
  tracked.add(generator);
  for (const method of ['next', 'return', 'throw'] as const) {
    Object.defineProperty(generator, method, {
      configurable: true,
      writable: true,
      value(...arg: unknown[]) {
        if (!isAsync) return observeSync(generator as AnyIterator, call, method, arg);
        const original = Object.getPrototypeOf(generator)[method] as (...a: unknown[]) => Promise<Step>;
        return observeAsync(runWithSpan(call.span, () => original.apply(generator, arg)), call, method);
      },
    });
  }
  return generator;
}

/**
 * Wraps the instance's `[Symbol.asyncIterator]` so `call` follows the iteration it returns. The
 * object itself, its class and its other methods are untouched. Returns the same object.
 */
export function trackAsyncIterable<T extends object>(iterable: T, call: ActiveCall): T {
  tracked.add(iterable);
  const original = (iterable as AsyncIterable<unknown>)[Symbol.asyncIterator];
  Object.defineProperty(iterable, Symbol.asyncIterator, {
    configurable: true,
    writable: true,
    value(this: unknown) {
      const inner = original.call(this) as AsyncIterator<unknown>;
      const wrapped: AsyncIterableIterator<unknown> = {
        next: (...arg: [] | [unknown]) => observeAsync(inner.next(...arg), call, 'next'),
        return: (value?: unknown) =>
          inner.return
            ? observeAsync(inner.return(value), call, 'return')
            : (call.endStream('cancelled'), Promise.resolve({ done: true, value } as Step)),
        throw: (error?: unknown) =>
          inner.throw
            ? observeAsync(inner.throw(error), call, 'throw')
            : (call.endStream('error', error), Promise.reject(error)),
        [Symbol.asyncIterator]() {
          return wrapped;
        },
      };
      return wrapped;
    },
  });
  return iterable;
}
