/**
 * An SDK adapter following one of the SDKs' emitter-based stream helpers (lib/record/emitting-stream.ts)
 * with its own pure reader of the streamed items.
 */
import type { ActiveCall } from '../../lib/record/active-call.js';
import { followEmittingStream } from '../../lib/record/emitting-stream.js';
import { recordItem, type StreamReader } from './stream-observer.js';

/**
 * @internal When `value` is an SDK stream helper (`messages.stream()`, `chat.completions.stream()`,
 * `responses.stream()`), makes `call` follow it, each raw item read by `read` (content items time the
 * stream and count as tokens), and returns true; false for anything else.
 */
export function observeEmittingStream(value: unknown, call: ActiveCall, read: StreamReader['read']): boolean {
  const reader: StreamReader = { read };
  return followEmittingStream(value, call, (item) => recordItem(call, reader, item));
}
