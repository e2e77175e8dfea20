/**
 * BatchSpanProcessor: takes finished, sampled-in spans from a TraceStore subscription, queues them
 * and hands them to a SpanExporter in batches: when a batch is full, on a timer (`unref()`'d), on
 * `forceFlush()` and at process exit.
 *
 * Bounds, whatever the exporter does: the queue holds at most `maxQueueSize` spans and about
 * `maxQueueBytes` bytes (estimated); a span beyond either is dropped and counted, with one warning.
 * One export runs at a time while the program runs, and the queue is not emptied into waiting
 * promises, so an exporter that hangs holds the bound; a flush (`forceFlush()`, `shutdown()`, the exit
 * flush) runs up to `FLUSH_CONCURRENCY` at a time, so a slow receiver still gets a full queue within
 * the flush's time, as OpenTelemetry's processor flushes every batch at once (a local sink that only queues in its own bounded backlog, `buffersLocally`,
 * gets each batch synchronously instead): its export counts as failed after `exportTimeoutMs` and the next batch
 * goes. `forceFlush()` and `shutdown()` each take at most `flushTimeoutMs` in all; what shutdown
 * could not export by then is dropped and counted. At every moment
 * `queued + exported + dropped + failed` equals the spans handed to the processor.
 *
 * The exit flush (beforeExit, signals) ends by exit handling's deadline, and once exit handling has
 * given up (`exitSignals().abandoned`) no further export starts. At process exit (`exit`, where only
 * synchronous work runs) an exporter with `exportSync` gets the queue synchronously, then its
 * `flushSync` writes what it holds; for any other exporter, what was not exported is counted as
 * dropped, with one warning. Exports run with tracing suppressed; failures are counted and
 * reported, never thrown into the traced program.
 */
import { checkBoolean, positiveInteger } from '../internal/validate.js';
import { suppressTracing } from '../context.js';
import { EXIT_ABANDONED_CODE, EXIT_FLUSH_TIMEOUT_MS, exitSignals, onExit } from '../internal/exit-hooks.js';
import { reportInternalError, warnOnce } from '../internal/diagnostics.js';
import type { Span } from '../span.js';
import type { TraceStore } from '../trace-store.js';
import { estimateSpanBytes } from './span-bytes.js';
import type { SpanExporter } from './span-exporter.js';
import { checkOptions } from '../internal/option-schemas.js';

/** Most spans waiting for export. */
export const DEFAULT_MAX_QUEUE_SIZE = 2048;

/** Most (estimated) bytes of spans waiting for export: 16 MiB. */
export const DEFAULT_MAX_QUEUE_BYTES = 16 * 1024 * 1024;

/** Most spans per export call. */
export const DEFAULT_MAX_EXPORT_BATCH_SIZE = 512;

/** Longest a span waits before its batch is exported, ms. */
export const DEFAULT_SCHEDULED_DELAY_MS = 1000;

/** Longest one export call may take before its batch counts as failed, ms. */
export const DEFAULT_EXPORT_TIMEOUT_MS = 30_000;

/** Longest `forceFlush()` or `shutdown()` takes in all, ms. */
export const DEFAULT_FLUSH_TIMEOUT_MS = 30_000;

/** Options of a BatchSpanProcessor. */
export interface BatchSpanProcessorOptions {
  /** Most spans waiting; newer ones are dropped beyond it. @default 2048 (DEFAULT_MAX_QUEUE_SIZE) */
  maxQueueSize?: number;
  /**
   * Most estimated bytes of spans waiting; newer ones are dropped beyond it.
   * @default 16777216 (DEFAULT_MAX_QUEUE_BYTES, 16 MiB)
   */
  maxQueueBytes?: number;
  /** Most spans per export call. @default 512 (DEFAULT_MAX_EXPORT_BATCH_SIZE) */
  maxExportBatchSize?: number;
  /** Longest a span waits before its batch is exported, in ms. @default 1000 (DEFAULT_SCHEDULED_DELAY_MS) */
  scheduledDelayMs?: number;
  /**
   * Longest one export call may take; then its batch counts as failed and the next one goes.
   * @default 30000 (DEFAULT_EXPORT_TIMEOUT_MS)
   */
  exportTimeoutMs?: number;
  /**
   * Longest `forceFlush()` or `shutdown()` takes in all (not per batch).
   * @default 30000 (DEFAULT_FLUSH_TIMEOUT_MS)
   */
  flushTimeoutMs?: number;
  /** Flush at process exit (beforeExit, SIGTERM, SIGINT; synchronously on `exit`). @default true */
  flushOnExit?: boolean;
}

/** @internal The keys of BatchSpanProcessorOptions (callers passing wider option objects pick these). */
export const BATCH_OPTION_KEYS: readonly (keyof BatchSpanProcessorOptions)[] = [
  'maxQueueSize', 'maxQueueBytes', 'maxExportBatchSize', 'scheduledDelayMs', 'exportTimeoutMs', 'flushTimeoutMs', 'flushOnExit',
];

/** Counters of a BatchSpanProcessor; `queued + exported + dropped + failed` = spans handed over. */
export interface BatchSpanProcessorStats {
  /** Spans waiting now, or in the export under way. */
  queued: number;
  /** Spans handed to the exporter in batches that succeeded. */
  exported: number;
  /** Spans dropped: the queue was full (by count or bytes), or shutdown ran out of time. */
  dropped: number;
  /** Spans in batches whose export failed or timed out. */
  failed: number;
}

/** One export call under way. */
interface Attempt {
  readonly spans: Span[];
  /** Whether `export` has been called (it runs a microtask after the batch is taken, off the traced call). */
  started: boolean;
  settled: boolean;
  done: Promise<void>;
}

/** How many exports a flush runs at a time (four full batches: the default queue bound). */
const FLUSH_CONCURRENCY = 4;

/** Resolves after `ms` (timer unref'd) or when `promise` settles, whichever is first; true when in time. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  if (ms <= 0) return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  try {
    return await Promise.race([promise.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Network error codes that mean the receiver is down, away or too slow (its side, not llmtrace's). */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'UND_ERR_SOCKET']);

/** The code or timeout that says `error` is a receiver out of reach, else undefined (looks through `cause`). */
function unreachableReason(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; message?: unknown; cause?: unknown } | null, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && UNREACHABLE.has(e.code)) return e.code;
    if (typeof e.message === 'string' && /timed out/i.test(e.message)) return 'timed out';
  }
  return undefined;
}

/**
 * What the OpenTelemetry OTLP exporters' error says when the receiver answered 429 or 502-504 to
 * every try within the timeout (the error carries no status).
 */
const RETRIES_RAN_OUT = /failed with retryable status/i;

/** Says, once, that the process exits with exports unfinished (a flush at its bound, or an export given up). */
function warnGivenUpAtExit(): void {
  warnOnce('export.given-up-at-exit', `llmtrace: exports still under way when the exit bound (${EXIT_FLUSH_TIMEOUT_MS / 1000} s) ran out were given up; their spans are counted as failed (stats().failed): the receiver was slow, or kept answering with an error the exporter retries (HTTP 429, 502, 503, 504)`);
}

/**
 * Reports a failed export: a receiver that answered an HTTP error status (an OTLP exporter's error
 * carries it as a numeric `code`) is said as that, once per status, since it is the receiver's or the
 * configuration's to fix, not llmtrace's; anything else is an internal error. Never throws.
 */
function reportExportFailure(error: unknown): void {
  const status = (error as { code?: unknown } | null)?.code;
  if (status === EXIT_ABANDONED_CODE) {
    warnGivenUpAtExit();
    return;
  }
  const unreachable = unreachableReason(error);
  if (unreachable !== undefined) {
    warnOnce(`export.receiver-unreachable:${unreachable}`, `llmtrace: the export receiver could not be reached (${unreachable}); the batch is counted as failed (stats().failed): check that it runs and the exporter's url`, {
      reason: unreachable,
    });
    return;
  }
  if (typeof status !== 'number' && error instanceof Error && RETRIES_RAN_OUT.test(error.message)) {
    warnOnce('export.receiver-retryable', `llmtrace: the export receiver kept answering with an error to retry (HTTP 429, 502, 503 or 504) until the exporter's timeout; the batch is counted as failed (stats().failed): check the receiver and its rate limits`);
    return;
  }
  if (typeof status !== 'number' || status < 400 || status > 599) {
    reportInternalError('export.batch', error);
    return;
  }
  const text = error instanceof Error && error.message ? ` (${error.message})` : '';
  warnOnce(`export.receiver-status:${status}`, `llmtrace: the export receiver answered HTTP ${status}${text}; the batch is counted as failed (stats().failed): check the receiver and the exporter's url and headers`, {
    status,
  });
}

/** Batches spans from a store to an exporter. */
export class BatchSpanProcessor {
  readonly #exporter: SpanExporter;
  readonly #maxQueue: number;
  readonly #maxBytes: number;
  readonly #maxBatch: number;
  readonly #delayMs: number;
  readonly #exportTimeoutMs: number;
  readonly #flushTimeoutMs: number;
  #queue: Span[] = [];
  #sizes: number[] = [];
  #queueBytes = 0;
  /** Exports under way: at most one while the program runs, `FLUSH_CONCURRENCY` during a flush. */
  readonly #inFlight = new Set<Attempt>();
  #accepted = 0;
  #taken = 0;
  #flushing = 0;
  #timer: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void) | undefined;
  #removeExitHook: (() => void) | undefined;
  /** Aborted when exit handling gives up: no export starts after it. */
  readonly #abandoned = exitSignals().abandoned;
  /** Set from the program's end on: a flush reaching its bound then is the exit flush giving up. */
  readonly #ending = exitSignals().ending;
  #closed = false;
  #shutdown: Promise<void> | undefined;
  #exported = 0;
  #dropped = 0;
  #failed = 0;

  /** @throws TypeError naming the option when an option is invalid. */
  constructor(exporter: SpanExporter, options: BatchSpanProcessorOptions = {}) {
    checkOptions('BatchSpanProcessor', options);
    if (!exporter || typeof exporter.export !== 'function' || typeof exporter.shutdown !== 'function') {
      throw new TypeError('llmtrace: exporter must implement export(spans) and shutdown()');
    }
    this.#exporter = exporter;
    this.#maxQueue = positiveInteger(options.maxQueueSize, 'maxQueueSize', DEFAULT_MAX_QUEUE_SIZE);
    this.#maxBytes = positiveInteger(options.maxQueueBytes, 'maxQueueBytes', DEFAULT_MAX_QUEUE_BYTES);
    this.#maxBatch = positiveInteger(options.maxExportBatchSize, 'maxExportBatchSize', DEFAULT_MAX_EXPORT_BATCH_SIZE);
    this.#delayMs = positiveInteger(options.scheduledDelayMs, 'scheduledDelayMs', DEFAULT_SCHEDULED_DELAY_MS);
    this.#exportTimeoutMs = positiveInteger(options.exportTimeoutMs, 'exportTimeoutMs', DEFAULT_EXPORT_TIMEOUT_MS);
    this.#flushTimeoutMs = positiveInteger(options.flushTimeoutMs, 'flushTimeoutMs', DEFAULT_FLUSH_TIMEOUT_MS);
    if (options.flushOnExit !== undefined) checkBoolean(options.flushOnExit, 'flushOnExit');
    if (options.flushOnExit !== false) {
      this.#removeExitHook = onExit(
        'batch-span-processor',
        ({ deadline }) => this.#flushWithin(Math.min(deadline, Date.now() + this.#flushTimeoutMs)),
        () => {
          this.flushSync();
          this.#dropUnexported(); // what a network exporter still had: no promise settles any more
        },
      );
    }
  }

  /** Subscribes to `store`'s finished spans. Returns `this`. */
  attach(store: TraceStore): this {
    this.#unsubscribe?.();
    this.#unsubscribe = store.subscribe((span) => this.onEnd(span));
    return this;
  }

  /** Queues one finished span (sampled-out spans are skipped). Never throws. */
  onEnd(span: Span): void {
    if (this.#closed || !span.sampled) return;
    const bytes = estimateSpanBytes(span);
    if (this.#queue.length >= this.#maxQueue || this.#queueBytes + bytes > this.#maxBytes) {
      this.#dropped++;
      warnOnce('export.queue-full', 'llmtrace: export queue full, dropping spans (counted in stats().dropped)', {
        maxQueueSize: this.#maxQueue,
        maxQueueBytes: this.#maxBytes,
      });
      return;
    }
    this.#queue.push(span);
    this.#sizes.push(bytes);
    this.#queueBytes += bytes;
    this.#accepted++;
    this.#next();
  }

  /**
   * Exports everything queued when it was called, then flushes the exporter; takes at most
   * `flushTimeoutMs` in all. Never rejects.
   */
  forceFlush(): Promise<void> {
    return this.#flushWithin(Date.now() + this.#flushTimeoutMs);
  }

  /**
   * Hands everything queued to the exporter synchronously (`exportSync`) and has it write out what
   * it holds (`flushSync`); what `flushOnExit` runs on `exit` (which then counts what an exporter
   * without `exportSync` still had as dropped). Does nothing for exporters without `exportSync`.
   * Never throws.
   */
  flushSync(): void {
    const exporter = this.#exporter;
    if (typeof exporter.exportSync !== 'function') return;
    this.#clearTimer();
    for (const waiting of [...this.#inFlight]) if (!waiting.started) this.#count(waiting, this.#exportSync(waiting.spans));
    while (this.#queue.length > 0) {
      const batch = this.#take();
      if (this.#exportSync(batch)) this.#exported += batch.length;
      else this.#failed += batch.length;
    }
    try {
      suppressTracing(() => exporter.flushSync?.());
    } catch (error) {
      reportInternalError('export.flush-sync', error);
    }
    // The exports under way were handed over in full: flushSync has written them.
    if (typeof exporter.flushSync === 'function') for (const attempt of [...this.#inFlight]) this.#count(attempt, true);
  }

  /**
   * Stops listening, flushes (bounded by `flushTimeoutMs` in all, counting what is left as dropped)
   * and shuts the exporter down within what remains of that time. Idempotent; never rejects.
   */
  shutdown(): Promise<void> {
    this.#shutdown ??= (async () => {
      this.#unsubscribe?.();
      this.#removeExitHook?.();
      this.#closed = true;
      const deadline = Date.now() + this.#flushTimeoutMs;
      await this.#flushWithin(deadline);
      this.#clearTimer();
      const left = this.#queue.length + this.#inFlightSpans();
      if (left > 0) {
        warnOnce('export.shutdown-timeout', 'llmtrace: exporter did not finish within flushTimeoutMs at shutdown; the rest is dropped', {
          flushTimeoutMs: this.#flushTimeoutMs,
          dropped: left,
        });
        for (const attempt of [...this.#inFlight]) this.#settle(attempt, false);
        this.#dropped += this.#queue.length;
        this.#take(this.#queue.length);
      }
      const stopped = (async () => suppressTracing(() => this.#exporter.shutdown()))();
      stopped.catch((error: unknown) => reportInternalError('export.shutdown', error));
      await within(stopped, deadline - Date.now());
    })();
    return this.#shutdown;
  }

  /** Counts everything still queued or in flight as dropped (the process is exiting) and warns once. */
  #dropUnexported(): void {
    this.#clearTimer();
    const left = this.#queue.length + this.#inFlightSpans();
    if (left === 0) return;
    for (const attempt of this.#inFlight) attempt.settled = true;
    this.#inFlight.clear();
    this.#take(this.#queue.length);
    this.#dropped += left;
    warnOnce('export.exit-unexported', 'llmtrace: spans not exported before the process exited were dropped (counted in stats().dropped)', {
      dropped: left,
    });
  }

  /** Hands `batch` to the exporter's `exportSync`; true when it did not throw. */
  #exportSync(batch: Span[]): boolean {
    try {
      suppressTracing(() => this.#exporter.exportSync!(batch));
      return true;
    } catch (error) {
      reportInternalError('export.batch-sync', error);
      return false;
    }
  }

  /** Counters since creation. */
  stats(): BatchSpanProcessorStats {
    return { queued: this.#queue.length + this.#inFlightSpans(), exported: this.#exported, dropped: this.#dropped, failed: this.#failed };
  }

  /** How many spans the exports under way carry. */
  #inFlightSpans(): number {
    let spans = 0;
    for (const attempt of this.#inFlight) spans += attempt.spans.length;
    return spans;
  }

  async #flushWithin(deadline: number): Promise<void> {
    const target = this.#accepted;
    this.#flushing++;
    try {
      for (;;) {
        while (this.#taken < target && this.#inFlight.size < FLUSH_CONCURRENCY) {
          const before = this.#inFlight.size;
          this.#exportNext();
          if (this.#inFlight.size === before) break;
        }
        if (this.#inFlight.size === 0) break;
        if (!(await within(Promise.race([...this.#inFlight].map((attempt) => attempt.done)), deadline - Date.now()))) {
          if (this.#ending.aborted) warnGivenUpAtExit();
          else warnOnce('export.flush-timeout', `llmtrace: a flush reached its bound with ${this.#inFlightSpans()} spans still being exported: the receiver is slow, or answers with an error the exporter retries (HTTP 429, 502, 503, 504); those exports go on, and their spans count as exported or failed when they end (stats())`);
          return;
        }
      }
      const flushed = (async () => suppressTracing(() => this.#exporter.forceFlush?.()))();
      flushed.catch((error: unknown) => reportInternalError('export.flush', error));
      await within(flushed, deadline - Date.now());
    } finally {
      this.#flushing--;
    }
  }

  /** Starts the next export when a batch is due, or arms the timer for a partial one. */
  #next(): void {
    if (this.#queue.length === 0) return;
    if (this.#queue.length >= this.#maxBatch || this.#queueBytes * 2 >= this.#maxBytes || this.#flushing > 0) {
      this.#exportNext();
    } else if (!this.#timer && this.#inFlight.size === 0) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#exportNext();
      }, this.#delayMs);
      this.#timer.unref();
    }
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Removes up to `count` spans from the head of the queue. */
  #take(count = this.#maxBatch): Span[] {
    const batch = this.#queue.splice(0, count);
    for (const bytes of this.#sizes.splice(0, batch.length)) this.#queueBytes -= bytes;
    this.#taken += batch.length;
    return batch;
  }

  /**
   * Starts one export of the next batch unless as many are under way as may be (one, or
   * `FLUSH_CONCURRENCY` during a flush); hands everything to a local sink.
   */
  #exportNext(): void {
    this.#clearTimer();
    if (this.#exporter.buffersLocally === true) {
      this.#handOver();
      return;
    }
    const limit = this.#flushing > 0 ? FLUSH_CONCURRENCY : 1;
    if (this.#inFlight.size >= limit || this.#queue.length === 0 || this.#abandoned.aborted) return;
    const attempt: Attempt = { spans: this.#take(), started: false, settled: false, done: Promise.resolve() };
    this.#inFlight.add(attempt);
    attempt.done = Promise.resolve().then(() => this.#run(attempt));
  }

  /**
   * Hands every queued span to an exporter that only queues them in its own bounded backlog
   * (`buffersLocally`), synchronously, in batches: such an export settles at once, so waiting for
   * it would only hold a burst of spans in synchronous code to this queue's bound.
   */
  #handOver(): void {
    while (this.#queue.length > 0) {
      const batch = this.#take();
      try {
        const accepted = suppressTracing(() => this.#exporter.export(batch));
        this.#exported += batch.length;
        Promise.resolve(accepted).catch((error: unknown) => reportInternalError('export.batch', error));
      } catch (error) {
        this.#failed += batch.length;
        reportInternalError('export.batch', error);
      }
    }
  }

  async #run(attempt: Attempt): Promise<void> {
    if (attempt.settled) return; // handed over synchronously at exit
    attempt.started = true;
    let timer: NodeJS.Timeout | undefined;
    try {
      const exported = (async () => suppressTracing(() => this.#exporter.export(attempt.spans)))();
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`export timed out after ${this.#exportTimeoutMs} ms (exportTimeoutMs)`)), this.#exportTimeoutMs);
        timer.unref();
      });
      exported.catch(() => undefined); // a late rejection after a timeout is not unhandled
      await Promise.race([exported, timeout]);
      this.#settle(attempt, true);
    } catch (error) {
      if (!attempt.settled) reportExportFailure(error);
      this.#settle(attempt, false);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Counts an attempt's outcome once and moves on to the next batch. */
  #settle(attempt: Attempt, ok: boolean): void {
    if (!this.#count(attempt, ok)) return;
    if (!this.#closed || this.#flushing > 0) this.#next();
  }

  /** Counts an attempt's outcome unless it was counted already; true when it counted it now. */
  #count(attempt: Attempt, ok: boolean): boolean {
    if (attempt.settled) return false;
    attempt.settled = true;
    if (ok) this.#exported += attempt.spans.length;
    else this.#failed += attempt.spans.length;
    this.#inFlight.delete(attempt);
    return true;
  }
}
