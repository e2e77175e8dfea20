/**
 * llmtrace public API. Everything a user imports from `llmtrace` is re-exported here, by name;
 * modules not listed are internal. SDK adapters are separate entry points (`llmtrace/openai`, ...).
 */
export { traced } from './lib/recorder.js';
export type { TraceOptions } from './lib/call-plan.js';
export { traceModelCall } from './decorators/trace-model-call.js';
export { monitorLLM, type MonitorOptions } from './decorators/monitor-llm.js';
export { getTraceMetadata, TRACE_METADATA_KEY } from './decorators/method-decorator.js';
export type { MethodDecorator, TraceMetadata } from './decorators/method-decorator.js';

export { Span } from './lib/span.js';
export type {
  Attributes,
  AttributeValue,
  ScopeIds,
  SpanData,
  SpanError,
  SpanEvent,
  SpanKind,
  SpanStatus,
} from './lib/span.js';
export { withSpan, type SpanScopeOptions } from './lib/scopes.js';
export { addEvent, currentSpan, currentTraceId, setAttributes, suppressTracing } from './lib/context.js';
export { GenAI, LLMTrace, SpanEvents } from './lib/attributes.js';
export { isValidSpanId, isValidTraceId } from './lib/ids.js';

export { TraceStore, DEFAULT_MAX_SPANS, DEFAULT_TRACE_STORE_MAX_BYTES } from './lib/trace-store.js';
export type { SpanListener, TraceStoreOptions, TraceStoreStats } from './lib/trace-store.js';

export { configure, getLogger, getStore, type LLMTraceOptions } from './lib/config.js';
export { createLogger, type AppLogger, type AppLoggerArgumentOrder, type LogFormat, type LoggerOptions, type LogMethods, type TraceLogger } from './lib/logger.js';
export { attachCallLog, CALL_ERROR_LOG_MESSAGE, CALL_METRICS_LOG_MESSAGE, type CallLogOptions } from './lib/call-log.js';
export { LogBuffer, DEFAULT_LOG_BUFFER_SIZE, type LogEntry, type LogLevel, type LogQuery } from './lib/log-buffer.js';
export { diagnosticCounts } from './lib/internal/diagnostics.js';

export { DEFAULT_MAX_CONTENT_BYTES, type CaptureMode } from './lib/content.js';
export { REDACTED, redactText, redactValue } from './lib/redact.js';

export { registerExtractor, extractCallResult } from './lib/extract/index.js';
export type { CallResult, ResultExtractor } from './lib/extract/call-result.js';
export { extractOpenAIChat, extractOpenAIResponse, extractOpenAIEmbedding } from './lib/extract/openai.js';
export { extractAnthropicMessage } from './lib/extract/anthropic.js';
export { extractOllama } from './lib/extract/ollama.js';
export { extractLlamaCpp } from './lib/extract/llamacpp.js';
export { extractOpenAICompatible } from './lib/extract/openai-compatible.js';
export { extractAISdkResult } from './lib/extract/ai-sdk.js';
export { extractLangChain } from './lib/extract/langchain.js';
export { extractGemini } from './lib/extract/gemini.js';
export { extractBedrockConverse } from './lib/extract/bedrock.js';
export { extractCohere } from './lib/extract/cohere.js';

// W3C trace context
export { continueTrace, formatTraceparent, injectTraceContext, parseTraceparent } from './lib/propagation.js';
export type { HeaderCarrier } from './lib/propagation.js';
export type { ParentRef } from './lib/span.js';

// Export seam
export type { SpanExporter } from './lib/export/span-exporter.js';
export { BatchSpanProcessor } from './lib/export/batch-span-processor.js';
export type { BatchSpanProcessorOptions, BatchSpanProcessorStats } from './lib/export/batch-span-processor.js';

// JSON file store and JSONL session files (lib/storage)
export { FileStore, createFileStore, openFileStore, fileStoreOptionsFromEnv } from './lib/storage/file-store.js';
export { DEFAULT_MAX_PENDING_BATCHES } from './lib/storage/file-store.js';
export type { FileStoreOptions, FileStoreStats } from './lib/storage/file-store.js';
export { FileStoreReader, openFileStoreReader } from './lib/storage/file-store-reader.js';
export type {
  FileStoreReaderOptions,
  FileStoreReadStats,
  SegmentInfo,
  StoreMetadata,
  TimeRange,
} from './lib/storage/file-store-reader.js';
export {
  DEFAULT_MAX_SEGMENT_BYTES,
  DEFAULT_MAX_SEGMENT_RECORDS,
  DEFAULT_MAX_STORE_BYTES,
  DEFAULT_RETENTION_MS,
  DEFAULT_SEGMENT_WINDOW_MS,
  DEFAULT_STORE_DIR,
  STORE_SCHEMA_VERSION,
} from './lib/storage/layout.js';
export type { ProcessRecord, SegmentDoc, SegmentKind, StoreMeta } from './lib/storage/layout.js';
export { nodeFileSystem } from './lib/storage/fs-facade.js';
export type { FileStats, StorageFileSystem, WritableFile } from './lib/storage/fs-facade.js';
export { SessionFileExporter, createSessionFileExporter, sessionFileName } from './lib/storage/session-file-exporter.js';
export type { SessionFileExporterOptions, SessionFileExporterStats } from './lib/storage/session-file-exporter.js';
export { spanToSessionEvents, SESSION_EVENT_TYPES } from './lib/storage/session-events.js';
export type {
  ErrorData,
  LlmRequestData,
  LlmResponseData,
  SessionEndData,
  SessionEvent,
  SessionEventType,
} from './lib/storage/session-events.js';
export { parseSessionLines, readSessionFile, summariseSession } from './lib/storage/session-file-reader.js';
export type {
  ModelSessionStats,
  SessionFileContents,
  SessionFileError,
  SessionSummary,
} from './lib/storage/session-file-reader.js';

// Aggregation, alerts, cost, sampling and redaction
export {
  Aggregator,
  ALERT_LOG_MESSAGE,
  ALERT_RESOLVED_LOG_MESSAGE,
  DEFAULT_AGGREGATED_KINDS,
  DEFAULT_AGGREGATION_INTERVAL_MS,
  DEFAULT_MAX_GROUPS,
  OVERFLOW_GROUP,
  SUMMARY_LOG_MESSAGE,
} from './lib/aggregator/aggregator.js';
export type { AggregatorOptions, AlertListener, SummaryListener } from './lib/aggregator/aggregator.js';
export type { AlertEvent, AlertMetric, AlertRule } from './lib/aggregator/alerts.js';
export { Distribution, EXACT_PERCENTILE_LIMIT, SKETCH_RELATIVE_ACCURACY } from './lib/aggregator/distribution.js';
export type { SerializedDistribution } from './lib/aggregator/distribution.js';
export { mergeSummaries, mergeSummariesByGroup, MIXED_GROUP } from './lib/aggregator/merge-summaries.js';
export type { WindowSummary } from './lib/aggregator/window-summary.js';
export { PRICE_SOURCE_VERSION } from './lib/pricing/genai-prices-data.js';
export type { ModelPrice, TokenPrice } from './lib/pricing/model-price.js';
export { PriceTable, type PriceOverride, type PriceOverrides, type TokenUsage } from './lib/pricing/price-table.js';
export { DEFAULT_SAMPLING, type SamplingOptions } from './lib/sampling.js';
export { createRedactor, DEFAULT_SECRET_PATTERNS, SECRET_KEY, type MaskFunction, type RedactionOptions, type Redactor } from './lib/redact.js';

// Cache hits
export { markCacheHit } from './lib/cache-hit.js';

// W3C tracestate
export { MAX_TRACESTATE_MEMBERS, parseTracestate } from './lib/tracestate.js';

// One-call setup: store, aggregator, file store, session files
export { startTracing, type StartTracingOptions, type TracingHandle } from './lib/start-tracing.js';

// Evaluations: decisions among candidates and single scores, stored with the spans (lib/evaluations)
// (leaderboard, headToHead and trainingRecords are re-exported with the query layer, lib/query)
export {
  attachEvaluationSink,
  DEFAULT_MAX_EVALUATIONS_IN_MEMORY,
  evaluationMemoryStats,
  getEvaluations,
  MAX_EVALUATION_TEXT_BYTES,
  readEvaluations,
  recordEvaluation,
  score,
} from './lib/evaluations/index.js';
export type {
  CandidateRecord,
  ChatMessage,
  DecisionRecord,
  EvaluationCandidate,
  EvaluationFilter,
  EvaluationOptions,
  EvaluationPrompt,
  EvaluationRecord,
  EvaluationSink,
  MemoryEvaluationStats,
  ReadEvaluationsOptions,
  ScoreOptions,
  ScoreRecord,
  ScoreValue,
} from './lib/evaluations/index.js';
