/**
 * Writing out pending telemetry whatever ends the process. Components register an async flush and,
 * when they can, a synchronous one:
 *
 * - `beforeExit` (natural end): every async flush runs, newest registration first, one after the
 *   other. The first `beforeExit` starts the process's end: one deadline, EXIT_FLUSH_TIMEOUT_MS
 *   later, bounds every round (`beforeExit` fires again each time the loop runs dry); once it has
 *   passed, no round runs any more and `exitSignals().abandoned` tells network exporters to give up
 *   what they have in flight, so nothing of llmtrace's holds the process open beyond the bound.
 * - `exit` (natural end, `process.exit()` anywhere, an uncaught exception, a crashing unhandled
 *   rejection): only synchronous work can run, so every synchronous flush runs, newest
 *   registration first (a processor registered after its exporter hands its queue over before the
 *   exporter writes).
 * - `uncaughtExceptionMonitor` when no `uncaughtException` handler will keep the process alive: the
 *   synchronous flushes run at once, before any other `exit` listener could fail. The monitor never
 *   changes the crash: Node still prints the error and exits with code 1.
 * - `SIGTERM`/`SIGINT` (unless `setExitSignalHandling(false)`): the async flushes run; then, when no
 *   one else listens for the signal, the synchronous flushes run and the process is killed by the
 *   same signal again (exit status as without llmtrace). When the user has handlers, they run and
 *   decide: the flushes are told the process may go on (`ending: false`), so they write what is
 *   pending but close nothing (a session stays open); if a handler calls `process.exit()`, the
 *   `exit` flushes write what is pending and close. A second signal while flushing kills at once
 *   (after the synchronous flushes).
 *
 * Trade-off of the signal listeners: Node runs a JavaScript signal handler only when the event
 * loop is free, so a program stuck in synchronous code no longer dies at once on SIGTERM/SIGINT; it
 * dies when the code yields. `setExitSignalHandling(false)` (startTracing's `handleSignals: false`)
 * restores Node's default (immediate death) at the cost of what was still queued.
 *
 * Listeners are installed on first registration, never at import, and removed with the last.
 */
import { reportInternalError } from './diagnostics.js';

/** What an async exit flush is told. */
export interface ExitFlushContext {
  /** When exit handling stops waiting for the flushes (epoch ms): work not done by then is given up. */
  readonly deadline: number;
  /**
   * True when the process ends after this flush (a natural end, a signal llmtrace re-raises): close
   * what is open. False when the program's own signal handler decides and the program may go on:
   * write what is pending, close nothing.
   */
  readonly ending: boolean;
}

/** A flush to run before the process exits (beforeExit, signals). */
export type ExitFlush = (context: ExitFlushContext) => Promise<void>;

/** A synchronous last write, run on `exit` (and before a re-raised signal kills the process). */
export type ExitFlushSync = () => void;

/**
 * Longest time exit handling waits for all async flushes: per signal, and at a natural end for
 * every `beforeExit` round together, counted from the first.
 */
export const EXIT_FLUSH_TIMEOUT_MS = 5_000;

/**
 * @internal The `code` of the error a network export under way fails with once exit handling gave
 * up (`exitSignals().abandoned`): the process is exiting, not a fault of llmtrace's.
 */
export const EXIT_ABANDONED_CODE = 'ERR_LLMTRACE_EXIT_ABANDONED';

/** How exit handling tells exporters with network requests that the process is ending. */
export interface ExitSignals {
  /**
   * Aborted at the first `beforeExit` of a natural end: requests from then on are what the exit
   * flush waits for (they may keep the process alive until `abandoned`), and failed connections
   * are not worth retrying.
   */
  readonly ending: AbortSignal;
  /**
   * Aborted when exit handling stops waiting (EXIT_FLUSH_TIMEOUT_MS after `ending`): give up every
   * request in flight and start none, so that nothing holds the process open.
   */
  readonly abandoned: AbortSignal;
}

interface Registration {
  readonly name: string;
  readonly flush: ExitFlush;
  readonly flushSync: ExitFlushSync | undefined;
}

const registrations = new Map<symbol, Registration>();
const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
let installed = false;
let signalsInstalled = false;
let handleSignals = true;
let running: Promise<void> | undefined;
let flushingSync = false;
let pendingSignal: NodeJS.Signals | undefined;
/** Set by the first `beforeExit`: when exit handling stops waiting (epoch ms). Never reset. */
let exitDeadline: number | undefined;
let controllers: { readonly ending: AbortController; readonly abandoned: AbortController } | undefined;

function exitControllers(): { readonly ending: AbortController; readonly abandoned: AbortController } {
  controllers ??= { ending: new AbortController(), abandoned: new AbortController() };
  return controllers;
}

/** The process-wide exit signals (created on first use, never reset). */
export function exitSignals(): ExitSignals {
  const { ending, abandoned } = exitControllers();
  return { ending: ending.signal, abandoned: abandoned.signal };
}

/**
 * Runs every registered async flush once, one after the other, until `deadline` (default:
 * EXIT_FLUSH_TIMEOUT_MS from now); `ending` tells them whether the process ends afterwards
 * (default true). A call while a run is under way joins it. Never rejects.
 */
export function flushAllForExit(deadline = Date.now() + EXIT_FLUSH_TIMEOUT_MS, ending = true): Promise<void> {
  running ??= (async () => {
    // One after the other, newest registration first, as the synchronous flushes: a processor
    // (registered after its exporter) hands its queue over before the exporter flushes and closes
    // what it holds open (a session file's `session_end` must come after the session's last span).
    const context: ExitFlushContext = { deadline, ending };
    const all = (async () => {
      for (const { name, flush } of [...registrations.values()].reverse()) {
        try {
          await flush(context);
        } catch (error) {
          reportInternalError(`exit.flush:${name}`, error);
        }
      }
    })();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
      timer.unref();
    });
    await Promise.race([all, timeout]);
    clearTimeout(timer);
  })().finally(() => {
    running = undefined;
  });
  return running;
}

/**
 * Runs every registered synchronous flush, newest registration first. Repeatable (each run writes
 * what is pending by then); never throws.
 */
export function flushAllSync(): void {
  if (flushingSync) return;
  flushingSync = true;
  try {
    for (const { name, flushSync } of [...registrations.values()].reverse()) {
      if (!flushSync) continue;
      try {
        flushSync();
      } catch (error) {
        reportInternalError(`exit.flush-sync:${name}`, error);
      }
    }
  } finally {
    flushingSync = false;
  }
}

/**
 * Whether llmtrace listens for SIGTERM and SIGINT to flush before the signal takes its course
 * (default true). With false, Node's default applies: the process dies at once, even inside
 * synchronous code, and what was still queued is lost. Takes effect at once.
 */
export function setExitSignalHandling(enabled: boolean): void {
  handleSignals = enabled;
  if (installed) syncSignalListeners();
}

/** Whether the loop was given its one extra turn at the natural end (see onBeforeExit). */
let turnedForSignals = false;

function onBeforeExit(): void {
  // A signal that came during the program's last synchronous stretch is still in the loop's queue:
  // with our listener installed Node would not have died of it, and with nothing left to do the
  // loop would not read it either, so the process would end with 0 instead of by the signal. One
  // more turn (once) lets onSignal run and raise it again.
  if (!turnedForSignals && handleSignals) {
    turnedForSignals = true;
    setImmediate(ignoreTurn);
  }
  // beforeExit fires again each time the loop runs dry (the flush's own requests keep it busy):
  // every round shares the deadline of the first, and none runs once it has passed.
  if (registrations.size === 0) return;
  const deadline = beginExit();
  if (Date.now() < deadline) void flushAllForExit(deadline, true);
}

function ignoreTurn(): void {}

/** Starts the process's end once: sets the deadline, aborts `ending`, arms `abandoned`. Returns the deadline. */
function beginExit(): number {
  if (exitDeadline !== undefined) return exitDeadline;
  exitDeadline = Date.now() + EXIT_FLUSH_TIMEOUT_MS;
  const { ending, abandoned } = exitControllers();
  setTimeout(() => abandoned.abort(), EXIT_FLUSH_TIMEOUT_MS).unref();
  ending.abort();
  return exitDeadline;
}

function onExitEvent(): void {
  flushAllSync();
}

function onUncaughtExceptionMonitor(): void {
  // Only when the exception is fatal: a user's handler may keep the process running, and then the
  // async path goes on as usual.
  if (process.listenerCount('uncaughtException') > 0 || process.hasUncaughtExceptionCaptureCallback()) return;
  flushAllSync();
}

function onSignal(signal: NodeJS.Signals): void {
  // Counted now, not after the flush: a user's `process.once` handler has removed itself by then.
  // onSignal is prepended, so handlers registered before it are still listed here too.
  const others = process.listeners(signal).filter((l) => l !== onSignal).length;
  if (others > 0) {
    // The user's handlers own this signal's outcome: the program may go on, so nothing is closed.
    void flushAllForExit(Date.now() + EXIT_FLUSH_TIMEOUT_MS, false);
    return;
  }
  if (pendingSignal) {
    reRaise(signal); // a second signal while flushing: stop waiting
    return;
  }
  pendingSignal = signal;
  void flushAllForExit().then(() => {
    if (pendingSignal === signal) reRaise(signal); // unless a second signal has done it already
  });
}

/** Writes what is pending synchronously, stops listening for `signal` and kills the process with it. */
function reRaise(signal: NodeJS.Signals): void {
  flushAllSync();
  pendingSignal = undefined;
  for (const s of SIGNALS) process.off(s, onSignal);
  signalsInstalled = false;
  process.kill(process.pid, signal);
}

function syncSignalListeners(): void {
  const want = installed && handleSignals;
  if (want === signalsInstalled) return;
  signalsInstalled = want;
  for (const signal of SIGNALS) {
    if (want) process.prependListener(signal, onSignal);
    else process.off(signal, onSignal);
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('beforeExit', onBeforeExit);
  process.on('exit', onExitEvent);
  process.on('uncaughtExceptionMonitor', onUncaughtExceptionMonitor);
  syncSignalListeners();
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off('beforeExit', onBeforeExit);
  process.off('exit', onExitEvent);
  process.off('uncaughtExceptionMonitor', onUncaughtExceptionMonitor);
  syncSignalListeners();
}

/** Whether any exit flush is registered: some sink writes what it holds when the process ends. */
export function hasExitFlushes(): boolean {
  return registrations.size > 0;
}

/**
 * Registers `flush` to run at exit (beforeExit, SIGTERM, SIGINT) and `flushSync`, when given, to
 * run on `exit` (every way the process ends but a signal's default action or a hard kill). Returns
 * the function that unregisters them; the process listeners go away with the last registration.
 */
export function onExit(name: string, flush: ExitFlush, flushSync?: ExitFlushSync): () => void {
  const key = Symbol(name);
  registrations.set(key, { name, flush, flushSync });
  install();
  return () => {
    registrations.delete(key);
    if (registrations.size === 0) uninstall();
  };
}
