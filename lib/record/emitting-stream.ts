/**
 * Following an SDK stream helper built on an event emitter, whether an SDK adapter made it or a
 * `traced(fn)` returned it: Anthropic's `MessageStream`
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
import type { ActiveCall } from './active-call.js';
import { reportInternalError } from '../internal/diagnostics.js';

/** The parts of an emitter-based stream helper used here. */
interface EmittingStream {
  _emit(event: string, ...args: unknown[]): unknown;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  [Symbol.asyncIterator](): AsyncIterator<unknown>;
}

/**
 * Whether `value` is an emitter-based stream helper: an instance `_emit`, `on`, an async iterator,
 * and the helper's own final-result method (`finalMessage`, `finalChatCompletion`, `finalResponse`),
 * which tells the SDKs' helpers apart.
 */
function isEmittingStream(value: unknown, finalMethod: string): value is EmittingStream {
  const s = value as Partial<EmittingStream> & Record<string, unknown> | null;
  return (
    typeof s?._emit === 'function' &&
    typeof s.on === 'function' &&
    typeof s[Symbol.asyncIterator] === 'function' &&
    typeof s[finalMethod] === 'function'
  );
}

/**
 * The helpers by their final-result method, with the event that reports each raw streamed item.
 * OpenAI's chat helpers have a `finalMessage` too: they are told apart first.
 */
const ITEM_EVENT_BY_FINAL_METHOD: readonly (readonly [finalMethod: string, itemEvent: string])[] = [
  ['finalChatCompletion', 'chunk'], // OpenAI's ChatCompletionStream: chat completion chunks
  ['finalResponse', 'event'], // OpenAI's ResponseStream: Responses stream events
  ['finalMessage', '_rawEvent'], // Anthropic's MessageStream: the raw Messages stream events
];

/**
 * The event that reports each raw item of `value` when it is one of the SDKs' emitter-based stream
 * helpers, else undefined. Never throws.
 */
function emittingStreamItemEvent(value: unknown): string | undefined {
  try {
    for (const [finalMethod, itemEvent] of ITEM_EVENT_BY_FINAL_METHOD) {
      if (isEmittingStream(value, finalMethod)) return itemEvent;
    }
  } catch {
    // A Proxy whose traps throw: not a helper we can follow.
  }
  return undefined;
}

function observeEmit(stream: EmittingStream, call: ActiveCall, itemEvent: string, onItem: (item: unknown) => void): void {
  const emit = stream._emit;
  Object.defineProperty(stream, '_emit', {
    configurable: true,
    writable: true,
    value: function emitObserved(this: EmittingStream, event: string, ...args: unknown[]): unknown {
      try {
        if (event === itemEvent) onItem(args[0]);
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
 * @internal When `value` is one of the SDKs' emitter-based stream helpers, makes `call` follow it to
 * its end and returns true: each raw streamed item goes to `onItem` (which records it on the call),
 * and the call ends exactly once, on `end` (completed), `error`, `abort` (aborted) or an early return
 * from its async iterator (cancelled). Returns false, changing nothing, for anything else.
 */
export function followEmittingStream(value: unknown, call: ActiveCall, onItem: (item: unknown) => void): boolean {
  const itemEvent = emittingStreamItemEvent(value);
  if (itemEvent === undefined) return false;
  observeEmit(value as EmittingStream, call, itemEvent, onItem);
  observeEarlyReturn(value as EmittingStream, call);
  return true;
}
