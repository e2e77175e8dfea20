/**
 * W3C trace context (https://www.w3.org/TR/trace-context/): the `traceparent` header that carries a
 * trace across services, and the vendors' `tracestate` next to it. `injectTraceContext` adds them to
 * outgoing request headers; `continueTrace` runs the handling of an incoming request as a `request`
 * span that continues the caller's trace (and keeps its `tracestate`).
 */
import { currentSpan } from './context.js';
import { isValidSpanId, isValidTraceId } from './ids.js';
import { withSpan, type SpanScopeOptions } from './scopes.js';
import type { ParentRef, Span } from './span.js';
import { parseTracestate } from './tracestate.js';
import { checkOptions } from './internal/option-schemas.js';

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-.*)?$/;

/** The `traceparent` value for `span` (version 00, sampled flag from `span.sampled`). */
export function formatTraceparent(span: Pick<Span, 'traceId' | 'id' | 'sampled'>): string {
  return `00-${span.traceId}-${span.id}-${span.sampled ? '01' : '00'}`;
}

/** Parses a `traceparent` header; undefined when absent or invalid (invalid headers are ignored, per spec). */
export function parseTraceparent(header: string | undefined | null): ParentRef | undefined {
  if (typeof header !== 'string') return undefined;
  const match = TRACEPARENT.exec(header.trim()); // lowercase hex only, per the spec
  if (!match) return undefined;
  const [, version, traceId, spanId, flags] = match;
  if (version === 'ff' || !isValidTraceId(traceId!) || !isValidSpanId(spanId!)) return undefined;
  if (version === '00' && header.trim().length !== 55) return undefined;
  return { traceId: traceId!, id: spanId!, sampled: (parseInt(flags!, 16) & 1) === 1, scopes: {}, remote: true };
}

/** Header bag shapes accepted: a `Headers` object or a plain record. */
export type HeaderCarrier = Headers | Record<string, string | string[] | undefined>;

function readHeaderValues(headers: HeaderCarrier, name: string): string | string[] | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  return record[name] ?? Object.entries(record).find(([k]) => k.toLowerCase() === name)?.[1];
}

function readHeader(headers: HeaderCarrier, name: string): string | undefined {
  const value = readHeaderValues(headers, name);
  return Array.isArray(value) ? value[0] : value;
}

function setHeader(headers: HeaderCarrier, name: string, value: string): void {
  if (typeof (headers as Headers).set === 'function') (headers as Headers).set(name, value);
  else (headers as Record<string, string>)[name] = value;
}

/**
 * Adds `traceparent` for the current span to `headers`, in place, and `tracestate` when the span's
 * trace carries one (from `continueTrace`), unchanged; a `tracestate` already in `headers` is left
 * alone otherwise. Does nothing outside a span. Returns `headers`.
 */
export function injectTraceContext<H extends HeaderCarrier>(headers: H): H {
  const span = currentSpan();
  if (!span) return headers;
  setHeader(headers, 'traceparent', formatTraceparent(span));
  if (span.traceState) setHeader(headers, 'tracestate', span.traceState);
  return headers;
}

/**
 * Runs `fn` as a `request` span that continues the trace named by the incoming `traceparent`
 * header (a new trace when there is none or it is invalid). A valid incoming `tracestate` is kept
 * on the span and its descendants (`span.traceState`) and re-sent by `injectTraceContext`; an
 * invalid one, or one next to an invalid `traceparent`, is dropped.
 * @example
 * http.createServer((req, res) => continueTrace(req.headers, () => handle(req, res)));
 */
export function continueTrace<T>(headers: HeaderCarrier, fn: (span: Span) => T, options: SpanScopeOptions & { name?: string } = {}): T {
  checkOptions('continueTrace', options);
  let parent = parseTraceparent(readHeader(headers, 'traceparent'));
  const traceState = parent && parseTracestate(readHeaderValues(headers, 'tracestate'));
  if (parent && traceState) parent = { ...parent, traceState };
  const { name = 'request', ...scope } = options;
  return withSpan(name, { kind: 'request', ...scope, parent }, fn);
}
