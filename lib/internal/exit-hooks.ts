/**
 * Flushing pending telemetry when the process ends. Components register an async flush; on
 * `beforeExit`, `SIGTERM` and `SIGINT` every registered flush runs (bounded by a timeout), and then
 * the signal takes its normal course: when no one else listens for it, the process is killed by the
 * same signal again (so the exit code is what it would have been); when the user has their own
 * handlers, they run and decide. Listeners are installed on first registration, never at import.
 */
import { reportInternalError } from './diagnostics.js';

/** A flush to run before the process exits. */
export type ExitFlush = () => Promise<void>;

/** Longest time exit handling waits for all flushes. */
export const EXIT_FLUSH_TIMEOUT_MS = 5_000;

const flushes = new Map<symbol, { name: string; flush: ExitFlush }>();
const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
let installed = false;
let running: Promise<void> | undefined;

/** Runs every registered flush once, concurrently, bounded by EXIT_FLUSH_TIMEOUT_MS. Never rejects. */
export function flushAllForExit(): Promise<void> {
  running ??= (async () => {
    const all = Promise.allSettled(
      [...flushes.values()].map(async ({ name, flush }) => {
        try {
          await flush();
        } catch (error) {
          reportInternalError(`exit.flush:${name}`, error);
        }
      }),
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, EXIT_FLUSH_TIMEOUT_MS);
      timer.unref();
    });
    await Promise.race([all, timeout]);
    clearTimeout(timer);
  })().finally(() => {
    running = undefined;
  });
  return running;
}

function onBeforeExit(): void {
  // beforeExit fires again if the flush scheduled more work; flushes are idempotent when empty.
  if (flushes.size > 0) void flushAllForExit();
}

function onSignal(signal: NodeJS.Signals): void {
  // Counted now, not after the flush: a user's `process.once` handler has removed itself by then.
  // onSignal is prepended, so handlers registered before it are still listed here too.
  const others = process.listeners(signal).filter((l) => l !== onSignal).length;
  void flushAllForExit().then(() => {
    if (others > 0) return; // the user's handlers own this signal's outcome
    uninstall();
    process.kill(process.pid, signal);
  });
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('beforeExit', onBeforeExit);
  for (const signal of SIGNALS) process.prependListener(signal, onSignal);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off('beforeExit', onBeforeExit);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

/**
 * Registers `flush` to run at exit (beforeExit, SIGTERM, SIGINT). Returns the function that
 * unregisters it; the process listeners go away with the last registration.
 */
export function onExit(name: string, flush: ExitFlush): () => void {
  const key = Symbol(name);
  flushes.set(key, { name, flush });
  install();
  return () => {
    flushes.delete(key);
    if (flushes.size === 0) uninstall();
  };
}
