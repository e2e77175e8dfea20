/**
 * `startTracing`: the one call that wires the pieces a service usually wants together: the default
 * TraceStore, an Aggregator whose window summaries are logged and written to the JSON file store, a
 * BatchSpanProcessor that persists sampled spans to that store, and (optionally) JSONL session
 * files. Returns one handle to flush and shut everything down; pending data is also flushed at exit.
 */
import { tracingOptionsFromEnv, withEnvironment } from './environment-options.js';
import { checkBoolean } from './internal/validate.js';
import { Aggregator, type AggregatorOptions } from './aggregator/aggregator.js';
import { configure, getStore, type LLMTraceOptions } from './config.js';
import { BatchSpanProcessor, type BatchSpanProcessorOptions } from './export/batch-span-processor.js';
import type { SpanExporter } from './export/span-exporter.js';
import { onExit, setExitSignalHandling } from './internal/exit-hooks.js';
import { reportInternalError } from './internal/diagnostics.js';
import { attachEvaluationSink } from './evaluations/evaluation-sink.js';
import { openFileStore, resolveOptions as checkFileStoreOptions, type FileStore, type FileStoreOptions } from './storage/file-store.js';
import { createSessionFileExporter, type SessionFileExporter, type SessionFileExporterOptions } from './storage/session-file-exporter.js';
import type { TraceStore } from './trace-store.js';
import { checkOptions } from './internal/option-schemas.js';
import { claimTracingSlot } from './internal/tracing-slot.js';
import type { DashboardHandle, DashboardOptions } from '../dashboard/server/start-dashboard.js';

/** Stands in for a sink while `startTracing` checks the batching options. */
const DISCARDING_EXPORTER: SpanExporter = { export: async () => undefined, shutdown: async () => undefined };

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
  checkOptions('startTracing', options);
  options = withEnvironment(options, tracingOptionsFromEnv(process.env));
  const {
    fileStore: fileStoreOptions = {},
    aggregation = {},
    sessionFiles: sessionOptions = false,
    batching,
    exporters = [],
    handleSignals,
    dashboard: dashboardOptions,
    ...settings
  } = options;
  if (handleSignals !== undefined) checkBoolean(handleSignals, 'handleSignals');
  // Every option is checked before anything changes or starts: these checks do no I/O, and the
  // aggregator subscribes to the configured store only at start(). The session exporter registers
  // an exit hook, undone (with no I/O: it has written nothing) if configure() rejects its options.
  const aggregator = aggregation === false ? undefined : new Aggregator({ ...aggregation, store: undefined });
  // Loaded only when asked for, so a program without a dashboard never loads node:http for it.
  const dashboardModule = dashboardOptions === undefined ? undefined : await import('../dashboard/server/start-dashboard.js');
  dashboardModule?.checkDashboardOptions({ ...dashboardOptions });
  new BatchSpanProcessor(DISCARDING_EXPORTER, { ...batching, flushOnExit: false });
  if (fileStoreOptions !== false) checkFileStoreOptions(fileStoreOptions);
  const sessionFiles = sessionOptions === false ? undefined : createSessionFileExporter(sessionOptions);
  let releaseSlot = (): void => undefined;
  try {
    releaseSlot = claimTracingSlot();
    configure(settings);
  } catch (error) {
    releaseSlot();
    void sessionFiles?.shutdown();
    throw error;
  }
  if (handleSignals !== undefined) setExitSignalHandling(handleSignals);
  const store = getStore();
  const fileStore = fileStoreOptions === false ? undefined : await openFileStore(fileStoreOptions);

  const sinks: SpanExporter[] = [...exporters];
  if (fileStore) sinks.push(fileStore);
  if (sessionFiles) sinks.push(sessionFiles);
  const processors = sinks.map((sink) => new BatchSpanProcessor(sink, { ...batching, flushOnExit: false }).attach(store));
  if (aggregator && fileStore) aggregator.onSummary((summaries) => fileStore.writeSummaries(summaries));
  const detachEvaluations = fileStore ? attachEvaluationSink(fileStore) : undefined;
  aggregator?.start();
  const dashboard = await dashboardModule?.startDashboard({ ...dashboardOptions, store, dir: fileStore?.dir ?? false });

  const flush = async (): Promise<void> => {
    try {
      aggregator?.flush();
      await Promise.all(processors.map((processor) => processor.forceFlush()));
    } catch (error) {
      reportInternalError('start-tracing.flush', error);
    }
  };
  // At `exit` only synchronous work runs: close the window, hand every queue over, write it all.
  const flushSync = (): void => {
    aggregator?.flush();
    for (const processor of processors) processor.flushSync();
    fileStore?.flushSync();
  };
  // One exit hook, in order: close the aggregation window, then write spans and summaries.
  const removeExitHook = onExit('start-tracing', flush, flushSync);
  let stopped: Promise<void> | undefined;
  return {
    store,
    aggregator,
    fileStore,
    sessionFiles,
    dashboard,
    flush,
    shutdown() {
      stopped ??= (async () => {
        removeExitHook();
        detachEvaluations?.();
        await dashboard?.close();
        try {
          aggregator?.stop();
          await Promise.all(processors.map((processor) => processor.shutdown()));
        } catch (error) {
          reportInternalError('start-tracing.shutdown', error);
        }
        releaseSlot();
      })();
      return stopped;
    },
  };
}
