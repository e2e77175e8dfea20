/**
 * OtelSpanExporter: an llmtrace `SpanExporter` that converts each batch to OpenTelemetry
 * `ReadableSpan`s and hands it to any OpenTelemetry `SpanExporter` (OTLP over HTTP JSON, HTTP
 * protobuf or gRPC, Zipkin, console, in-memory). A failed or timed-out export rejects, so the
 * BatchSpanProcessor counts it; nothing reaches the traced program. Exports run with OpenTelemetry
 * tracing suppressed too, so a user's HTTP auto-instrumentation does not trace our export requests.
 */
import { checkNonEmptyString, positiveInteger } from '../../lib/internal/validate.js';
import { context } from '@opentelemetry/api';
import { ExportResultCode, suppressTracing as suppressOtelTracing, type ExportResult } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { OtelSdkSpanExporter } from './sdk-shapes.js';
import type { SpanExporter } from '../../lib/export/span-exporter.js';
import type { Span } from '../../lib/span.js';
import { checkConventions, type AttributeConventions } from './conventions.js';
import { llmtraceResource, LLMTRACE_SCOPE, toReadableSpan } from './readable-span.js';
import { checkOtelOptions } from './option-schemas.js';

/** Default longest wait for one OpenTelemetry export call, in ms. */
export const DEFAULT_EXPORT_TIMEOUT_MS = 30_000;

/** Default `service.name` of exported spans. */
export const DEFAULT_SERVICE_NAME = 'llmtrace';

/** Options of an OtelSpanExporter. */
export interface OtelSpanExporterOptions {
  /** `service.name` on the exported resource (ignored when `resource` is given). @default 'llmtrace' */
  serviceName?: string;
  /** The whole resource to export under. @default OpenTelemetry's default resource plus `service.name` */
  resource?: Resource;
  /** Attribute naming on exported spans. @default 'gen_ai' */
  conventions?: AttributeConventions;
  /**
   * Longest wait for one export call; a batch not acknowledged by then counts as failed.
   * @default 30000 (DEFAULT_EXPORT_TIMEOUT_MS)
   */
  exportTimeoutMs?: number;
}

/** Sends llmtrace spans through an OpenTelemetry SpanExporter. */
export class OtelSpanExporter implements SpanExporter {
  readonly #exporter: OtelSdkSpanExporter;
  readonly #resource: Resource;
  readonly #conventions: AttributeConventions;
  readonly #timeoutMs: number;

  /** @throws TypeError naming the option when an option is invalid. */
  constructor(exporter: OtelSdkSpanExporter, options: OtelSpanExporterOptions = {}) {
    checkOtelOptions('OtelSpanExporter', options);
    if (!exporter || typeof exporter.export !== 'function' || typeof exporter.shutdown !== 'function') {
      throw new TypeError('llmtrace: exporter must be an OpenTelemetry SpanExporter (export(spans, callback), shutdown())');
    }
    this.#exporter = exporter;
    const serviceName = options.serviceName === undefined ? DEFAULT_SERVICE_NAME : checkNonEmptyString(options.serviceName, 'serviceName');
    this.#resource = options.resource ?? llmtraceResource(serviceName);
    this.#conventions = checkConventions(options.conventions);
    this.#timeoutMs = positiveInteger(options.exportTimeoutMs, 'exportTimeoutMs', DEFAULT_EXPORT_TIMEOUT_MS);
  }

  /** The resource spans are exported under. */
  get resource(): Resource {
    return this.#resource;
  }

  /** Converts and exports one batch; rejects when the OpenTelemetry exporter reports failure or times out. */
  export(spans: readonly Span[]): Promise<void> {
    const readable = spans.map((span) => toReadableSpan(span, this.#resource, LLMTRACE_SCOPE, this.#conventions));
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`OpenTelemetry export timed out after ${this.#timeoutMs} ms`)), this.#timeoutMs);
      timer.unref();
      const done = (result: ExportResult): void => {
        clearTimeout(timer);
        if (result.code === ExportResultCode.SUCCESS) resolve();
        else reject(result.error ?? new Error('OpenTelemetry export failed'));
      };
      try {
        context.with(suppressOtelTracing(context.active()), () => this.#exporter.export(readable, done));
      } catch (error) {
        clearTimeout(timer);
        reject(error);
      }
    });
  }

  /** Flushes the OpenTelemetry exporter. */
  async forceFlush(): Promise<void> {
    await this.#exporter.forceFlush?.();
  }

  /** Shuts the OpenTelemetry exporter down. */
  async shutdown(): Promise<void> {
    await this.#exporter.shutdown();
  }
}
