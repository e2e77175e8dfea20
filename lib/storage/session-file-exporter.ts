/**
 * JSONL session trace files: a `SpanExporter` that appends one JSON object a line to one file per
 * session (`session-<id>.jsonl`, created `0600` in a `0700` directory), with one append per session
 * per batch. Spans inside a `withSpan(..., { kind: 'session' })` scope go to that session's file;
 * others to the exporter's own default session. The session span's end writes `session_end`; the
 * default session ends at `shutdown()`. Failures are counted and reported once, never thrown.
 */
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { reportInternalError } from '../internal/diagnostics.js';
import { onExit } from '../internal/exit-hooks.js';
import { checkNonEmptyString } from '../internal/validate.js';
import { suppressTracing } from '../context.js';
import type { SpanExporter } from '../export/span-exporter.js';
import type { Span, SpanData } from '../span.js';
import { DIR_MODE, FILE_MODE } from './atomic-write.js';
import { errorCode, nodeFileSystem, type StorageFileSystem } from './fs-facade.js';
import { DEFAULT_STORE_DIR } from './layout.js';
import { getState } from '../config.js';
import { isoTime, sampleWeight, samplingMark, spanToSessionEvents, type SessionEvent, type SessionStartData } from './session-events.js';

/** Sub-directory of the store directory that session files go to by default. */
export const DEFAULT_SESSIONS_SUBDIR = 'sessions';

/** Most sessions remembered as started (older ones are forgotten; a late span re-opens its file). */
export const MAX_OPEN_SESSIONS = 10_000;

/** Options of the JSONL session exporter. */
export interface SessionFileExporterOptions {
  /**
   * Directory of the session files (created `0700`).
   * @default './.llmtrace/sessions'
   */
  dir?: string;
  /**
   * Session id for spans outside any session scope.
   * @default 'process-<pid>-<random>'
   */
  defaultSessionId?: string;
  /**
   * Flush and end the default session at process exit.
   * @default true
   */
  flushOnExit?: boolean;
  /** The file-system seam. @default nodeFileSystem */
  fs?: StorageFileSystem;
}

/** Counters of a session exporter. */
export interface SessionFileExporterStats {
  /** Lines appended. */
  linesWritten: number;
  /** Lines whose append failed. */
  linesFailed: number;
  /** Session files started. */
  sessionsStarted: number;
}

interface OpenSession {
  startTime: number;
}

/**
 * The file name of a session: `session-<id>.jsonl`. Characters outside `[A-Za-z0-9.-]` are written
 * as `_` and four hex digits of their code unit, so two different ids never share a file (`a/b` is
 * `a_002fb`, `a_b` is `a_005fb`).
 */
export function sessionFileName(sessionId: string): string {
  const safe = sessionId.replace(/[^A-Za-z0-9.-]/g, (c) => `_${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `session-${safe}.jsonl`;
}

/** Writes spans as JSONL session files. */
export class SessionFileExporter implements SpanExporter {
  /** Absolute directory of the session files. */
  readonly dir: string;
  /** Session id of spans outside any session scope. */
  readonly defaultSessionId: string;
  readonly #fs: StorageFileSystem;
  readonly #open = new Map<string, OpenSession>();
  #chain: Promise<void> = Promise.resolve();
  #dirReady = false;
  #shutdown: Promise<void> | undefined;
  #removeExitHook: (() => void) | undefined;
  readonly #stats: SessionFileExporterStats = { linesWritten: 0, linesFailed: 0, sessionsStarted: 0 };

  /** @throws TypeError naming the option when an option is invalid. Does no I/O. */
  constructor(options: SessionFileExporterOptions = {}) {
    if (options.dir !== undefined) checkNonEmptyString(options.dir, 'dir');
    const id = options.defaultSessionId;
    if (id !== undefined) checkNonEmptyString(id, 'defaultSessionId');
    this.dir = resolve(options.dir ?? join(DEFAULT_STORE_DIR, DEFAULT_SESSIONS_SUBDIR));
    this.defaultSessionId = id ?? `process-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.#fs = options.fs ?? nodeFileSystem;
    // At exit: flush and end the default session without refusing spans that other exit flushes
    // (a BatchSpanProcessor's) may still hand over.
    if (options.flushOnExit !== false) this.#removeExitHook = onExit('session-files', () => this.#endDefaultSession());
  }

  /** Appends the lines of `spans` (one write per session). Resolves when written; never rejects. */
  export(spans: readonly Span[]): Promise<void> {
    if (this.#shutdown) return Promise.resolve();
    const data = spans.filter((span) => span.sampled).map((span) => span.toJSON());
    return this.#enqueue(() => this.#writeBatch(data));
  }

  /** Resolves when every queued append has finished. */
  async forceFlush(): Promise<void> {
    await this.#chain;
  }

  /** Flushes and ends the default session (`session_end`) if it was started. Idempotent. */
  shutdown(): Promise<void> {
    this.#shutdown ??= (async () => {
      this.#removeExitHook?.();
      await this.#endDefaultSession();
    })();
    return this.#shutdown;
  }

  /** Appends `session_end` to the default session's file if it was started, then flushes. */
  async #endDefaultSession(): Promise<void> {
    await this.#chain;
    const open = this.#open.get(this.defaultSessionId);
    if (open) {
      this.#open.delete(this.defaultSessionId);
      const end = Date.now();
      await this.#enqueue(() => this.#append(this.defaultSessionId, [sessionEnd(this.defaultSessionId, end, open.startTime)], open.startTime));
    }
    await this.#chain;
  }

  /** Counters since creation. */
  stats(): SessionFileExporterStats {
    return { ...this.#stats };
  }

  #enqueue(task: () => Promise<void>): Promise<void> {
    this.#chain = this.#chain.then(() => suppressTracing(task)).catch((error: unknown) => {
      reportInternalError('session-files.write', error);
    });
    return this.#chain;
  }

  async #writeBatch(spans: SpanData[]): Promise<void> {
    const policy = getState().sampling;
    const bySession = new Map<string, SessionEvent[]>();
    const ended = new Map<string, SpanData>();
    for (const span of spans) {
      const sessionId = span.scopes.session ?? this.defaultSessionId;
      let lines = bySession.get(sessionId);
      if (!lines) bySession.set(sessionId, (lines = []));
      // The session starts at its earliest span (the session span itself when it is there).
      const open = this.#open.get(sessionId);
      if (!open) this.#remember(sessionId, span.startTime);
      else if (span.startTime < open.startTime) open.startTime = span.startTime;
      lines.push(...spanToSessionEvents(span, sessionId, sampleWeight(span, policy)));
      if (span.kind === 'session' && span.id === sessionId) ended.set(sessionId, span);
    }
    for (const [sessionId, lines] of bySession) {
      lines.sort((a, b) => a.timestamp.localeCompare(b.timestamp));
      const startTime = this.#open.get(sessionId)?.startTime ?? Date.now();
      const end = ended.get(sessionId);
      if (end) {
        lines.push(sessionEnd(sessionId, end.endTime, Math.min(end.startTime, startTime)));
        this.#open.delete(sessionId);
      }
      await this.#append(sessionId, lines, startTime);
    }
  }

  #remember(sessionId: string, startTime: number): void {
    this.#open.set(sessionId, { startTime });
    if (this.#open.size > MAX_OPEN_SESSIONS) this.#open.delete(this.#open.keys().next().value!);
  }

  /**
   * Appends `lines` in one write, prefixed by `session_start` (at `startTime`, never later than the
   * first line) when the file is new. Never rejects.
   */
  async #append(sessionId: string, lines: SessionEvent[], startTime = Date.now()): Promise<void> {
    try {
      if (!this.#dirReady) {
        await this.#fs.mkdir(this.dir, DIR_MODE);
        this.#dirReady = true;
      }
      const path = join(this.dir, sessionFileName(sessionId));
      const exists = await this.#fs.stat(path).then(
        () => true,
        (error: unknown) => {
          if (errorCode(error) === 'ENOENT') return false;
          throw error;
        },
      );
      const first = lines.length > 0 ? Date.parse(lines[0]!.timestamp) : startTime;
      const out = exists ? lines : [sessionStart(sessionId, Math.min(startTime, first)), ...lines];
      const file = await this.#fs.open(path, 'a', FILE_MODE);
      try {
        await file.writeFile(out.map((line) => JSON.stringify(line)).join('\n') + '\n');
      } finally {
        await file.close();
      }
      if (!exists) this.#stats.sessionsStarted++;
      this.#stats.linesWritten += out.length;
    } catch (error) {
      this.#dirReady = false;
      this.#stats.linesFailed += lines.length;
      reportInternalError('session-files.write', error);
    }
  }
}

function sessionStart(sessionId: string, time: number): SessionEvent {
  const data: SessionStartData = { pid: process.pid };
  const sampling = samplingMark(getState().sampling);
  if (sampling) data.sampling = sampling;
  return { type: 'session_start', timestamp: isoTime(time), session_id: sessionId, data: { ...data } };
}

function sessionEnd(sessionId: string, end: number, start: number): SessionEvent {
  return {
    type: 'session_end',
    timestamp: isoTime(end),
    session_id: sessionId,
    data: { duration_seconds: Math.max(0, end - start) / 1000 },
  };
}

/**
 * Creates a JSONL session exporter. Attach it through a BatchSpanProcessor.
 * @example
 * new BatchSpanProcessor(createSessionFileExporter({ dir: './traces' })).attach(getStore());
 */
export function createSessionFileExporter(options: SessionFileExporterOptions = {}): SessionFileExporter {
  return new SessionFileExporter(options);
}
