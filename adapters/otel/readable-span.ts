/**
 * Pure mapping from a finished llmtrace Span to an OpenTelemetry `ReadableSpan`, the shape every
 * OpenTelemetry `SpanExporter` (OTLP, Zipkin, console) and `SpanProcessor` accepts. Ids are already
 * W3C hex, so they pass through unchanged and parent links survive export.
 */
import { SpanKind as OtelSpanKind, SpanStatusCode, TraceFlags, type SpanContext } from '@opentelemetry/api';
import { millisToHrTime, TraceState, type InstrumentationScope } from '@opentelemetry/core';
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
    return { name: event.name, time: millisToHrTime(event.time), attributes, droppedAttributesCount: 0 };
  });
}

/**
 * Converts a finished llmtrace span to an OpenTelemetry ReadableSpan: same trace and span ids,
 * parent link, kind (see `otelSpanKind`), start/end as HrTime, status (OK, or ERROR with
 * `type: message`), events (including `exception` events), attributes without nulls (see
 * `exportAttributes`), `resource` and instrumentation `scope`. A W3C `tracestate` carried by the
 * span becomes `spanContext().traceState` (an OpenTelemetry `TraceState`).
 */
export function toReadableSpan(
  span: Span,
  resource: Resource,
  scope: InstrumentationScope = LLMTRACE_SCOPE,
  conventions: AttributeConventions = 'gen_ai',
): ReadableSpan {
  const traceState = span.traceState ? new TraceState(span.traceState) : undefined;
  const context = spanContextOf(span.traceId, span.id, span.sampled, traceState);
  const end = span.endTime || span.startTime;
  return {
    name: exportSpanName(span),
    kind: otelSpanKind(span.kind),
    spanContext: () => context,
    parentSpanContext: span.parentId ? spanContextOf(span.traceId, span.parentId, span.sampled, traceState, span.parentRemote) : undefined,
    startTime: millisToHrTime(span.startTime),
    endTime: millisToHrTime(end),
    duration: millisToHrTime(span.duration),
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
