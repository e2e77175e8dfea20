/**
 * exportToOtlp against real receivers: the official OTLP exporters (HTTP JSON, HTTP protobuf, gRPC)
 * send a multi-span trace to loopback receivers that decode it with the official schema, and every
 * field arrives: ids and parent links, names, kinds, times, status, events, attributes, resource
 * and instrumentation scope.
 */
import { readFileSync } from 'node:fs';
import { exportToOtlp, type OtlpProtocol } from '../../../adapters/otel/index.js';
import { freshStore } from '../../helpers/fresh-store.js';
import { startGrpcReceiver } from '../../helpers/grpc-receiver.js';
import { startHttpReceiver } from '../../helpers/http-receiver.js';
import type { ReceivedSpan, ReceivedTrace } from '../../helpers/otlp-decode.js';
import { CHAT_RESPONSE, recordSampleTrace, type SampleTrace } from '../../helpers/sample-trace.js';
import type { Span } from '../../../index.js';

const VERSION = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).version;

function ns(ms: number): bigint {
  return BigInt(Math.round(ms * 1e6));
}

/** Start/end times survive within 1 µs (HrTime conversion of fractional milliseconds rounds). */
function expectTimes(received: ReceivedSpan, span: Span): void {
  const drift = (a: string, b: bigint): bigint => (BigInt(a) > b ? BigInt(a) - b : b - BigInt(a));
  expect(drift(received.startTimeUnixNano, ns(span.startTime))).toBeLessThan(1000n);
  expect(drift(received.endTimeUnixNano, ns(span.endTime))).toBeLessThan(1000n);
}

function checkTrace(batches: ReceivedTrace[], sample: SampleTrace, serviceName: string): void {
  expect(batches).toHaveLength(1);
  const [batch] = batches;
  expect(batch!.resource['service.name']).toBe(serviceName);
  expect(batch!.resource['telemetry.sdk.language']).toBe('nodejs');
  expect(batch!.scope).toEqual({ name: 'llmtrace', version: VERSION });
  const spans = new Map(batch!.spans.map((s) => [s.name, s]));
  // Model calls and tools are named as the GenAI conventions name them; the function's name stays as llmtrace.function.
  expect([...spans.keys()].sort()).toEqual(['agent_run', 'chat gpt-4o-mini', 'execute_tool lookup']);
  const run = spans.get('agent_run')!;
  const chat = spans.get('chat gpt-4o-mini')!;
  const lookup = spans.get('execute_tool lookup')!;
  expect(chat.attributes['llmtrace.function']).toBe('chat');
  expect(lookup.attributes).toMatchObject({ 'llmtrace.function': 'lookup', 'gen_ai.tool.name': 'lookup', 'gen_ai.tool.type': 'function' });

  for (const [received, span] of [[run, sample.run], [chat, sample.chat], [lookup, sample.lookup]] as const) {
    expect(received.traceId).toBe(sample.run.traceId);
    expect(received.spanId).toBe(span.id);
    expectTimes(received, span);
  }
  expect(run.parentSpanId).toBe('');
  expect(chat.parentSpanId).toBe(sample.run.id);
  expect(lookup.parentSpanId).toBe(sample.run.id);

  // kinds: scope INTERNAL (1), llm CLIENT (3), tool INTERNAL (1)
  expect([run.kind, chat.kind, lookup.kind]).toEqual([1, 3, 1]);
  // status: UNSET (0) for success, ERROR (2) with the message for the failed tool
  expect(run.status.code).toBe(0);
  expect(chat.status.code).toBe(0);
  expect(lookup.status).toEqual({ code: 2, message: 'LookupTimeoutError: lookup timed out' });

  expect(chat.attributes).toMatchObject({
    'gen_ai.operation.name': 'chat',
    'gen_ai.request.model': 'gpt-4o-mini',
    'gen_ai.response.model': CHAT_RESPONSE.model,
    'gen_ai.response.id': 'chatcmpl-42',
    'gen_ai.provider.name': 'openai',
    'gen_ai.usage.input_tokens': 12,
    'gen_ai.usage.output_tokens': 3,
    'gen_ai.response.finish_reasons': ['stop'],
    'app.tags': ['geo', 'quiz'],
    'llmtrace.span.kind': 'llm',
    'llmtrace.scope.run': sample.run.id,
  });
  expect(chat.attributes).not.toHaveProperty('app.unpriced'); // null attributes are dropped
  expect(run.attributes).toMatchObject({ 'app.user': 'u-1', 'llmtrace.span.kind': 'run' });
  expect(lookup.attributes).toMatchObject({ 'error.type': 'LookupTimeoutError', 'gen_ai.operation.name': 'execute_tool' });

  // Captured content in the GenAI message schema, as JSON text attributes.
  expect(chat.events).toEqual([]);
  expect(JSON.parse(String(chat.attributes['gen_ai.input.messages']))).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'Capital of France?' }] }]);
  expect(JSON.parse(String(chat.attributes['gen_ai.output.messages']))).toEqual([
    { role: 'assistant', parts: [{ type: 'text', content: 'Paris.' }], finish_reason: 'stop' },
  ]);
  expect(lookup.events).toEqual([
    {
      name: 'exception',
      timeUnixNano: expect.any(String),
      attributes: { 'exception.type': 'LookupTimeoutError', 'exception.message': 'lookup timed out' },
    },
  ]);
  expect(run.events).toEqual([{ name: 'checkpoint', timeUnixNano: expect.any(String), attributes: { step: 2 } }]);
  const eventNs = BigInt(run.events[0]!.timeUnixNano);
  expect(eventNs).toBeGreaterThanOrEqual(BigInt(run.startTimeUnixNano));
  expect(eventNs).toBeLessThanOrEqual(BigInt(run.endTimeUnixNano));
}

describe.each<[OtlpProtocol, string]>([
  ['http/json', 'application/json'],
  ['http/protobuf', 'application/x-protobuf'],
])('exportToOtlp over %s', (protocol, contentType) => {
  it('delivers every field of a multi-span trace to an OTLP/HTTP receiver', async () => {
    const receiver = await startHttpReceiver();
    const store = freshStore();
    const otlp = await exportToOtlp({
      url: `${receiver.origin}/v1/traces`,
      protocol,
      serviceName: 'quiz-bot',
      headers: { authorization: 'Bearer test-token' },
      store,
    });
    try {
      const sample = await recordSampleTrace(store);
      await otlp.flush();
      expect(receiver.requests).toHaveLength(1);
      const [request] = receiver.requests;
      expect(request!.path).toBe('/v1/traces');
      expect(request!.headers['content-type']).toContain(contentType);
      expect(request!.headers.authorization).toBe('Bearer test-token');
      checkTrace(receiver.traces(), sample, 'quiz-bot');
      expect(otlp.stats()).toEqual({ queued: 0, exported: 3, dropped: 0, failed: 0 });
    } finally {
      await otlp.shutdown();
      await receiver.close();
    }
  });
});

describe('exportToOtlp over grpc', () => {
  it('delivers every field of a multi-span trace to a gRPC receiver, with headers as metadata', async () => {
    const receiver = await startGrpcReceiver();
    const store = freshStore();
    const otlp = await exportToOtlp({
      url: receiver.url,
      protocol: 'grpc',
      serviceName: 'quiz-bot',
      headers: { 'x-api-key': 'k-1' },
      store,
    });
    try {
      const sample = await recordSampleTrace(store);
      await otlp.flush();
      checkTrace(receiver.received, sample, 'quiz-bot');
      expect(receiver.metadata[0]!['x-api-key']).toBe('k-1');
      expect(otlp.stats().exported).toBe(3);
    } finally {
      await otlp.shutdown();
      await receiver.close();
    }
  });
});

describe('exportToOtlp options', () => {
  it('appends /v1/traces to an HTTP URL with no path', async () => {
    const receiver = await startHttpReceiver();
    const store = freshStore();
    const otlp = await exportToOtlp({ url: receiver.origin, store });
    try {
      await recordSampleTrace(store);
      await otlp.flush();
      expect(receiver.requests.map((r) => r.path)).toEqual(['/v1/traces']);
      expect(receiver.requests[0]!.headers['content-type']).toContain('application/x-protobuf'); // the default protocol
    } finally {
      await otlp.shutdown();
      await receiver.close();
    }
  });

  it('throws precise TypeErrors for invalid options, before exporting anything', async () => {
    await expect(exportToOtlp({ url: 'not a url' })).rejects.toThrow(
      new TypeError('llmtrace: url must be an absolute http(s) URL, got not a url (string)'),
    );
    await expect(exportToOtlp({ url: 'http://x', protocol: 'udp' as never })).rejects.toThrow(
      "llmtrace: exportToOtlp: protocol must be 'http/json', 'http/protobuf' or 'grpc', got \"udp\" (string)",
    );
    // Names every object has (`toString`, `constructor`) and values that coerce to a protocol name
    // are not protocols.
    await expect(exportToOtlp({ url: 'http://x', protocol: 'toString' as never })).rejects.toThrow(
      new TypeError("llmtrace: exportToOtlp: protocol must be 'http/json', 'http/protobuf' or 'grpc', got \"toString\" (string)"),
    );
    await expect(exportToOtlp({ url: 'http://x', protocol: ['grpc'] as never })).rejects.toThrow(
      new TypeError("llmtrace: exportToOtlp: protocol must be 'http/json', 'http/protobuf' or 'grpc', got [array of 1] (object)"),
    );
    await expect(exportToOtlp({ url: 'http://x', headers: ['Bearer x'] as never })).rejects.toThrow(
      new TypeError('llmtrace: exportToOtlp: headers must be an object of header name to string value, got [array of 1] (object)'),
    );
    await expect(exportToOtlp({ url: 'http://x', serviceName: '' })).rejects.toThrow(
      'llmtrace: exportToOtlp: serviceName must be a non-empty string, got "" (string)',
    );
    await expect(exportToOtlp({ url: 'http://x', conventions: 'phoenix' as never })).rejects.toThrow(
      "llmtrace: exportToOtlp: conventions must be 'gen_ai' or 'openinference', got \"phoenix\" (string)",
    );
    await expect(exportToOtlp({ url: 'http://x', maxQueueSize: 0 })).rejects.toThrow(
      'llmtrace: exportToOtlp: maxQueueSize must be a positive integer, got 0 (number)',
    );
  });
});
