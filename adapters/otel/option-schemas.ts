/**
 * The option schemas of the `llmtrace/otel` entry points, built with the shared machinery of
 * `lib/internal/option-schemas.ts`. They live here, not there, because their types import
 * `@opentelemetry/*` (optional peers) and the core must not reach those modules, even for types.
 */
import {
  anyString,
  BATCHING_FIELDS,
  checkAgainst,
  every,
  nonEmptyString,
  objectValue,
  oneOf,
  positiveInteger,
  recordOf,
  schema,
  schemaKeys,
  store,
  withMethods,
  type SchemaOf,
} from '../../lib/internal/option-schemas.js';
import type { AttributeConventions } from './conventions.js';
import type { ExportToOptions } from './export-handle.js';
import type { ExportToOtlpOptions, OtlpProtocol } from './export-to-otlp.js';
import type { ForwardToProviderOptions } from './forward-to-provider.js';
import type { OtelSpanExporterOptions } from './otel-span-exporter.js';
import type { RecordMetricsOptions } from './record-metrics.js';

const conventions = oneOf(every<AttributeConventions>()('gen_ai', 'openinference'));
const EXPORT_TARGET_FIELDS = { ...BATCHING_FIELDS, store };
const OTEL_EXPORTER_FIELDS: SchemaOf<OtelSpanExporterOptions> = {
  serviceName: nonEmptyString,
  resource: objectValue('an OpenTelemetry Resource'),
  conventions,
  exportTimeoutMs: positiveInteger,
};
const EXPORT_TO_FIELDS: SchemaOf<ExportToOptions> = { ...EXPORT_TARGET_FIELDS, ...OTEL_EXPORTER_FIELDS };

const OTEL_SCHEMAS = {
  exportTo: schema<ExportToOptions>(EXPORT_TO_FIELDS),
  exportToOtlp: schema<ExportToOtlpOptions>(
    {
      ...EXPORT_TO_FIELDS,
      url: nonEmptyString,
      headers: recordOf('an object of header name to string value', anyString),
      protocol: oneOf(every<OtlpProtocol>()('http/json', 'http/protobuf', 'grpc')),
      timeoutMillis: positiveInteger,
    },
  ),
  OtelSpanExporter: schema<OtelSpanExporterOptions>(OTEL_EXPORTER_FIELDS),
  forwardToProvider: schema<ForwardToProviderOptions>({ ...EXPORT_TARGET_FIELDS, conventions }),
  recordMetrics: schema<RecordMetricsOptions>(
    { meterProvider: withMethods('an OpenTelemetry MeterProvider (with getMeter)', ['getMeter']), store },
    ['meterProvider'],
  ),
};

/** The name of an `llmtrace/otel` entry point whose options `checkOtelOptions` knows. */
export type OtelEntryPoint = keyof typeof OTEL_SCHEMAS;

/** @internal Every `llmtrace/otel` entry point with a schema, and its option keys (for the table-driven test). */
export function otelEntryPointKeys(): Record<OtelEntryPoint, readonly string[]> {
  return schemaKeys(OTEL_SCHEMAS);
}

/** @internal `checkOptions` for the `llmtrace/otel` entry points: the first line of each. */
export function checkOtelOptions(entry: OtelEntryPoint, options: unknown): void {
  checkAgainst(OTEL_SCHEMAS[entry], entry, options);
}
