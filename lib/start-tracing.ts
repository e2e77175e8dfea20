/**
 * `startTracing`: the one call that wires the pieces a service usually wants together: the default
 * TraceStore, an Aggregator whose window summaries are logged and written to the JSON file store, a
 * BatchSpanProcessor that persists sampled spans to that store, and (optionally) JSONL session
 * files. Returns one handle to flush and shut everything down; pending data is also flushed at exit.
 */
import { tracingOptionsFromEnv, withEnvironment } from './environment-options.js';
import { checkKnownKeys } from './internal/validate.js';
import { attachCallLog, checkCallLogOptions, type CallLogOptions } from './call-log.js';
import { Aggregator, type AggregatorOptions } from './aggregator/aggregator.js';
import { configure, CONFIGURE_KEYS, getStore, type LLMTraceOptions } from './config.js';
import { BatchSpanProcessor, type BatchSpanProcessorOptions } from './export/batch-span-processor.js';
import type { SpanExporter } from './export/span-exporter.js';
import { onExit } from './internal/exit-hooks.js';
import { reportInternalError } from './internal/diagnostics.js';
import { attachEvaluationSink } from './evaluations/evaluation-sink.js';
import { openFileStore, resolveOptions as checkFileStoreOptions, type FileStore, type FileStoreOptions } from './storage/file-store.js';
import { createSessionFileExporter, type SessionFileExporter, type SessionFileExporterOptions } from './storage/session-file-exporter.js';
import type { TraceStore } from './trace-store.js';

/** Stands in for a sink while `startTracing` checks the batching options. */
const DISCARDING_EXPORTER: SpanExporter = { export: async () => undefined, shutdown: async () => undefined };

/** Every key `startTracing()` accepts; any other key is refused with the nearest of these. */
const START_TRACING_KEYS: readonly (keyof StartTracingOptions)[] = [
  ...CONFIGURE_KEYS,
  'fileStore', 'aggregation', 'sessionFiles', 'batching', 'exporters',
  'logCalls',
];

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
 * @example
 * const tracing = await startTracing({ fileStore: fileStoreOptionsFromEnv(), aggregation: { intervalMs: 60_000 } });
 * // ... traced calls ...
 * await tracing.shutdown();
 */
export async function startTracing(options: StartTracingOptions = {}): Promise<TracingHandle> {
  checkKnownKeys(options, START_TRACING_KEYS, 'startTracing');
  options = withEnvironment(options, tracingOptionsFromEnv(process.env));
  const { fileStore: fileStoreOptions = {}, aggregation = {}, sessionFiles: sessionOptions = false, batching, exporters = [], logCalls = false, ...settings } =
    options;
  // Every option is checked before anything changes or starts: these checks do no I/O, and the
  // aggregator subscribes to the configured store only at start(). The session exporter registers
  // an exit hook, undone (with no I/O: it has written nothing) if configure() rejects its options.
  const aggregator = aggregation === false ? undefined : new Aggregator({ ...aggregation, store: undefined });
  new BatchSpanProcessor(DISCARDING_EXPORTER, { ...batching, flushOnExit: false });
  if (fileStoreOptions !== false) checkFileStoreOptions(fileStoreOptions);
  if (logCalls !== true && logCalls !== false) checkCallLogOptions(logCalls);
  const sessionFiles = sessionOptions === false ? undefined : createSessionFileExporter(sessionOptions);
  try {
    configure(settings);
  } catch (error) {
    void sessionFiles?.shutdown();
    throw error;
  }
  const store = getStore();
  const fileStore = fileStoreOptions === false ? undefined : await openFileStore(fileStoreOptions);

  const sinks: SpanExporter[] = [...exporters];
  if (fileStore) sinks.push(fileStore);
  if (sessionFiles) sinks.push(sessionFiles);
  const processors = sinks.map((sink) => new BatchSpanProcessor(sink, { ...batching, flushOnExit: false }).attach(store));
  if (aggregator && fileStore) aggregator.onSummary((summaries) => fileStore.writeSummaries(summaries));
  const detachEvaluations = fileStore ? attachEvaluationSink(fileStore) : undefined;
  aggregator?.start();
  const detachCallLog = logCalls === false ? undefined : attachCallLog(logCalls === true ? {} : { ...logCalls, store });

  const flush = async (): Promise<void> => {
    try {
      aggregator?.flush();
      await Promise.all(processors.map((processor) => processor.forceFlush()));
    } catch (error) {
      reportInternalError('start-tracing.flush', error);
    }
  };
  // One exit hook, in order: close the aggregation window, then write spans and summaries.
  const removeExitHook = onExit('start-tracing', flush);
  let stopped: Promise<void> | undefined;
  return {
    store,
    aggregator,
    fileStore,
    sessionFiles,
    flush,
    shutdown() {
      stopped ??= (async () => {
        removeExitHook();
        detachEvaluations?.();
        detachCallLog?.();
        try {
          aggregator?.stop();
          await Promise.all(processors.map((processor) => processor.shutdown()));
        } catch (error) {
          reportInternalError('start-tracing.shutdown', error);
        }
      })();
      return stopped;
    },
  };
}
