/**
 * The OpenTelemetry SDK shapes `llmtrace/otel` hands spans to, declared here structurally. The SDK's
 * trace package is `@opentelemetry/sdk-trace-base` in the 2.x line and `@opentelemetry/sdk-trace` in
 * 3.x; importing either (even for types) would tie llmtrace to one line. These interfaces repeat the
 * members both lines declare (identical in 2.6 to 3.1), built only from `@opentelemetry/api`,
 * `@opentelemetry/core` and `@opentelemetry/resources` types, so an exporter, processor or
 * ReadableSpan of either SDK line fits them.
 */
import type { Attributes, HrTime, Link, SpanContext, SpanKind, SpanStatus } from '@opentelemetry/api';
import type { ExportResult, InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';

/** An event on a ReadableSpan (the SDK's `TimedEvent`). */
export interface TimedEvent {
  /** When the event happened. */
  time: HrTime;
  /** The event's name. */
  name: string;
  /** The event's attributes. */
  attributes?: Attributes;
  /** Attributes dropped by limits. */
  droppedAttributesCount?: number;
}

/** A finished span as OpenTelemetry exporters and span processors read it (the SDK's `ReadableSpan`). */
export interface ReadableSpan {
  readonly name: string;
  readonly kind: SpanKind;
  readonly spanContext: () => SpanContext;
  readonly parentSpanContext?: SpanContext;
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  readonly status: SpanStatus;
  readonly attributes: Attributes;
  readonly links: Link[];
  readonly events: TimedEvent[];
  readonly duration: HrTime;
  readonly ended: boolean;
  readonly resource: Resource;
  readonly instrumentationScope: InstrumentationScope;
  readonly droppedAttributesCount: number;
  readonly droppedEventsCount: number;
  readonly droppedLinksCount: number;
}

/** An OpenTelemetry SDK `SpanExporter` (OTLP, Zipkin, console, in-memory, your own). */
export interface OtelSdkSpanExporter {
  /** Exports a batch; calls `resultCallback` once with success or failure. */
  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void;
  /** Stops the exporter. */
  shutdown(): Promise<void>;
  /** Exports what it still holds. */
  forceFlush?(): Promise<void>;
}

/** The part of an OpenTelemetry SDK `SpanProcessor` llmtrace calls: finished spans in, flush. */
export interface OtelSpanProcessor {
  /** Receives a finished span. */
  onEnd(span: ReadableSpan): void;
  /** Exports everything the processor holds. */
  forceFlush(): Promise<void>;
}
