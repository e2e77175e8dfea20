/**
 * An SDK adapter following one of the SDKs' emitter-based stream helpers (lib/record/emitting-stream.ts)
 * with its own pure reader of the streamed items.
 */
import type { ActiveCall } from '../../lib/record/active-call.js';
import { observeEmittingStream as follow, type EmittingStream } from '../../lib/record/emitting-stream.js';
import { recordItem, type StreamReader } from './stream-observer.js';

export { isEmittingStream } from '../../lib/record/emitting-stream.js';

/**
 * @internal Makes `call` follow `stream` to its end, each `itemEvent` read by `read` (content items
 * time the stream and count as tokens). Returns the same object.
 */
export function observeEmittingStream<T extends EmittingStream>(stream: T, call: ActiveCall, itemEvent: string, read: StreamReader['read']): T {
  const reader: StreamReader = { read };
  return follow(stream, call, itemEvent, (item) => recordItem(call, reader, item));
}
