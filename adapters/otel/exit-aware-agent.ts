/**
 * The HTTP(S) agent that `exportToOtlp` gives the OTLP exporter, so that its requests never keep
 * the traced program alive beyond exit handling's bound (lib/internal/exit-hooks.ts):
 *
 * - Nobody waiting, nothing held: while the program runs, the sockets of requests under way and
 *   the agent's retry timers are `unref()`'d, so an export under way when the program's own work
 *   ends does not delay the end. They are ref'd while someone waits for the exports: a `flush()`
 *   or `shutdown()` of the handle (`hold`), or the exit flush from the natural end on
 *   (`exitSignals().ending`).
 * - A socket is handed to its request once connected. A connection that fails with a transient
 *   error (refused, reset, unreachable...) is tried again here, with backoff, within the
 *   exporter's timeout; when that gives up, or from the natural end on, the error passed on has a
 *   code the OTLP exporter does not retry (its own backoff timers could not be let go).
 * - When exit handling gives up (`exitSignals().abandoned`) every socket is destroyed, pending
 *   retries fail, and a new connection fails at once; the exports fail, and the processor counts
 *   and reports them.
 *
 * Keep-alive works as with the exporter's default agent (idle sockets are unref'd by Node).
 */
import type { Agent, ClientRequest, ClientRequestArgs } from 'node:http';
import type { Duplex } from 'node:stream';
import { EXIT_ABANDONED_CODE, exitSignals } from '../../lib/internal/exit-hooks.js';

/** Error code of a connection that still failed after the agent's own retries (not retried further). */
export const CONNECT_FAILED_CODE = 'ERR_LLMTRACE_CONNECT_FAILED';

/** First wait before a failed connection is tried again, ms (then x1.5 each time, at most 5 s). */
const FIRST_CONNECT_BACKOFF_MS = 1_000;
const MAX_CONNECT_BACKOFF_MS = 5_000;

/** Connection errors worth another try: the OTLP exporter's own list of transient network errors. */
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'ENETUNREACH', 'EHOSTUNREACH']);

/** An agent for the OTLP exporter, and how to let it go at shutdown. */
export interface ExitAwareAgent {
  /** The agent (what the exporter's `httpAgentOptions` factory returns). */
  readonly agent: Agent;
  /** Runs `work` (a flush or shutdown someone awaits) with the agent's sockets and timers ref'd. */
  hold<T>(work: () => Promise<T>): Promise<T>;
  /** Stops listening for the exit signals and closes the agent's sockets. Idempotent. */
  dispose(): void;
}

type ConnectCallback = (error: Error | null, stream: Duplex) => void;

/** A socket or timer that may keep the process alive. */
interface Handle {
  ref(): unknown;
  unref(): unknown;
}

/** An error with `code` and the failure it stands for as `cause`. */
function codedError(code: string, message: string, cause?: unknown): Error {
  return Object.assign(new Error(message, cause === undefined ? undefined : { cause }), { code });
}

function abandonedError(cause?: unknown): Error {
  return codedError(EXIT_ABANDONED_CODE, 'llmtrace: export given up, the process is exiting', cause);
}

/**
 * Makes the keep-alive agent for `protocol` (`'http:'` or `'https:'`); `timeoutMs` bounds the
 * retries of one connection (the exporter's own request timeout).
 */
export async function createExitAwareAgent(protocol: string, timeoutMs: number): Promise<ExitAwareAgent> {
  const secure = protocol === 'https:';
  const Base: typeof Agent = (secure ? await import('node:https') : await import('node:http')).Agent;
  const { ending, abandoned } = exitSignals();
  const sockets = new Set<Duplex>();
  /** Sockets of requests under way and pending retry timers (with what fails their request). */
  const live = new Map<Handle, () => void>();
  let holders = 0;
  const held = (): boolean => holders > 0 || ending.aborted;
  const track = (handle: Handle, fail: () => void): void => {
    live.set(handle, fail);
    if (!held()) handle.unref();
  };
  const refresh = (): void => {
    for (const handle of live.keys()) {
      if (held()) handle.ref();
      else handle.unref();
    }
  };

  class ExitAware extends Base {
    override createConnection(options: ClientRequestArgs, callback?: ConnectCallback): Duplex | null | undefined {
      if (!callback) return super.createConnection(options);
      this.#connect(options, callback, Date.now() + timeoutMs, FIRST_CONNECT_BACKOFF_MS);
      return undefined;
    }

    /** One connection attempt: hands the socket over when connected, tries again, or fails. */
    #connect(options: ClientRequestArgs, callback: ConnectCallback, deadline: number, backoff: number): void {
      if (abandoned.aborted) {
        process.nextTick(() => callback(abandonedError(), undefined as unknown as Duplex));
        return;
      }
      const socket = super.createConnection(options) as Duplex & Handle;
      sockets.add(socket);
      track(socket, () => socket.destroy(abandonedError()));
      socket.once('close', () => {
        sockets.delete(socket);
        live.delete(socket);
      });
      const onError = (error: Error & { code?: string }): void => {
        if (ending.aborted) return callback(abandonedError(error), socket);
        if (!TRANSIENT_CODES.has(error.code ?? '') || Date.now() + backoff > deadline) {
          return callback(codedError(CONNECT_FAILED_CODE, `llmtrace: could not connect to the OTLP receiver (${error.message})`, error), socket);
        }
        const timer = setTimeout(() => {
          live.delete(timer);
          this.#connect(options, callback, deadline, Math.min(backoff * 1.5, MAX_CONNECT_BACKOFF_MS));
        }, backoff);
        track(timer, () => {
          clearTimeout(timer);
          callback(abandonedError(error), socket);
        });
      };
      socket.once('error', onError);
      socket.once(secure ? 'secureConnect' : 'connect', () => {
        socket.off('error', onError);
        callback(null, socket);
      });
    }

    override reuseSocket(socket: Duplex, request: ClientRequest): void {
      super.reuseSocket(socket, request);
      track(socket as Duplex & Handle, () => socket.destroy(abandonedError()));
    }

    override keepSocketAlive(socket: Duplex): void {
      live.delete(socket as Duplex & Handle);
      return super.keepSocketAlive(socket);
    }
  }

  const agent = new ExitAware({ keepAlive: true });
  const onAbandoned = (): void => {
    for (const fail of [...live.values()]) fail();
    live.clear();
    for (const socket of sockets) socket.destroy(abandonedError());
  };
  ending.addEventListener('abort', refresh, { once: true });
  abandoned.addEventListener('abort', onAbandoned, { once: true });
  let disposed = false;
  return {
    agent,
    async hold(work) {
      holders++;
      refresh();
      try {
        return await work();
      } finally {
        holders--;
        refresh();
      }
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      ending.removeEventListener('abort', refresh);
      abandoned.removeEventListener('abort', onAbandoned);
      agent.destroy();
    },
  };
}
