/**
 * W3C `tracestate` through the OpenTelemetry adapter: a trace continued with a tracestate exports
 * it as the OpenTelemetry `SpanContext.traceState` (ReadableSpan, and on the wire over OTLP), and
 * the bridge carries it both ways between an active OpenTelemetry span and llmtrace spans.
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { bridgeOpenTelemetry, exportToOtlp, llmtraceResource, toReadableSpan, type OtlpProtocol } from '../../../adapters/otel/index.js';
import { continueTrace, traced, withSpan } from '../../../index.js';
import { freshStore } from '../../helpers/fresh-store.js';
import { startHttpReceiver } from '../../helpers/http-receiver.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE}-${PARENT}-01`;
const STATE = 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE';

async function continuedTrace(): Promise<void> {
  const call = traced(async () => 'ok', { name: 'model_call' });
  await continueTrace({ traceparent: TRACEPARENT, tracestate: STATE }, () => withSpan('step', () => call()));
}

describe('toReadableSpan and tracestate', () => {
  it('puts the span tracestate on its OpenTelemetry span context and parent context', async () => {
    const store = freshStore();
    await continuedTrace();
    const resource = llmtraceResource('svc');
    const child = toReadableSpan(store.query((s) => s.name === 'model_call')[0]!, resource);
    expect(child.spanContext().traceState?.serialize()).toBe(STATE);
    expect(child.spanContext().traceState?.get('congo')).toBe('t61rcWkgMzE');
    expect(child.parentSpanContext?.traceState?.serialize()).toBe(STATE);
    const request = toReadableSpan(store.query((s) => s.name === 'request')[0]!, resource);
    expect(request.spanContext().traceState?.serialize()).toBe(STATE);
  });

  it('leaves traceState unset when the trace has none', async () => {
    const store = freshStore();
    await traced(async () => 'ok', { name: 'plain' })();
    const readable = toReadableSpan(store.getRecent(1)[0]!, llmtraceResource('svc'));
    expect(readable.spanContext().traceState).toBeUndefined();
  });
});

describe.each<OtlpProtocol>(['http/json', 'http/protobuf'])('tracestate over OTLP %s', (protocol) => {
  it('arrives at the receiver on every span of the continued trace', async () => {
    const receiver = await startHttpReceiver();
    const store = freshStore();
    const otlp = await exportToOtlp({ url: `${receiver.origin}/v1/traces`, protocol, store });
    try {
      await continuedTrace();
      await traced(async () => 'ok', { name: 'unrelated' })();
      await otlp.flush();
      const spans = receiver.traces().flatMap((t) => t.spans);
      const byName = Object.fromEntries(spans.map((s) => [String(s.attributes['llmtrace.function']), s.traceState]));
      expect(byName).toEqual({ request: STATE, step: STATE, model_call: STATE, unrelated: '' });
    } finally {
      await otlp.shutdown();
      await receiver.close();
    }
  });
});

describe('the bridge carries tracestate', () => {
  let provider: NodeTracerProvider;
  let removeBridge: () => void;

  beforeAll(() => {
    provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())] });
    provider.register({ contextManager: new AsyncLocalStorageContextManager(), propagator: new W3CTraceContextPropagator() });
    removeBridge = bridgeOpenTelemetry();
  });

  afterAll(async () => {
    removeBridge();
    await provider.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  });

  it('from an OpenTelemetry-extracted remote parent to llmtrace spans, and back out through the OpenTelemetry propagator', async () => {
    const store = freshStore();
    const outgoing: Record<string, string> = {};
    const call = traced(async () => propagation.inject(context.active(), outgoing), { name: 'model_call' });
    const incoming = propagation.extract(context.active(), { traceparent: TRACEPARENT, tracestate: STATE });
    await context.with(incoming, () => call());
    const span = store.query((s) => s.name === 'model_call')[0]!;
    expect(span.parentId).toBe(PARENT);
    expect(span.traceState).toBe(STATE);
    expect(outgoing).toEqual({ traceparent: `00-${TRACE}-${span.id}-01`, tracestate: STATE });
  });

  it('injects no tracestate from a trace that has none', async () => {
    freshStore();
    const outgoing: Record<string, string> = {};
    await traced(async () => propagation.inject(context.active(), outgoing), { name: 'model_call' })();
    expect(outgoing.traceparent).toBeDefined();
    expect(outgoing).not.toHaveProperty('tracestate');
  });
});
