/**
 * llmtrace/extend: the seams for code that extends llmtrace rather than uses it: the span exporter
 * seam and batch processor, the built-in result extractors, the JSON file store (`FileStore` and the
 * synchronous `createFileStore`, which load it at import), its layout, reader and file-system seam,
 * session-file records, the aggregator and its distributions, the price table, W3C tracestate
 * parsing and the redactor parts. Applications need none of this: they use `llmtrace`
 * (tracing, decorators, configuration, evaluations) and `llmtrace/query` (reading back).
 */
export { isValidSpanId, isValidTraceId } from '../ids.js';
export { LogBuffer, DEFAULT_LOG_BUFFER_SIZE, type LogEntry, type LogLevel, type LogQuery } from '../log-buffer.js';
export { extractCallResult } from '../extract/index.js';
export { extractOpenAIChat, extractOpenAIResponse, extractOpenAIEmbedding } from '../extract/openai.js';
export { extractAnthropicMessage } from '../extract/anthropic.js';
export { extractOllama } from '../extract/ollama.js';
export { extractLlamaCpp } from '../extract/llamacpp.js';
export { extractOpenAICompatible } from '../extract/openai-compatible.js';
export { extractAISdkResult } from '../extract/ai-sdk.js';
export { extractLangChain } from '../extract/langchain.js';
export { extractGemini } from '../extract/gemini.js';
export { extractBedrockConverse } from '../extract/bedrock.js';
export { extractCohere } from '../extract/cohere.js';
export type { SpanExporter } from '../export/span-exporter.js';
export { BatchSpanProcessor } from '../export/batch-span-processor.js';
export type { BatchSpanProcessorOptions, BatchSpanProcessorStats } from '../export/batch-span-processor.js';
export { createFileStore, FileStore, DEFAULT_MAX_PENDING_BATCHES } from '../storage/file-store.js';
export { FileStoreReader, openFileStoreReader } from '../storage/file-store-reader.js';
export type { FileStoreReaderOptions, FileStoreReadStats, SegmentInfo, StoreMetadata, TimeRange } from '../storage/file-store-reader.js';
export { DEFAULT_MAX_SEGMENT_BYTES, DEFAULT_MAX_SEGMENT_RECORDS, DEFAULT_MAX_STORE_BYTES, DEFAULT_RETENTION_MS, DEFAULT_SEGMENT_WINDOW_MS, STORE_SCHEMA_VERSION } from '../storage/layout.js';
export type { ProcessRecord, SegmentDoc, SegmentKind, StoreMeta } from '../storage/layout.js';
export { nodeFileSystem } from '../storage/fs-facade.js';
export type { FileStats, StorageFileSystem, WritableFile } from '../storage/fs-facade.js';
export { SessionFileExporter, createSessionFileExporter, sessionFileName } from '../storage/session-file-exporter.js';
export type { SessionFileExporterOptions, SessionFileExporterStats } from '../storage/session-file-exporter.js';
export { spanToSessionEvents, SESSION_EVENT_TYPES } from '../storage/session-events.js';
export type { ErrorData, LlmRequestData, LlmResponseData, SessionEndData, SessionEvent, SessionEventType } from '../storage/session-events.js';
export { parseSessionLines, readSessionFile, summariseSession } from '../storage/session-file-reader.js';
export type { ModelSessionStats, SessionFileContents, SessionFileError, SessionSummary } from '../storage/session-file-reader.js';
export { Aggregator, DEFAULT_AGGREGATION_INTERVAL_MS, DEFAULT_MAX_GROUPS, OVERFLOW_GROUP } from '../aggregator/aggregator.js';
export { DEFAULT_AGGREGATED_KINDS } from '../aggregator/aggregated-kinds.js';
export type { AggregatorOptions, AlertListener, SummaryListener } from '../aggregator/aggregator.js';
export { Distribution, EXACT_PERCENTILE_LIMIT, SKETCH_RELATIVE_ACCURACY } from '../aggregator/distribution.js';
export type { SerializedDistribution } from '../aggregator/distribution.js';
export { mergeSummaries, mergeSummariesByGroup, MIXED_GROUP } from '../aggregator/merge-summaries.js';
export type { ModelPrice, TokenPrice } from '../pricing/model-price.js';
export { PriceTable } from '../pricing/price-table.js';
export { createRedactor, DEFAULT_SECRET_PATTERNS, SECRET_KEY, type MaskFunction, type Redactor } from '../redact.js';
export { MAX_TRACESTATE_MEMBERS, parseTracestate } from '../tracestate.js';
export { attachEvaluationSink, evaluationMemoryStats } from '../evaluations/index.js';
export type { EvaluationSink, MemoryEvaluationStats } from '../evaluations/index.js';
