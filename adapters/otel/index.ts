/**
 * `llmtrace/otel`: OpenTelemetry export and interop. The only entry point that loads
 * `@opentelemetry/*` (optional peer dependencies); the core never does.
 */
export { exportToOtlp, type ExportToOtlpOptions, type OtlpProtocol } from './export-to-otlp.js';
export { exportTo, type ExportHandle, type ExportTargetOptions, type ExportToOptions } from './export-handle.js';
export {
  OtelSpanExporter,
  DEFAULT_EXPORT_TIMEOUT_MS,
  DEFAULT_SERVICE_NAME,
  type OtelSpanExporterOptions,
} from './otel-span-exporter.js';
export { toReadableSpan, otelSpanKind, llmtraceResource, LLMTRACE_SCOPE } from './readable-span.js';
export type { ReadableSpan, TimedEvent, OtelSdkSpanExporter, OtelSpanProcessor } from './sdk-shapes.js';
export {
  exportAttributes,
  openInferenceAttributes,
  OpenInference,
  GEN_AI_SEMCONV_VERSION,
  type AttributeConventions,
} from './conventions.js';
export { bridgeOpenTelemetry, activeOtelParent } from './bridge.js';
export {
  forwardToProvider,
  ProviderSpanExporter,
  type ForwardToProviderOptions,
  type ProviderTarget,
} from './forward-to-provider.js';
export { INSTRUMENTATION_SCOPE_NAME, LLMTRACE_VERSION } from './version.js';
export {
  recordMetrics,
  GenAIMetrics,
  GEN_AI_DURATION_BUCKETS,
  GEN_AI_TOKEN_BUCKETS,
  type MetricsHandle,
  type RecordMetricsOptions,
} from './record-metrics.js';
