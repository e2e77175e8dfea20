/**
 * BatchSpanProcessor: takes finished, sampled-in spans from a TraceStore subscription, queues them
 * (bounded: when full the new span is dropped and counted, with one warning), and hands them to a
 * SpanExporter in batches: when a batch is full, on a timer (`unref()`'d), on `forceFlush()` and at
 * process exit. Exports run one at a time with tracing suppressed; failures are counted and
 * reported, never thrown into the traced program.
 */
import { positiveInteger } from '../internal/validate.js';
import { suppressTracing } from '../context.js';
import { onExit } from '../internal/exit-hooks.js';
import { reportInternalError, warnOnce } from '../internal/diagnostics.js';
import type { Span } from '../span.js';
import type { TraceStore } from '../trace-store.js';
import type { SpanExporter } from './span-exporter.js';
import { checkOptions } from '../internal/option-schemas.js';

/** Options of a BatchSpanProcessor. */
export interface BatchSpanProcessorOptions {
  /** Most spans waiting; newer ones are dropped beyond it. @default 2048 */
  maxQueueSize?: number;
  /** Most spans per export call. @default 512 */
  maxExportBatchSize?: number;
  /** Longest a span waits before its batch is exported, in ms. @default 1000 */
  scheduledDelayMs?: number;
  /** Flush at process exit (beforeExit, SIGTERM, SIGINT). @default true */
  flushOnExit?: boolean;
}

/** Counters of a BatchSpanProcessor. */
export interface BatchSpanProcessorStats {
  /** Spans waiting now. */
  queued: number;
  /** Spans handed to the exporter in batches that succeeded. */
  exported: number;
  /** Spans dropped because the queue was full. */
  dropped: number;
  /** Spans in batches whose export failed. */
  failed: number;
}


/** Batches spans from a store to an exporter. */
export class BatchSpanProcessor {
  readonly #exporter: SpanExporter;
  readonly #maxQueue: number;
  readonly #maxBatch: number;
  readonly #delayMs: number;
  #queue: Span[] = [];
  #timer: NodeJS.Timeout | undefined;
  #exporting: Promise<void> = Promise.resolve();
  #unsubscribe: (() => void) | undefined;
  #removeExitHook: (() => void) | undefined;
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
    this.#maxQueue = positiveInteger(options.maxQueueSize, 'maxQueueSize', 2048);
    this.#maxBatch = positiveInteger(options.maxExportBatchSize, 'maxExportBatchSize', 512);
    this.#delayMs = positiveInteger(options.scheduledDelayMs, 'scheduledDelayMs', 1000);
    if (options.flushOnExit !== false) this.#removeExitHook = onExit('batch-span-processor', () => this.forceFlush());
  }

  /** Subscribes to `store`'s finished spans. Returns `this`. */
  attach(store: TraceStore): this {
    this.#unsubscribe?.();
    this.#unsubscribe = store.subscribe((span) => this.onEnd(span));
    return this;
  }

  /** Queues one finished span (sampled-out spans are skipped). Never throws. */
  onEnd(span: Span): void {
    if (this.#shutdown || !span.sampled) return;
    if (this.#queue.length >= this.#maxQueue) {
      this.#dropped++;
      warnOnce('export.queue-full', 'llmtrace: export queue full, dropping spans (counted in stats().dropped)', {
        maxQueueSize: this.#maxQueue,
      });
      return;
    }
    this.#queue.push(span);
    if (this.#queue.length >= this.#maxBatch) this.#drain();
    else if (!this.#timer) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#drain();
      }, this.#delayMs);
      this.#timer.unref();
    }
  }

  /** Exports everything queued, then flushes the exporter. Never rejects. */
  async forceFlush(): Promise<void> {
    this.#drain();
    await this.#exporting;
    try {
      await suppressTracing(() => this.#exporter.forceFlush?.());
    } catch (error) {
      reportInternalError('export.flush', error);
    }
  }

  /** Flushes, shuts the exporter down and stops listening. Idempotent; never rejects. */
  shutdown(): Promise<void> {
    this.#shutdown ??= (async () => {
      this.#unsubscribe?.();
      this.#removeExitHook?.();
      await this.forceFlush();
      if (this.#timer) clearTimeout(this.#timer);
      try {
        await suppressTracing(() => this.#exporter.shutdown());
      } catch (error) {
        reportInternalError('export.shutdown', error);
      }
    })();
    return this.#shutdown;
  }

  /** Counters since creation. */
  stats(): BatchSpanProcessorStats {
    return { queued: this.#queue.length, exported: this.#exported, dropped: this.#dropped, failed: this.#failed };
  }

  /** Moves queued spans into export calls, chained so one export runs at a time. */
  #drain(): void {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      this.#exporting = this.#exporting.then(() => this.#exportBatch(batch));
    }
  }

  async #exportBatch(batch: Span[]): Promise<void> {
    try {
      await suppressTracing(() => this.#exporter.export(batch));
      this.#exported += batch.length;
    } catch (error) {
      this.#failed += batch.length;
      reportInternalError('export.batch', error);
    }
  }
}
