/**
 * The messages of the aggregator's log lines, apart from the aggregator so that the root entry can
 * export them without loading it (and its sketches) at `import 'llmtrace'` (benchmarks/import-time.ts).
 */

/** Message of the per-group summary log line. */
export const SUMMARY_LOG_MESSAGE = 'LLM_AGGREGATED_METRICS';

/** Message of the log line of an alert that starts firing (or is repeated). */
export const ALERT_LOG_MESSAGE = 'LLM_ALERT';

/** Message of the log line of an alert that recovered. */
export const ALERT_RESOLVED_LOG_MESSAGE = 'LLM_ALERT_RESOLVED';
