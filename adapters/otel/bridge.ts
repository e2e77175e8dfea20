/**
 * The OpenTelemetry context bridge: lets llmtrace live next to an application's own OpenTelemetry
 * setup without touching its global provider. Installed, it makes an llmtrace span started while an
 * OpenTelemetry span is active (and no llmtrace span is) a child of that span, and makes each
 * llmtrace span the active OpenTelemetry span while the traced function runs, so spans that
 * OpenTelemetry instrumentation creates inside (an HTTP client span, say) become its children.
 * It works through `@opentelemetry/api`'s global context, so the application must have registered
 * a context manager (the SDK's `register()` does). The W3C `tracestate` crosses the bridge both ways
 * (an active OpenTelemetry span's becomes the llmtrace span's, and back).
 */
import { context, isSpanContextValid, trace, TraceFlags, type SpanContext } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { setContextBridge, type ContextBridge } from '../../lib/internal/context-bridge.js';
import { reportInternalError } from '../../lib/internal/diagnostics.js';
import type { ParentRef, Span } from '../../lib/span.js';

const NO_SCOPES = Object.freeze({});

/** The active OpenTelemetry span as a parent reference, or undefined when none (or it is invalid). */
export function activeOtelParent(): ParentRef | undefined {
  const active = trace.getSpan(context.active());
  if (!active) return undefined;
  const sc = active.spanContext();
  if (!isSpanContextValid(sc)) return undefined;
  const parent: ParentRef = { id: sc.spanId, traceId: sc.traceId, sampled: (sc.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED, scopes: NO_SCOPES };
  const traceState = sc.traceState?.serialize();
  return traceState ? { ...parent, traceState } : parent;
}

function runInOtelSpan<T>(span: Span, fn: () => T): T {
  let ctx;
  try {
    const spanContext: SpanContext = {
      traceId: span.traceId,
      spanId: span.id,
      traceFlags: span.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    };
    if (span.traceState) spanContext.traceState = new TraceState(span.traceState);
    ctx = trace.setSpan(context.active(), trace.wrapSpanContext(spanContext));
  } catch (error) {
    reportInternalError('otel.bridge', error);
    return fn();
  }
  return context.with(ctx, fn);
}

const otelBridge: ContextBridge = {
  externalParent: activeOtelParent,
  runInSpan: runInOtelSpan,
};

/**
 * Installs the OpenTelemetry context bridge (see the module comment). Returns the function that
 * removes it. Calling it again is harmless.
 * @example
 * const provider = new NodeTracerProvider({ spanProcessors: [...] });
 * provider.register();
 * bridgeOpenTelemetry();
 */
export function bridgeOpenTelemetry(): () => void {
  return setContextBridge(otelBridge);
}
