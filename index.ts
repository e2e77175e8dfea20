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

export { TraceStore, DEFAULT_MAX_SPANS } from './lib/trace-store.js';
export type { SpanListener, TraceStoreOptions, TraceStoreStats } from './lib/trace-store.js';

export { configure, getLogger, getStore, type LLMTraceOptions } from './lib/config.js';
export { createLogger, type LogFormat, type LoggerOptions, type TraceLogger } from './lib/logger.js';
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

// W3C trace context
export { continueTrace, formatTraceparent, injectTraceContext, parseTraceparent } from './lib/propagation.js';
export type { HeaderCarrier } from './lib/propagation.js';
export type { ParentRef } from './lib/span.js';

// Export seam
export type { SpanExporter } from './lib/export/span-exporter.js';
export { BatchSpanProcessor } from './lib/export/batch-span-processor.js';
export type { BatchSpanProcessorOptions, BatchSpanProcessorStats } from './lib/export/batch-span-processor.js';
