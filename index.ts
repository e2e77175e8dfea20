/**
 * llmtrace public API. Everything a user imports from `llmtrace` is re-exported here, by name;
 * modules not listed are internal. SDK adapters are separate entry points (`llmtrace/openai`, ...).
 */
export { traced } from './lib/record/recorder.js';
export type { TraceOptions } from './lib/record/call-plan.js';
export { traceModelCall } from './decorators/trace-model-call.js';
export { monitorLLM, type MonitorOptions } from './decorators/monitor-llm.js';
export { getTraceMetadata, TRACE_METADATA_KEY } from './decorators/method-decorator.js';
export type { MethodDecorator, TraceMetadata } from './decorators/method-decorator.js';

export { Span } from './lib/span.js';
export type { Attributes, AttributeValue, ScopeIds, SpanData, SpanError, SpanEvent, SpanKind, SpanStatus } from './lib/span.js';
export { withModel, withSpan, type SpanScopeOptions } from './lib/scopes.js';
export { setSessionMetadata, type SessionMetadata } from './lib/session-metadata.js';
export { addEvent, currentSpan, currentTraceId, setAttributes, suppressTracing } from './lib/context.js';
export { GenAI, LLMTrace, SpanEvents } from './lib/attributes.js';

export { TraceStore, DEFAULT_MAX_SPANS, DEFAULT_TRACE_STORE_MAX_BYTES } from './lib/trace-store.js';
export type { SpanListener, TraceStoreOptions, TraceStoreStats } from './lib/trace-store.js';

export { configure, getLogger, getStore, type LLMTraceOptions } from './lib/config.js';
export { createLogger, type AppLogger, type AppLoggerArgumentOrder, type LogFormat, type LoggerOptions, type LogMethods, type TraceLogger } from './lib/logger.js';
export { attachCallLog, CALL_ERROR_LOG_MESSAGE, CALL_METRICS_LOG_MESSAGE, type CallLogOptions } from './lib/call-log.js';
export { diagnosticCounts } from './lib/internal/diagnostics.js';

export { DEFAULT_MAX_CONTENT_BYTES, type CaptureMode } from './lib/record/content.js';
export { REDACTED, redactText, redactValue } from './lib/redact.js';

export { registerExtractor } from './lib/extract/index.js';
export type { CallResult, ResultExtractor } from './lib/extract/call-result.js';

// W3C trace context
export { continueTrace, formatTraceparent, injectTraceContext, parseTraceparent } from './lib/propagation.js';
export type { HeaderCarrier } from './lib/propagation.js';
export type { ParentRef } from './lib/span.js';


// JSON file store and JSONL session files (lib/storage)
// (loaded on the first `openFileStore()`; the synchronous `createFileStore` and the `FileStore` class are on `llmtrace/extend`)
export { openFileStore } from './lib/storage/open-file-store.js';
export { fileStoreOptionsFromEnv } from './lib/storage/file-store-env.js';
export type { FileStoreOptions, FileStoreStats } from './lib/storage/file-store.js';
export { DEFAULT_STORE_DIR } from './lib/storage/layout.js';

// Aggregation, alerts, cost, sampling and redaction
export { ALERT_LOG_MESSAGE, ALERT_RESOLVED_LOG_MESSAGE, SUMMARY_LOG_MESSAGE } from './lib/aggregator/log-messages.js';
export type { AlertEvent, AlertMetric, AlertRule } from './lib/aggregator/alerts.js';
export type { WindowSummary } from './lib/aggregator/window-summary.js';
export { PRICE_SOURCE_VERSION } from './lib/pricing/genai-prices-data.js';
export { type PriceOverride, type PriceOverrides, type TokenUsage } from './lib/pricing/price-table.js';
export { DEFAULT_SAMPLING, type SamplingOptions } from './lib/sampling.js';
export { type RedactionOptions } from './lib/redact.js';

// Cache hits
export { markCacheHit } from './lib/cache-hit.js';


// One-call setup: store, aggregator, file store, session files
export { startTracing, type StartTracingOptions, type TracingHandle } from './lib/start-tracing.js';

// Evaluations: decisions among candidates and single scores, stored with the spans (lib/evaluations)
// (leaderboard, headToHead and trainingRecords are re-exported with the query layer, lib/query)
// (from their own modules, not the barrel, which also holds the read path's leaderboard and training export)
export { recordEvaluation } from './lib/evaluations/record-evaluation.js';
export { score } from './lib/evaluations/score.js';
export { getEvaluations } from './lib/evaluations/evaluation-sink.js';
export { DEFAULT_MAX_EVALUATIONS_IN_MEMORY } from './lib/evaluations/memory-evaluations.js';
export { MAX_EVALUATION_TEXT_BYTES } from './lib/evaluations/evaluation-text.js';
export { readEvaluations } from './lib/evaluations/read-evaluations.js';
export type { CandidateRecord, ChatMessage, DecisionRecord, EvaluationCandidate, EvaluationFilter, EvaluationOptions, EvaluationPrompt, EvaluationRecord, ReadEvaluationsOptions, ScoreOptions, ScoreRecord, ScoreValue } from './lib/evaluations/index.js';
