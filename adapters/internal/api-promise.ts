/**
 * Following a Stainless SDK promise (OpenAI's and Anthropic's `APIPromise`) without changing it.
 * Its `then` parses the response body, so attaching our own `then` would read a body the caller may
 * want raw (`.asResponse()`). Instead the instance's `parse` (which `then`, `catch`, `finally` and
 * `.withResponse()` all go through) and `asResponse` are shadowed by non-enumerable own observers,
 * each removed when the caller first uses it (a first `parse` removes both; an own property the
 * instance had is put back), so once consumed the object is as it was. The span ends with the parsed value when the caller
 * parses, or at the response when only `.asResponse()` is used. A promise nobody consumes leaves its
 * span open (nothing was read, so nothing is known).
 */
import type { ActiveCall } from '../../lib/record/active-call.js';
import { GenAI } from '../../lib/attributes.js';
import type { RecorderHooks } from '../../lib/record/call-plan.js';
import { reportInternalError } from '../../lib/internal/diagnostics.js';
import { settleValue } from '../../lib/record/result-tracking.js';

/** The parts of a Stainless `APIPromise` this module uses. */
interface StainlessPromise {
  responsePromise: PromiseLike<unknown>;
  parse(): Promise<unknown>;
  asResponse(): Promise<{ status?: number }>;
}

/**
 * Notes the own descriptor of `key` on `target` and returns a function that puts it back (or removes
 * the shadow where there was none), once.
 */
function shadow(target: object, key: string): () => void {
  const own = Object.getOwnPropertyDescriptor(target, key);
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    if (own) Object.defineProperty(target, key, own);
    else delete (target as Record<string, unknown>)[key];
  };
}

function isStainlessPromise(value: unknown): value is StainlessPromise {
  const p = value as Partial<StainlessPromise> | null;
  return (
    typeof p?.parse === 'function' &&
    typeof p.asResponse === 'function' &&
    typeof (p.responsePromise as PromiseLike<unknown> | undefined)?.then === 'function'
  );
}

/**
 * @internal Takes over ending `call` for an `APIPromise` (returns false for any other thenable, which
 * the core then follows as usual). `hooks.adoptResult` still sees the parsed value (a stream, say).
 */
export function adoptStainlessPromise(value: PromiseLike<unknown>, call: ActiveCall, hooks: RecorderHooks): boolean {
  if (!isStainlessPromise(value)) return false;
  const parse = value.parse;
  const asResponse = value.asResponse;
  const restoreParse = shadow(value, 'parse');
  const restoreAsResponse = shadow(value, 'asResponse');
  let parsing = false;
  Object.defineProperty(value, 'parse', {
    configurable: true,
    writable: true,
    value: function parseObserved(this: StainlessPromise): Promise<unknown> {
      restoreParse();
      restoreAsResponse();
      const parsed = parse.call(this);
      parsing = true;
      parsed.then(
        (result) => settleValue(call, result, hooks, false),
        (error: unknown) => call.fail(error),
      );
      return parsed;
    },
  });
  Object.defineProperty(value, 'asResponse', {
    configurable: true,
    writable: true,
    value: function asResponseObserved(this: StainlessPromise): Promise<unknown> {
      restoreAsResponse(); // `parse` stays observed: a caller may still parse after reading the response
      const response = asResponse.call(this);
      response.then(
        (raw) => {
          if (parsing) return;
          try {
            if (typeof raw?.status === 'number') call.span.setAttribute(GenAI.HTTP_STATUS_CODE, raw.status);
          } catch (error) {
            reportInternalError('adapter.as-response', error);
          }
          call.succeed(undefined, {});
        },
        (error: unknown) => {
          if (!parsing) call.fail(error);
        },
      );
      return response;
    },
  });
  return true;
}
