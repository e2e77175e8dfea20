/**
 * Whether an error is an abort: what a stream or request throws when its caller aborted it
 * (`AbortController.abort()`, an SDK's `controller.abort()`). Told by name, not by class: the
 * DOMException an aborted fetch throws may come from another realm than this one's `Error`.
 */

/** @internal Whether `error` is an abort error (`name: 'AbortError'`, or a class named like one). Never throws. */
export function isAbortError(error: unknown): boolean {
  try {
    if (error === null || typeof error !== 'object') return false;
    return (error as { name?: unknown }).name === 'AbortError' || /Abort/.test((error as object).constructor?.name ?? '');
  } catch {
    return false; // a hostile getter
  }
}
