/**
 * The exporter seam: everything that sends finished spans somewhere (the JSON file store, JSONL
 * session files, OpenTelemetry) implements these three methods, the same shape as OpenTelemetry's
 * `SpanExporter`. Exporters are called by a BatchSpanProcessor, one batch at a time, with tracing
 * suppressed.
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
}
