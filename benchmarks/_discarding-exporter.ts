/**
 * Benchmark helper (not a scenario: its name starts with `_`): the OpenTelemetry anchor's exporter.
 * Used by traced-overhead.ts and realistic-call.ts.
 */
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/**
 * An exporter that accepts and discards every batch (the SDK's own cost, no I/O). It holds the last
 * span it was given, as llmtrace's recorder holds its last ended call: V8 drops a hidden class no
 * live object has, so with every span exported and dropped by the time the full GC between two
 * rounds ran, the SDK's record path (SpanImpl, setAttribute, onEnd, ...) was deoptimised and compiled
 * again in the next round, which inflated the anchor's overhead in some rounds up to 3x
 * (docs/performance.md, "Hidden classes across GCs").
 */
export class DiscardingExporter implements SpanExporter {
  exported = 0;
  last: ReadableSpan | undefined;
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.exported += spans.length;
    this.last = spans.at(-1) ?? this.last;
    done({ code: ExportResultCode.SUCCESS });
  }
  async shutdown(): Promise<void> {}
}
