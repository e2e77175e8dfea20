/**
 * The running-export handle: an llmtrace SpanExporter behind a BatchSpanProcessor subscribed to a
 * TraceStore (the configured default unless one is given). `exportTo` wires any OpenTelemetry
 * SpanExporter this way; `exportToOtlp` and `forwardToProvider` build on it.
 */
import type { OtelSdkSpanExporter } from './sdk-shapes.js';
import { getStore } from '../../lib/config.js';
import {
  BATCH_OPTION_KEYS,
  BatchSpanProcessor,
  type BatchSpanProcessorOptions,
  type BatchSpanProcessorStats,
} from '../../lib/export/batch-span-processor.js';
import type { SpanExporter } from '../../lib/export/span-exporter.js';
import { checkStore, type TraceStore } from '../../lib/trace-store.js';
import { OtelSpanExporter, type OtelSpanExporterOptions } from './otel-span-exporter.js';
import { checkOtelOptions } from './option-schemas.js';

/** Where exported spans come from and how they are batched. */
export interface ExportTargetOptions extends BatchSpanProcessorOptions {
  /** The store whose finished spans are exported. @default the configured store (`getStore()`) */
  store?: TraceStore;
}

/** Options of `exportTo`. */
export interface ExportToOptions extends ExportTargetOptions, OtelSpanExporterOptions {}

/** A running export. */
export interface ExportHandle {
  /** Exports everything queued now and flushes the exporter. Never rejects. */
  flush(): Promise<void>;
  /** Flushes, shuts the exporter down and stops listening to the store. Idempotent; never rejects. */
  shutdown(): Promise<void>;
  /** Batch counters: queued, exported, dropped (queue full), failed (export errors). */
  stats(): BatchSpanProcessorStats;
}

/** @internal Attaches `exporter` to a store through a BatchSpanProcessor. */
export function startExport(exporter: SpanExporter, options: ExportTargetOptions = {}): ExportHandle {
  checkStore(options.store);
  const batching: Record<string, unknown> = {};
  for (const key of BATCH_OPTION_KEYS) if (options[key] !== undefined) batching[key] = options[key];
  const processor = new BatchSpanProcessor(exporter, batching as BatchSpanProcessorOptions).attach(options.store ?? getStore());
  return {
    flush: () => processor.forceFlush(),
    shutdown: () => processor.shutdown(),
    stats: () => processor.stats(),
  };
}

/**
 * Exports llmtrace spans through any OpenTelemetry SpanExporter (Zipkin, console, OTLP you built
 * yourself, a user's own exporter).
 * @example
 * const zipkin = exportTo(new ZipkinExporter({ url: 'http://localhost:9411/api/v2/spans' }), { serviceName: 'bot' });
 * await zipkin.shutdown();
 */
export function exportTo(exporter: OtelSdkSpanExporter, options: ExportToOptions = {}): ExportHandle {
  checkOtelOptions('exportTo', options);
  const { serviceName, resource, conventions, exportTimeoutMs } = options;
  return startExport(new OtelSpanExporter(exporter, { serviceName, resource, conventions, exportTimeoutMs }), options);
}
