/**
 * Test helper: decodes OTLP trace export requests (protobuf with the official generated schema from
 * `@opentelemetry/otlp-transformer`, or OTLP/JSON) into one plain shape the tests compare.
 */
import root from '@opentelemetry/otlp-transformer/build/src/generated/root.js';

/** One received span, normalised (ids as hex, times as nanosecond strings, attributes as a record). */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  /** The W3C `tracestate`, '' when none. */
  traceState: string;
  name: string;
  /** OTLP kind: 1 internal, 2 server, 3 client. */
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  /** OTLP status code: 0 unset, 1 ok, 2 error. */
  status: { code: number; message: string };
  attributes: Record<string, unknown>;
  events: { name: string; timeUnixNano: string; attributes: Record<string, unknown> }[];
}

/** One received export request, flattened to its spans with resource and scope. */
export interface ReceivedTrace {
  resource: Record<string, unknown>;
  scope: { name: string; version: string };
  spans: ReceivedSpan[];
}

type Any = Record<string, any>;

const ExportTraceServiceRequest = (root as Any).opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

function hex(value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  if (typeof value === 'string') return /^[0-9a-f]*$/i.test(value) ? value.toLowerCase() : Buffer.from(value, 'base64').toString('hex');
  return Buffer.from(value as Uint8Array).toString('hex');
}

function nanos(value: unknown): string {
  if (value === undefined || value === null) return '0';
  if (typeof value === 'object' && 'low' in (value as Any)) {
    const { low, high } = value as { low: number; high: number };
    return ((BigInt(high >>> 0) << 32n) + BigInt(low >>> 0)).toString();
  }
  return BigInt(String(value)).toString();
}

function anyValue(value: Any | undefined): unknown {
  if (!value) return undefined;
  if ('stringValue' in value && value.stringValue !== undefined) return value.stringValue;
  if ('boolValue' in value && value.boolValue !== undefined) return value.boolValue;
  if ('intValue' in value && value.intValue !== undefined) return Number(nanos(value.intValue));
  if ('doubleValue' in value && value.doubleValue !== undefined) return value.doubleValue;
  if ('arrayValue' in value && value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(anyValue);
  return undefined;
}

function attributes(list: Any[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map((kv) => [kv.key, anyValue(kv.value)]));
}

/** Normalises a decoded (protobuf `toObject` or parsed JSON) ExportTraceServiceRequest. */
export function normaliseRequest(request: Any): ReceivedTrace[] {
  const out: ReceivedTrace[] = [];
  for (const rs of request.resourceSpans ?? []) {
    for (const ss of rs.scopeSpans ?? []) {
      out.push({
        resource: attributes(rs.resource?.attributes),
        scope: { name: ss.scope?.name ?? '', version: ss.scope?.version ?? '' },
        spans: (ss.spans ?? []).map((s: Any) => ({
          traceId: hex(s.traceId),
          spanId: hex(s.spanId),
          parentSpanId: hex(s.parentSpanId),
          traceState: s.traceState ?? '',
          name: s.name,
          kind: s.kind ?? 0,
          startTimeUnixNano: nanos(s.startTimeUnixNano),
          endTimeUnixNano: nanos(s.endTimeUnixNano),
          status: { code: s.status?.code ?? 0, message: s.status?.message ?? '' },
          attributes: attributes(s.attributes),
          events: (s.events ?? []).map((e: Any) => ({
            name: e.name,
            timeUnixNano: nanos(e.timeUnixNano),
            attributes: attributes(e.attributes),
          })),
        })),
      });
    }
  }
  return out;
}

/** Decodes a protobuf-encoded ExportTraceServiceRequest. */
export function decodeProtobuf(body: Uint8Array): ReceivedTrace[] {
  const message = ExportTraceServiceRequest.decode(body);
  return normaliseRequest(ExportTraceServiceRequest.toObject(message, { longs: String, bytes: String, defaults: false }));
}

/** Decodes an OTLP/JSON ExportTraceServiceRequest. */
export function decodeJson(body: Uint8Array): ReceivedTrace[] {
  return normaliseRequest(JSON.parse(Buffer.from(body).toString('utf8')));
}
