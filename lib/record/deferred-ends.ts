/**
 * Calls whose end an adapter defers past their last event: the AI SDK middleware holds a failed
 * attempt's span open for the retry the AI SDK may make, and ends it with its error only when no
 * retry came within the AI SDK's wait. A span held so must not be lost when the program ends or
 * tracing shuts down first: every deferred end runs at once then (at exit, before the sinks'
 * flushes; at `startTracing().shutdown()`, before the sinks close), with the time the adapter says
 * the call ended, so the span is stored as if it had ended on time. Streams never read to their end
 * are ended the same way (unfinished-streams.ts).
 */
import { reportInternalError } from '../internal/diagnostics.js';
import { hasExitFlushes, onExit } from '../internal/exit-hooks.js';

const deferred = new Set<() => void>();
/** Removes the exit hook: installed only while an end is deferred (and a sink writes at exit), so no listener outlives the holds. */
let removeExitHook: (() => void) | undefined;

/**
 * @internal Registers `end` (which ends a held call) to run at exit or shutdown if nothing ran it
 * before. Returns a function that forgets it (the adapter ended or resumed the call itself).
 */
export function deferEnd(end: () => void): () => void {
  deferred.add(end);
  hookDeferredEnds();
  return () => forget(end);
}

/**
 * @internal Hooks the deferred ends into exit handling while some are pending: registered after the
 * sinks' hooks, so it runs first (startTracing calls it again with `renew` once its sinks are
 * registered, for ends deferred before); and only when a sink writes at exit: with none, ending a
 * call then would record it nowhere, and the hook's process listeners (installed and removed with
 * each held call) would cost each call. Not on a signal the program's own handler takes
 * (`ending: false`): it may go on and read its streams.
 */
export function hookDeferredEnds(renew = false): void {
  if (deferred.size === 0 || !hasExitFlushes()) return;
  if (removeExitHook !== undefined) {
    if (!renew) return;
    removeExitHook(); // registered again below, after the sinks registered since, so it still runs first
  }
  removeExitHook = onExit('deferred-ends', async ({ ending }) => (ending ? endDeferredCalls() : undefined), endDeferredCalls);
}

function forget(end: () => void): void {
  deferred.delete(end);
  if (deferred.size === 0 && removeExitHook) {
    removeExitHook();
    removeExitHook = undefined;
  }
}

/** @internal Runs every deferred end now (each once). Never throws. */
export function endDeferredCalls(): void {
  for (const end of [...deferred]) {
    forget(end);
    try {
      end();
    } catch (error) {
      reportInternalError('record.deferred-end', error);
    }
  }
}
