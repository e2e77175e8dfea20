/**
 * Pure mapping from a finished llmtrace Span to an OpenTelemetry `ReadableSpan`, the shape every
 * OpenTelemetry `SpanExporter` (OTLP, Zipkin, console) and `SpanProcessor` accepts. Ids are already
 * W3C hex, so they pass through unchanged and parent links survive export.
 */
import { SpanKind as OtelSpanKind, SpanStatusCode, TraceFlags, type HrTime, type SpanContext } from '@opentelemetry/api';
import { TraceState, type InstrumentationScope } from '@opentelemetry/core';
import { defaultResource, resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import type { ReadableSpan, TimedEvent } from './sdk-shapes.js';
import type { Span, SpanKind } from '../../lib/span.js';
import { exportAttributes, exportSpanName, type AttributeConventions } from './conventions.js';
import { INSTRUMENTATION_SCOPE_NAME, LLMTRACE_VERSION } from './version.js';

/** The instrumentation scope llmtrace spans are exported under: `llmtrace` and its version. */
export const LLMTRACE_SCOPE: InstrumentationScope = Object.freeze({
  name: INSTRUMENTATION_SCOPE_NAME,
  version: LLMTRACE_VERSION,
});

/**
 * The OpenTelemetry span kind of an llmtrace kind: model and embedding calls go out of the process
 * (CLIENT), an incoming request is SERVER, every other scope or step is INTERNAL.
 */
export function otelSpanKind(kind: SpanKind): OtelSpanKind {
  if (kind === 'llm' || kind === 'embedding') return OtelSpanKind.CLIENT;
  if (kind === 'request') return OtelSpanKind.SERVER;
  return OtelSpanKind.INTERNAL;
}

/**
 * A resource for exported spans: OpenTelemetry's default resource (`telemetry.sdk.*`) with
 * `service.name` set, merged with any extra attributes.
 */
export function llmtraceResource(serviceName: string, attributes: Record<string, string | number | boolean> = {}): Resource {
  return defaultResource().merge(resourceFromAttributes({ ...attributes, 'service.name': serviceName }));
}

/**
 * Epoch milliseconds as a whole number of microseconds. Times go out at microsecond precision:
 * Zipkin's `timestamp` is `startTime` in µs, not rounded (exporter-zipkin's transform), and Zipkin's
 * decoder rejects a whole batch with a fractional one; an epoch-ms double near 2026 resolves only
 * about 0.24 µs (2^-12 ms) anyway, so OTLP's nanoseconds lose nothing real.
 */
function wholeMicros(millis: number): number {
  return Math.round(millis * 1000);
}

/** A whole number of microseconds as HrTime (seconds, nanoseconds in 0..999 999 000). */
function microsToHrTime(micros: number): HrTime {
  return [Math.floor(micros / 1e6), (micros % 1e6) * 1000];
}

function spanContextOf(
  traceId: string,
  spanId: string,
  sampled: boolean,
  traceState: TraceState | undefined,
  isRemote = false,
): SpanContext {
  const context: SpanContext = { traceId, spanId, traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE, isRemote };
  if (traceState) context.traceState = traceState;
  return context;
}

function statusOf(span: Span): ReadableSpan['status'] {
  if (span.status === 'error') {
    return { code: SpanStatusCode.ERROR, message: span.error ? `${span.error.type}: ${span.error.message}` : 'error' };
  }
  // Success stays UNSET: the OpenTelemetry spec asks instrumentation not to set OK on its own.
  return { code: SpanStatusCode.UNSET };
}

function eventsOf(span: Span): TimedEvent[] {
  return span.events.map((event) => {
    const attributes: TimedEvent['attributes'] = {};
    for (const [key, value] of Object.entries(event.attributes)) {
      if (value !== null && value !== undefined) attributes[key] = value as string;
    }
    return { name: event.name, time: microsToHrTime(wholeMicros(event.time)), attributes, droppedAttributesCount: 0 };
  });
}

/**
 * Converts a finished llmtrace span to an OpenTelemetry ReadableSpan: same trace and span ids,
 * parent link, kind (see `otelSpanKind`), start/end as HrTime in whole microseconds (duration
 * exactly end - start), status (UNSET, or ERROR with `type: message`), events (including
 * `exception` events), attributes without nulls (see `exportAttributes`), `resource` and
 * instrumentation `scope`. A W3C `tracestate` carried by the span becomes
 * `spanContext().traceState` (an OpenTelemetry `TraceState`).
 */
export function toReadableSpan(
  span: Span,
  resource: Resource,
  scope: InstrumentationScope = LLMTRACE_SCOPE,
  conventions: AttributeConventions = 'gen_ai',
): ReadableSpan {
  const traceState = span.traceState ? new TraceState(span.traceState) : undefined;
  const context = spanContextOf(span.traceId, span.id, span.sampled, traceState);
  const startMicros = wholeMicros(span.startTime);
  const endMicros = wholeMicros(span.endTime || span.startTime);
  return {
    name: exportSpanName(span),
    kind: otelSpanKind(span.kind),
    spanContext: () => context,
    parentSpanContext: span.parentId ? spanContextOf(span.traceId, span.parentId, span.sampled, traceState, span.parentRemote) : undefined,
    startTime: microsToHrTime(startMicros),
    endTime: microsToHrTime(endMicros),
    duration: microsToHrTime(endMicros - startMicros),
    status: statusOf(span),
    attributes: exportAttributes(span, conventions),
    links: [],
    events: eventsOf(span),
    ended: span.ended,
    resource,
    instrumentationScope: scope,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}
