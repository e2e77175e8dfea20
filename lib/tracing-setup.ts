/**
 * What `startTracing` runs (lib/start-tracing.ts loads this module on the first call, so that
 * `import 'llmtrace'` does not load the aggregator, the file store and the session files; see
 * benchmarks/import-time.ts): wires the default TraceStore, an Aggregator whose window summaries
 * are logged and written to the JSON file store, a BatchSpanProcessor that persists sampled spans to
 * that store, and (optionally) JSONL session files, and returns one handle to flush and shut
 * everything down; pending data is also flushed at exit.
 */
import { tracingOptionsFromEnv, withEnvironment } from './environment-options.js';
import { checkBoolean } from './internal/validate.js';
import { attachCallLog, checkCallLogOptions } from './call-log.js';
import { Aggregator } from './aggregator/aggregator.js';
import { configure, getStore } from './config.js';
import { BatchSpanProcessor } from './export/batch-span-processor.js';
import type { SpanExporter } from './export/span-exporter.js';
import { onExit, setExitSignalHandling } from './internal/exit-hooks.js';
import { reportInternalError } from './internal/diagnostics.js';
import { endDeferredCalls, hookDeferredEnds } from './record/deferred-ends.js';
import { attachEvaluationSink } from './evaluations/evaluation-sink.js';
import { openFileStore, resolveOptions as checkFileStoreOptions } from './storage/file-store.js';
import { createSessionFileExporter } from './storage/session-file-exporter.js';
import { checkOptions } from './internal/option-schemas.js';
import { claimTracingSlot } from './internal/tracing-slot.js';
import type { StartTracingOptions, TracingHandle } from './start-tracing.js';

/** Stands in for a sink while `startTracing` checks the batching options. */
const DISCARDING_EXPORTER: SpanExporter = { export: async () => undefined, shutdown: async () => undefined };

/** `startTracing` (see lib/start-tracing.ts for the contract), once its modules are loaded. */
export async function setUpTracing(options: StartTracingOptions): Promise<TracingHandle> {
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
    logCalls = false,
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
  if (logCalls !== true && logCalls !== false) checkCallLogOptions(logCalls);
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
  const detachCallLog = logCalls === false ? undefined : attachCallLog(logCalls === true ? {} : { ...logCalls, store });

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
  hookDeferredEnds(true); // ends deferred before tracing started (a stream returned earlier) now run at exit too, before this hook
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
        endDeferredCalls(); // a span an adapter holds open (a failed attempt awaiting its retry) is stored now
        removeExitHook();
        detachEvaluations?.();
        await dashboard?.close();
        detachCallLog?.();
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
