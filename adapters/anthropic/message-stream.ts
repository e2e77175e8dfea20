/**
 * Following an Anthropic `MessageStream` (what `messages.stream()` returns). The SDK reads the
 * response itself, whether or not the caller iterates, and reports everything through the
 * instance's `_emit` (`_rawEvent` per SSE event, then `error` / `abort` / `end`). Shadowing `_emit` on
 * the instance observes every way of consuming it (`for await`, `.on('text')`, `finalMessage()`,
 * `toReadableStream()`) without adding listeners, so the SDK's unhandled-error behaviour is unchanged.
 */
import type { ActiveCall } from '../../lib/active-call.js';
import { reportInternalError } from '../../lib/internal/diagnostics.js';
import { recordItem, type StreamReader } from '../internal/stream-observer.js';
import { readAnthropicEvent } from './parse.js';

/** The parts of a `MessageStream` used here. */
interface MessageStreamLike {
  _emit(event: string, ...args: unknown[]): unknown;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  finalMessage(): Promise<unknown>;
}

/** @internal Whether `value` looks like an Anthropic `MessageStream`. */
export function isMessageStream(value: unknown): value is MessageStreamLike {
  const s = value as Partial<MessageStreamLike> | null;
  return typeof s?._emit === 'function' && typeof s.on === 'function' && typeof s.finalMessage === 'function';
}

const reader: StreamReader = { read: readAnthropicEvent };

/** @internal Makes `call` follow `stream` to its end. Returns the same object. */
export function observeMessageStream<T extends MessageStreamLike>(stream: T, call: ActiveCall): T {
  const emit = stream._emit;
  Object.defineProperty(stream, '_emit', {
    configurable: true,
    writable: true,
    value: function emitObserved(this: T, event: string, ...args: unknown[]): unknown {
      try {
        if (event === '_rawEvent') recordItem(call, reader, args[0]);
        else if (event === 'error') call.endStream('error', args[0]);
        else if (event === 'abort') call.endStream('aborted', args[0]);
        else if (event === 'end') call.endStream('completed');
      } catch (error) {
        reportInternalError('adapter.message-stream', error);
      }
      return emit.call(this, event, ...args);
    },
  });
  return stream;
}
