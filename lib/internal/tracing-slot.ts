/**
 * The one running `startTracing()` of the process. A second call while one runs is refused, so no
 * span is ever batched to the same file store twice. The slot is a global keyed by a versioned
 * `Symbol.for`, like the process-wide state, so two copies of llmtrace (ESM and CommonJS, two
 * bundles) refuse each other too.
 */

const SLOT = Symbol.for('llmtrace.startTracing.v1');
type GlobalWithSlot = typeof globalThis & { [SLOT]?: { readonly since: string } };

/**
 * @internal Claims the slot for a new `startTracing()`; returns the function that frees it (at
 * shutdown, or when starting failed). Throws an Error when a `startTracing()` is already running.
 */
export function claimTracingSlot(): () => void {
  const g = globalThis as GlobalWithSlot;
  const running = g[SLOT];
  if (running) {
    throw new Error(
      `llmtrace: startTracing() is already running in this process (since ${running.since}); ` +
        'use the handle it returned, or await handle.shutdown() before starting again',
    );
  }
  const claim = { since: new Date().toISOString() };
  g[SLOT] = claim;
  return () => {
    if (g[SLOT] === claim) delete g[SLOT];
  };
}
