/**
 * Streams returned by a traced call and never read to their end through their iterator: a Node
 * `Readable` consumed with `pipe()` or `'data'` events (its end is seen through its `end` and
 * `close` events instead), a stream the traced function read itself before returning it, a result
 * whose async iterator the caller never uses. Their span must not stay open for good, lost from the
 * store: it ends as `unfinished` (as of its last chunk, or of its return when none was read) when the
 * stream is garbage-collected, and at exit or `shutdown()` for those still held (through the
 * deferred ends, before the sinks' last flush). Registration holds the call, never the stream.
 */
import type { ActiveCall } from './active-call.js';
import { deferEnd } from './deferred-ends.js';

/** Ends the call of a stream that was collected before its call ended. */
const collected = new FinalizationRegistry<{ call: ActiveCall; returnedAt: number }>(({ call, returnedAt }) => call.endUnfinished(returnedAt));

/** The parts of a Node `Readable` read here. */
interface NodeReadable {
  once(event: string, listener: () => void): unknown;
  pipe(...args: unknown[]): unknown;
  read(...args: unknown[]): unknown;
  readonly errored?: unknown;
}

/** Whether `value` looks like a Node `Readable` (`once`, `pipe`, `read`). Never throws. */
function isNodeReadable(value: object): value is NodeReadable {
  try {
    const r = value as Partial<NodeReadable>;
    return typeof r.once === 'function' && typeof r.pipe === 'function' && typeof r.read === 'function';
  } catch {
    return false;
  }
}

/** Ends `call` with the end of a Node `Readable` however it is consumed (`pipe()`, `'data'` events). */
function followReadableEvents(stream: NodeReadable, call: ActiveCall): void {
  // `end` and `close` only: an `error` listener would keep an unhandled stream error from crashing
  // the program, as it does untraced. A stream that errs is closed after it (autoDestroy).
  stream.once('end', () => call.endStream('completed'));
  stream.once('close', () => (stream.errored ? call.endStream('error', stream.errored) : call.endStream('cancelled')));
}

/**
 * Has `call` ended at exit or shutdown if it has not ended by then, and forgets that (and the
 * collection watch `token`) when it ends. Its own function, so that none of the closures it makes
 * shares a scope with the stream: a closure over the stream would keep it from being collected.
 */
function endAtExitUnlessEnded(call: ActiveCall, returnedAt: number, token: object, onEnd: (() => void) | undefined): void {
  const forget = deferEnd(() => call.endUnfinished(returnedAt));
  call.whenEnded(() => {
    collected.unregister(token);
    forget();
    onEnd?.();
  });
}

/**
 * @internal Makes sure `call` ends although `stream` (what the caller holds) may never be read to
 * its end through its iterator. Call once, when the stream is handed to the caller; `onEnd` (which
 * must not hold the stream) runs when the call ends, however it ends.
 */
export function endWhenUnfinished(stream: object, call: ActiveCall, onEnd?: () => void): void {
  const returnedAt = Date.now();
  if (isNodeReadable(stream)) followReadableEvents(stream, call);
  const token = {};
  collected.register(stream, { call, returnedAt }, token);
  endAtExitUnlessEnded(call, returnedAt, token, onEnd);
}
