/**
 * JSONL session trace files: a `SpanExporter` that appends one JSON object a line to one file per
 * session (`session-<id>.jsonl`, created `0600` in a `0700` directory), with one append per session
 * per batch. Spans inside a `withSpan(..., { kind: 'session' })` scope go to that session's file;
 * others to the exporter's own default session. The session span's end writes `session_end`; the
 * default session ends at `shutdown()` and at exit, once: a signal the program's own handler takes
 * (and may go on after) writes what is pending and leaves the session open. Failures are counted
 * and reported once, never thrown.
 *
 * `export` only plans (one append per session per batch) and resolves at once, like the file
 * store: the planned appends wait in a backlog bounded by spans and estimated bytes (beyond it a
 * batch is dropped and counted), and are written one at a time; the append under way remembers its
 * file's size before it. So `flushSync()` (at process
 * exit, where no promise settles any more) can finish exactly what is left: the rest of the append
 * under way (the file's growth tells how much landed), then every planned append.
 */
import { addRunningSessionExporter, removeRunningSessionExporter } from './running-session-exporters.js';
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { reportInternalError, warnOnce } from '../internal/diagnostics.js';
import { estimateSpanBytes } from '../export/span-bytes.js';
import { onExit } from '../internal/exit-hooks.js';
import { checkNonEmptyString } from '../internal/validate.js';
import { suppressTracing } from '../context.js';
import type { SpanExporter } from '../export/span-exporter.js';
import type { AttributeValue, Span, SpanData } from '../span.js';
import { DIR_MODE, FILE_MODE } from './atomic-write.js';
import { appendFileSyncOwned, mkdirOwnedSync } from './atomic-write-sync.js';
import { errorCode, nodeFileSystem, type StorageFileSystem } from './fs-facade.js';
import { DEFAULT_STORE_DIR } from './layout.js';
import { getState } from '../config.js';
import { isoTime, samplingMark, spanToSessionEvents, type SessionEvent, type SessionStartData } from './session-events.js';
import { checkOptions } from '../internal/option-schemas.js';

/** Sub-directory of the store directory that session files go to by default. */
export const DEFAULT_SESSIONS_SUBDIR = 'sessions';

/** Most sessions remembered as started (older ones are forgotten; a late span re-opens its file). */
export const MAX_OPEN_SESSIONS = 10_000;

/** Most spans waiting in planned appends; a batch beyond it is dropped and counted. */
export const MAX_PENDING_SESSION_SPANS = 32_768;

/** Most estimated bytes of spans waiting in planned appends (64 MiB); a batch beyond it is dropped. */
export const MAX_PENDING_SESSION_BYTES = 64 * 1024 * 1024;

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
  /** Spans dropped because the backlog of planned appends was full (the disk fell behind). */
  spansDropped: number;
}

interface OpenSession {
  startTime: number;
}

/** One append planned: lines for one session file (`session_start` is added if the file is new). */
interface PlannedAppend {
  readonly sessionId: string;
  readonly lines: SessionEvent[];
  /** Start time for a `session_start` line. */
  readonly startTime: number;
  /** Spans and estimated bytes this append holds (backlog accounting). */
  readonly spans: number;
  readonly bytes: number;
}

/** The append under way; `text` and `before` are set once its bytes are decided. */
interface AppendInFlight {
  readonly append: PlannedAppend;
  path?: string;
  text?: string;
  /** Size of the file before this append, bytes. */
  before?: number;
  /** Whether `text` starts with `session_start`. */
  starts?: boolean;
  /** Whether the write of `text` has been issued (it may land in the file at any moment). */
  issued?: boolean;
}

/** Longest `flushSync` waits for an append already issued to land before writing its rest itself, ms. */
const ISSUED_WRITE_WAIT_MS = 50;

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
  /** `export` only plans into the bounded backlog and never rejects (see SpanExporter). */
  readonly buffersLocally = true;
  readonly #fs: StorageFileSystem;
  readonly #open = new Map<string, OpenSession>();
  readonly #planned: PlannedAppend[] = [];
  #pendingSpans = 0;
  #pendingBytes = 0;
  #inFlight: AppendInFlight | undefined;
  #chain: Promise<void> = Promise.resolve();
  #dirReady = false;
  /** Set by the first `flushSync()`: from then on every write is synchronous. */
  #final = false;
  #shutdown: Promise<void> | undefined;
  #removeExitHook: (() => void) | undefined;
  readonly #stats: SessionFileExporterStats = { linesWritten: 0, linesFailed: 0, sessionsStarted: 0, spansDropped: 0 };

  /** @throws TypeError naming the option when an option is invalid. Does no I/O. */
  constructor(options: SessionFileExporterOptions = {}) {
    checkOptions('SessionFileExporter', options);
    if (options.dir !== undefined) checkNonEmptyString(options.dir, 'dir');
    const id = options.defaultSessionId;
    if (id !== undefined) checkNonEmptyString(id, 'defaultSessionId');
    this.dir = resolve(options.dir ?? join(DEFAULT_STORE_DIR, DEFAULT_SESSIONS_SUBDIR));
    this.defaultSessionId = id ?? `process-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.#fs = options.fs ?? nodeFileSystem;
    addRunningSessionExporter(this);
    // At exit: flush and end the default session without refusing spans that other exit flushes
    // (a BatchSpanProcessor's) may still hand over. A flush for a signal that the program's own
    // handler takes only writes: the program may go on recording into the same session.
    if (options.flushOnExit !== false) {
      this.#removeExitHook = onExit(
        'session-files',
        ({ ending }) => (ending ? this.#endDefaultSession() : this.forceFlush()),
        () => {
          this.#planDefaultSessionEnd();
          this.flushSync();
        },
      );
    }
  }

  /**
   * Plans the lines of `spans` (one append per session) and resolves at once; `forceFlush()`
   * resolves when they are written. Never rejects.
   */
  export(spans: readonly Span[]): Promise<void> {
    if (this.#shutdown) return Promise.resolve();
    this.#accept(spans);
    if (this.#final) this.flushSync();
    else void this.#enqueue(() => this.#writePlanned());
    return Promise.resolve();
  }

  /**
   * Adds a `session_metadata` line (`data`: the user, project, version...) to session `sessionId`'s
   * file (default: the exporter's own session), written like span lines: in order, flushed at exit.
   * `startedBy` bounds the session's start when this line opens its file (the start of a span
   * inside it). Never throws. See `setSessionMetadata`, which calls it on every session exporter running.
   */
  writeMetadata(data: Readonly<Record<string, AttributeValue>>, sessionId: string = this.defaultSessionId, startedBy?: number): void {
    if (this.#shutdown) return;
    try {
      const now = Date.now();
      if (!this.#open.has(sessionId)) this.#remember(sessionId, Math.min(startedBy ?? now, now));
      const line: SessionEvent = { type: 'session_metadata', timestamp: isoTime(now), session_id: sessionId, data: { ...data } };
      this.#planned.push({ sessionId, lines: [line], startTime: this.#open.get(sessionId)!.startTime, spans: 0, bytes: 0 });
      if (this.#final) this.flushSync();
      else void this.#enqueue(() => this.#writePlanned());
    } catch (error) {
      reportInternalError('session-files.metadata', error);
    }
  }

  /** Appends the lines of `spans` synchronously, after everything pending (the exit path). Never throws. */
  exportSync(spans: readonly Span[]): void {
    if (this.#shutdown) return;
    this.#accept(spans);
    this.flushSync();
  }

  /** Plans `spans` unless the backlog is full (then they are dropped and counted). Never throws. */
  #accept(spans: readonly Span[]): void {
    try {
      const kept = spans.filter((span) => span.sampled);
      let bytes = 0;
      for (const span of kept) bytes += estimateSpanBytes(span);
      if (this.#pendingSpans + kept.length > MAX_PENDING_SESSION_SPANS || this.#pendingBytes + bytes > MAX_PENDING_SESSION_BYTES) {
        this.#stats.spansDropped += kept.length;
        warnOnce('session-files.backlog-full', 'llmtrace: session file backlog full, dropping spans (counted in stats())', {
          dir: this.dir,
        });
        return;
      }
      this.#plan(kept.map((span) => span.toJSON()), bytes);
    } catch (error) {
      reportInternalError('session-files.export', error);
    }
  }

  /**
   * Writes everything pending synchronously: the rest of the append under way, then every planned
   * append. For process exit; from the first call on, writes are synchronous. Never throws. Does
   * nothing when a custom `fs` seam is in use (the synchronous writes go to `node:fs` directly).
   */
  flushSync(): void {
    if (this.#fs !== nodeFileSystem) return;
    this.#final = true;
    suppressTracing(() => {
      const inFlight = this.#inFlight;
      this.#inFlight = undefined;
      if (inFlight) this.#finishSync(inFlight);
      for (let append = this.#take(); append; append = this.#take()) this.#appendSync(append);
    });
  }

  /** Resolves when every queued append has finished. */
  async forceFlush(): Promise<void> {
    await this.#chain;
  }

  /** Flushes and ends the default session (`session_end`) if it was started. Idempotent. */
  shutdown(): Promise<void> {
    this.#shutdown ??= (async () => {
      removeRunningSessionExporter(this);
      this.#removeExitHook?.();
      await this.#endDefaultSession();
    })();
    return this.#shutdown;
  }

  /** Appends `session_end` to the default session's file if it was started, then flushes. */
  async #endDefaultSession(): Promise<void> {
    await this.#chain;
    if (this.#planDefaultSessionEnd()) await this.#enqueue(() => this.#writePlanned());
    await this.#chain;
  }

  /** Plans `session_end` for the default session if it was started. Returns whether it did. */
  #planDefaultSessionEnd(): boolean {
    const open = this.#open.get(this.defaultSessionId);
    if (!open) return false;
    this.#open.delete(this.defaultSessionId);
    const end = Date.now();
    this.#planned.push({
      sessionId: this.defaultSessionId,
      lines: [sessionEnd(this.defaultSessionId, end, open.startTime)],
      startTime: open.startTime,
      spans: 0,
      bytes: 0,
    });
    return true;
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

  /** Turns spans into planned appends, one per session, in order; `bytes` is their estimated size. */
  #plan(spans: SpanData[], bytes: number): void {
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
      lines.push(...spanToSessionEvents(span, sessionId));
      if (span.kind === 'session' && span.id === sessionId) ended.set(sessionId, span);
    }
    this.#pendingSpans += spans.length;
    this.#pendingBytes += bytes;
    let first = true;
    for (const [sessionId, lines] of bySession) {
      lines.sort((a, b) => a.timestamp.localeCompare(b.timestamp));
      const startTime = this.#open.get(sessionId)?.startTime ?? Date.now();
      const end = ended.get(sessionId);
      if (end) {
        lines.push(sessionEnd(sessionId, end.endTime, Math.min(end.startTime, startTime)));
        this.#open.delete(sessionId);
      }
      // The first append of the batch carries its accounting.
      this.#planned.push({ sessionId, lines, startTime, spans: first ? spans.length : 0, bytes: first ? bytes : 0 });
      first = false;
    }
  }

  /** Takes the next planned append off the backlog. */
  #take(): PlannedAppend | undefined {
    const append = this.#planned.shift();
    if (append) {
      this.#pendingSpans -= append.spans;
      this.#pendingBytes -= append.bytes;
    }
    return append;
  }

  /** Writes the planned appends one at a time (async path). */
  async #writePlanned(): Promise<void> {
    while (!this.#final && this.#planned.length > 0) {
      const append = this.#take()!;
      this.#inFlight = { append };
      await this.#append(this.#inFlight);
    }
  }

  #remember(sessionId: string, startTime: number): void {
    this.#open.set(sessionId, { startTime });
    if (this.#open.size > MAX_OPEN_SESSIONS) this.#open.delete(this.#open.keys().next().value!);
  }

  /** Appends one planned append in one write, prefixed by `session_start` when the file is new. Never rejects. */
  async #append(inFlight: AppendInFlight): Promise<void> {
    const { sessionId, lines, startTime } = inFlight.append;
    try {
      if (!this.#dirReady) {
        await this.#fs.mkdir(this.dir, DIR_MODE);
        this.#dirReady = true;
      }
      const path = join(this.dir, sessionFileName(sessionId));
      const size = await this.#fs.stat(path).then(
        (stats) => stats.size,
        (error: unknown) => {
          if (errorCode(error) === 'ENOENT') return undefined;
          throw error;
        },
      );
      if (this.#final) return; // flushSync has taken this append over
      const first = lines.length > 0 ? Date.parse(lines[0]!.timestamp) : startTime;
      const out = size !== undefined ? lines : [sessionStart(sessionId, Math.min(startTime, first)), ...lines];
      Object.assign(inFlight, { path, text: linesText(out), before: size ?? 0, starts: size === undefined });
      const file = await this.#fs.open(path, 'a', FILE_MODE);
      try {
        if (this.#final) return; // not issued: flushSync has written these bytes itself
        inFlight.issued = true;
        await file.writeFile(inFlight.text!);
      } finally {
        await file.close();
      }
      if (this.#final) return;
      if (size === undefined) this.#stats.sessionsStarted++;
      this.#stats.linesWritten += out.length;
    } catch (error) {
      if (this.#final) return;
      this.#dirReady = false;
      this.#stats.linesFailed += lines.length;
      reportInternalError('session-files.write', error);
    } finally {
      if (!this.#final && this.#inFlight === inFlight) this.#inFlight = undefined;
    }
  }

  /** Finishes the append the async path was on: writes the part of its bytes not in the file yet. */
  #finishSync(inFlight: AppendInFlight): void {
    const { text, path, before } = inFlight;
    if (text === undefined || path === undefined || before === undefined) {
      this.#appendSync(inFlight.append);
      return;
    }
    const lineCount = inFlight.append.lines.length + (inFlight.starts ? 1 : 0);
    try {
      const bytes = Buffer.from(text, 'utf8');
      const landed = inFlight.issued ? waitForLanding(path, before, bytes.length) : 0;
      if (landed < bytes.length) appendFileSyncOwned(path, landed > 0 ? bytes.subarray(landed) : bytes);
      if (inFlight.starts) this.#stats.sessionsStarted++;
      this.#stats.linesWritten += lineCount;
    } catch (error) {
      this.#stats.linesFailed += lineCount;
      reportInternalError('session-files.write-sync', error);
    }
  }

  /** The synchronous twin of `#append`. Never throws. */
  #appendSync({ sessionId, lines, startTime }: PlannedAppend): void {
    try {
      mkdirOwnedSync(this.dir);
      const path = join(this.dir, sessionFileName(sessionId));
      const exists = statSync(path, { throwIfNoEntry: false }) !== undefined;
      const out = exists ? lines : [sessionStart(sessionId, startTime), ...lines];
      appendFileSyncOwned(path, Buffer.from(linesText(out), 'utf8'));
      if (!exists) this.#stats.sessionsStarted++;
      this.#stats.linesWritten += out.length;
    } catch (error) {
      this.#stats.linesFailed += lines.length;
      reportInternalError('session-files.write-sync', error);
    }
  }
}

/**
 * How many of `length` bytes appended at offset `before` are in the file. An issued write runs in
 * the thread pool, apart from this thread, so it is given ISSUED_WRITE_WAIT_MS to land: writing its
 * bytes again while it may still land would duplicate lines. (A write split in chunks stops after
 * the chunk under way: the next chunk needs this thread; what is missing then is written here.)
 */
function waitForLanding(path: string, before: number, length: number): number {
  const until = Date.now() + ISSUED_WRITE_WAIT_MS;
  for (;;) {
    const landed = (statSync(path, { throwIfNoEntry: false })?.size ?? 0) - before;
    if (landed >= length || Date.now() >= until) return Math.max(0, landed);
  }
}

/** JSONL text of `lines`, newline-terminated. */
function linesText(lines: readonly SessionEvent[]): string {
  return lines.map((line) => JSON.stringify(line)).join('\n') + '\n';
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
  checkOptions('createSessionFileExporter', options);
  return new SessionFileExporter(options);
}
