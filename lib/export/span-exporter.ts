/**
 * The exporter seam: everything that sends finished spans somewhere (the JSON file store, JSONL
 * session files, OpenTelemetry) implements `export` and `shutdown` (optionally `forceFlush`), the
 * same shape as OpenTelemetry's `SpanExporter`. Exporters are called by a BatchSpanProcessor, one
 * batch at a time, with tracing suppressed.
 *
 * Exporters that write locally also implement the synchronous pair `exportSync`/`flushSync`: on
 * `exit` (after `process.exit()`, an uncaught exception, a crashing rejection) no promise settles
 * any more, so the processor hands its queue over with `exportSync` and then calls `flushSync`,
 * which must write, synchronously, everything the exporter was given (by `export` or `exportSync`)
 * that is not on disk yet, including a write that was under way.
 */
import type { Span } from '../span.js';

/** Sends batches of finished spans somewhere. */
export interface SpanExporter {
  /** Sends one batch. A rejection is counted as a failed batch; it never reaches user code. */
  export(spans: readonly Span[]): Promise<void>;
  /** Writes out anything the exporter itself buffers. */
  forceFlush?(): Promise<void>;
  /** Flushes and releases resources. Called once. */
  shutdown(): Promise<void>;
  /**
   * True when `export` only puts the batch in the exporter's own bounded backlog and never rejects
   * (failures are counted in the exporter's stats): the local file sinks. The processor then hands
   * each batch over synchronously, as soon as it is full, instead of waiting for the previous
   * export to settle, so a burst of spans recorded in synchronous code is not cut to the
   * processor's queue bound. Network exporters leave it out.
   */
  readonly buffersLocally?: boolean;
  /**
   * Writes one batch synchronously (used at process exit). Throwing counts the batch as failed.
   * Exporters that cannot write synchronously (network) leave it out.
   */
  exportSync?(spans: readonly Span[]): void;
  /**
   * Synchronously writes everything handed over so far and not yet on disk (used at process exit,
   * after `exportSync`). Repeatable; must not throw.
   */
  flushSync?(): void;
}
