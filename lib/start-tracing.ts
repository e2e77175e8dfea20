/**
 * `startTracing`: the one call that wires the pieces a service usually wants together: the default
 * TraceStore, an Aggregator whose window summaries are logged and written to the JSON file store, a
 * BatchSpanProcessor that persists sampled spans to that store, and (optionally) JSONL session
 * files. Returns one handle to flush and shut everything down; pending data is also flushed at exit.
 * The work is in lib/tracing-setup.ts, loaded on the first call: `import 'llmtrace'` loads neither
 * the aggregator (and its sketches) nor the file store (lowdb, p-queue) (benchmarks/import-time.ts).
 */
import type { CallLogOptions } from './call-log.js';
import type { Aggregator, AggregatorOptions } from './aggregator/aggregator.js';
import type { LLMTraceOptions } from './config.js';
import type { BatchSpanProcessorOptions } from './export/batch-span-processor.js';
import type { SpanExporter } from './export/span-exporter.js';
import type { FileStore, FileStoreOptions } from './storage/file-store.js';
import type { SessionFileExporter, SessionFileExporterOptions } from './storage/session-file-exporter.js';
import type { TraceStore } from './trace-store.js';
import type { DashboardHandle, DashboardOptions } from '../dashboard/server/start-dashboard.js';

/** Options of `startTracing`: process-wide settings plus the sinks to run. */
export interface StartTracingOptions extends LLMTraceOptions {
  /**
   * The JSON file store (spans sampled in, window summaries), or `false` to keep everything in
   * memory. Take the directory from `LLMTRACE_DIR` with `fileStoreOptionsFromEnv()`.
   * @default {} (directory './.llmtrace')
   */
  fileStore?: FileStoreOptions | false;
  /**
   * The aggregator (one `LLM_AGGREGATED_METRICS` log line per function and model per window), or
   * `false`.
   * @default {} (60 s windows)
   */
  aggregation?: Omit<AggregatorOptions, 'store'> | false;
  /**
   * JSONL session files (one file per session scope), or `false`.
   * @default false
   */
  sessionFiles?: SessionFileExporterOptions | false;
  /** Batching of spans on their way to the file store and session files. @default BatchSpanProcessor defaults */
  batching?: BatchSpanProcessorOptions;
  /** More exporters to feed (e.g. an OpenTelemetry one from `llmtrace/otel`). @default [] */
  exporters?: readonly SpanExporter[];
  /**
   * Listen for SIGTERM and SIGINT to write pending data before the signal takes its course (the
   * process then dies by the same signal, or the user's own handlers decide). A JavaScript signal
   * handler runs only when the event loop is free, so a program busy in synchronous code dies when
   * it yields rather than at once; `false` keeps Node's immediate death and loses what was still
   * queued. See docs/exit-and-faults.md.
   * @default true
   */
  handleSignals?: boolean;
  /**
   * Serves the local dashboard over this program's TraceStore (live, with calls in flight) and
   * the file store's directory: `{ port: 3014 }`. Loaded only when given. See docs/dashboard.md.
   * @default undefined (no dashboard)
   */
  dashboard?: Omit<DashboardOptions, 'store' | 'dir'>;
  /**
   * One `LLM_CALL_METRICS` / `LLM_CALL_ERROR` log line per model call (docs/logging.md): `true`, or
   * call log options.
   * @default false
   */
  logCalls?: boolean | Omit<CallLogOptions, 'store'>;
}

/** What `startTracing` started. */
export interface TracingHandle {
  /** The TraceStore spans go to (the configured default). */
  readonly store: TraceStore;
  /** The aggregator, unless disabled. */
  readonly aggregator: Aggregator | undefined;
  /** The JSON file store, unless disabled. */
  readonly fileStore: FileStore | undefined;
  /** The JSONL session exporter, when enabled. */
  readonly sessionFiles: SessionFileExporter | undefined;
  /** The dashboard, when `dashboard` was given. */
  readonly dashboard: DashboardHandle | undefined;
  /** Closes the current aggregation window and writes out everything pending. Never rejects. */
  flush(): Promise<void>;
  /** Flushes, stops the aggregator and shuts every exporter down. Idempotent; never rejects. */
  shutdown(): Promise<void>;
}

/**
 * Configures llmtrace and starts the aggregator and the sinks. Options left out are read from the
 * `LLMTRACE_*` environment variables (`LLMTRACE_DISABLED`, `LLMTRACE_CAPTURE`,
 * `LLMTRACE_SAMPLING_RATIO`, `LLMTRACE_LOG_LEVEL`, `LLMTRACE_DIR`; see docs/configuration.md);
 * options in code win. Throws a TypeError naming the option or variable when one is invalid
 * (before anything starts); disk failures later are counted and logged, never thrown.
 * One runs at a time: a second call while one is running rejects with an Error (it would write
 * every span twice); `await handle.shutdown()` first, or use the handle it returned.
 * @example
 * const tracing = await startTracing({ fileStore: fileStoreOptionsFromEnv(), aggregation: { intervalMs: 60_000 } });
 * // ... traced calls ...
 * await tracing.shutdown();
 */
export async function startTracing(options: StartTracingOptions = {}): Promise<TracingHandle> {
  const { setUpTracing } = await import('./tracing-setup.js');
  return setUpTracing(options);
}
