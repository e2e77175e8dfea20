/**
 * Following an SDK stream as the caller reads it. `observeIterator` wraps one async iterator: each
 * item is read by the adapter's pure chunk reader (content chunks time the stream and count as
 * tokens; usage-only chunks add facts without counting), and the call ends exactly once: completed,
 * aborted (the stream's signal was aborted), cancelled (the caller broke out early) or error.
 * Nothing is read that the caller did not ask for.
 */
import type { ActiveCall } from '../../lib/record/active-call.js';
import type { ChunkReading } from '../../lib/extract/stream-events.js';
import { reportInternalError } from '../../lib/internal/diagnostics.js';
import { isAbortError } from '../../lib/record/abort-error.js';

export type { ChunkReading } from '../../lib/extract/stream-events.js';

/** @internal How to read one SDK's stream. */
export interface StreamReader {
  /** Reads one item. Must not throw on foreign input. */
  read(item: unknown): ChunkReading;
  /** The abort reason when the stream was aborted by its controller, else undefined. */
  abortReason?(): unknown;
}

type Step = IteratorResult<unknown>;

/** An Error named AbortError, for streams aborted without a reason. */
function abortError(): Error {
  const error = new Error('The stream was aborted');
  error.name = 'AbortError';
  return error;
}


function abortReasonOf(reader: StreamReader): unknown {
  try {
    return reader.abortReason?.();
  } catch (error) {
    reportInternalError('adapter.abort-reason', error);
    return undefined;
  }
}

/** @internal Records one streamed item on `call`. Never throws. */
export function recordItem(call: ActiveCall, reader: StreamReader, item: unknown): void {
  try {
    const reading = reader.read(item);
    call.streamResult(reading.result);
    if (reading.content) call.chunk(item);
  } catch (error) {
    reportInternalError('adapter.chunk', error);
  }
}

function endDone(call: ActiveCall, reader: StreamReader): void {
  const reason = abortReasonOf(reader);
  if (reason === undefined) call.endStream('completed');
  else call.endStream('aborted', isAbortError(reason) ? reason : abortError());
}

/** @internal Wraps `inner` so `call` follows what the caller reads from it. */
export function observeIterator(inner: AsyncIterator<unknown>, call: ActiveCall, reader: StreamReader): AsyncIterableIterator<unknown> {
  const failed = (error: unknown): never => {
    call.endStream(isAbortError(error) ? 'aborted' : 'error', error);
    throw error;
  };
  const observed: AsyncIterableIterator<unknown> = {
    next(...arg: [] | [unknown]): Promise<Step> {
      return inner.next(...arg).then((step) => {
        if (step.done) endDone(call, reader);
        else recordItem(call, reader, step.value);
        return step;
      }, failed);
    },
    return(value?: unknown): Promise<Step> {
      if (!inner.return) {
        call.endStream('cancelled');
        return Promise.resolve({ done: true, value } as Step);
      }
      return inner.return(value).then((step) => {
        call.endStream('cancelled');
        return step;
      }, failed);
    },
    throw(error?: unknown): Promise<Step> {
      if (!inner.throw) return Promise.reject(error);
      return inner.throw(error).then((step) => {
        if (step.done) call.endStream('cancelled');
        return step;
      }, failed);
    },
    [Symbol.asyncIterator]() {
      return observed;
    },
  };
  return observed;
}

/** The shape of a Stainless SDK `Stream` (OpenAI's and Anthropic's) this module relies on. */
interface StainlessStream {
  iterator: () => AsyncIterator<unknown>;
  controller: AbortController;
}

/** @internal Whether `value` is a Stainless SDK `Stream` (an `iterator` factory and an AbortController). */
export function isStainlessStream(value: unknown): value is StainlessStream {
  const s = value as Partial<StainlessStream> | null;
  return (
    typeof s?.iterator === 'function' &&
    typeof (s as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function' &&
    typeof s.controller?.signal?.aborted === 'boolean'
  );
}

/**
 * @internal Follows a Stainless `Stream`. Its `[Symbol.asyncIterator]`, `tee()` and
 * `toReadableStream()` all read through the instance's `iterator` property, so shadowing that one
 * function until its first use follows every way of consuming it; the property is put back as it was
 * when iteration starts. Returns the same object.
 */
export function observeStainlessStream<T extends StainlessStream>(stream: T, call: ActiveCall, read: StreamReader['read']): T {
  const factory = stream.iterator;
  const reader: StreamReader = {
    read,
    abortReason: () => (stream.controller.signal.aborted ? (stream.controller.signal.reason ?? abortError()) : undefined),
  };
  const own = Object.getOwnPropertyDescriptor(stream, 'iterator');
  Object.defineProperty(stream, 'iterator', {
    configurable: true,
    writable: true,
    enumerable: own?.enumerable ?? false,
    value: function observedIterator(this: unknown): AsyncIterator<unknown> {
      // Only the first iteration is followed; from then on the stream is exactly as it was.
      if (own) Object.defineProperty(stream, 'iterator', own);
      else delete (stream as { iterator?: unknown }).iterator;
      return observeIterator(factory.call(this), call, reader);
    },
  });
  return stream;
}
