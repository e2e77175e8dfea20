/**
 * Following an SDK stream helper built on an event emitter: Anthropic's `MessageStream`
 * (`messages.stream()`), OpenAI's `ChatCompletionStream` (`chat.completions.stream()`) and
 * `ResponseStream` (`responses.stream()`). These helpers read the response themselves, whether or not
 * the caller iterates, and report everything through the instance's `_emit(event, ...args)`: one
 * event per raw streamed item (`_rawEvent`, `chunk`, `event`), then `error` or `abort`, then `end`.
 * Shadowing `_emit` on the instance observes every way of consuming the helper (listeners,
 * `finalMessage()` / `finalChatCompletion()`, `for await`, `toReadableStream()`) without adding a
 * listener, so the SDK's unhandled-error behaviour is unchanged.
 *
 * Their async iterator's `return` (an early `break`, a cancelled `toReadableStream()`) calls
 * `abort()`; the instance's `[Symbol.asyncIterator]` is shadowed as well so that ends the call as
 * `cancelled` (the consumer stopped) rather than `aborted` (the caller called `abort()`).
 */
import type { ActiveCall } from '../../lib/record/active-call.js';
import { reportInternalError } from '../../lib/internal/diagnostics.js';
import { recordItem, type StreamReader } from './stream-observer.js';

/** The parts of an emitter-based stream helper used here. */
interface EmittingStream {
  _emit(event: string, ...args: unknown[]): unknown;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  [Symbol.asyncIterator](): AsyncIterator<unknown>;
}

/**
 * @internal Whether `value` is an emitter-based stream helper: an instance `_emit`, `on`, an async
 * iterator, and the helper's own final-result method (`finalMessage`, `finalChatCompletion`,
 * `finalResponse`), which tells the SDKs' helpers apart.
 */
export function isEmittingStream(value: unknown, finalMethod: string): value is EmittingStream {
  const s = value as Partial<EmittingStream> & Record<string, unknown> | null;
  return (
    typeof s?._emit === 'function' &&
    typeof s.on === 'function' &&
    typeof s[Symbol.asyncIterator] === 'function' &&
    typeof s[finalMethod] === 'function'
  );
}

function observeEmit(stream: EmittingStream, call: ActiveCall, itemEvent: string, reader: StreamReader): void {
  const emit = stream._emit;
  Object.defineProperty(stream, '_emit', {
    configurable: true,
    writable: true,
    value: function emitObserved(this: EmittingStream, event: string, ...args: unknown[]): unknown {
      try {
        if (event === itemEvent) recordItem(call, reader, args[0]);
        else if (event === 'error') call.endStream('error', args[0]);
        else if (event === 'abort') call.endStream('aborted', args[0]);
        else if (event === 'end') call.endStream('completed');
      } catch (error) {
        reportInternalError('adapter.event-stream', error);
      }
      return emit.call(this, event, ...args);
    },
  });
}

function observeEarlyReturn(stream: EmittingStream, call: ActiveCall): void {
  const iterate = stream[Symbol.asyncIterator];
  Object.defineProperty(stream, Symbol.asyncIterator, {
    configurable: true,
    writable: true,
    value: function iteratorObserved(this: EmittingStream): AsyncIterator<unknown> {
      const iterator = iterate.call(this);
      const giveUp = iterator.return;
      if (typeof giveUp !== 'function') return iterator;
      try {
        iterator.return = function returnObserved(this: unknown, ...value: [] | [unknown]) {
          call.endStream('cancelled');
          return giveUp.apply(this, value);
        };
      } catch (error) {
        reportInternalError('adapter.event-stream-return', error);
      }
      return iterator;
    },
  });
}

/**
 * @internal Makes `call` follow `stream` to its end: each `itemEvent` is read by `read` (content
 * items time the stream and count as tokens), and the call ends exactly once, on `end` (completed),
 * `error`, `abort` (aborted) or an early return from its async iterator (cancelled).
 * Returns the same object.
 */
export function observeEmittingStream<T extends EmittingStream>(stream: T, call: ActiveCall, itemEvent: string, read: StreamReader['read']): T {
  observeEmit(stream, call, itemEvent, { read });
  observeEarlyReturn(stream, call);
  return stream;
}
