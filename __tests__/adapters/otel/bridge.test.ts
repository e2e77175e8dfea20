/**
 * Living next to an application's own OpenTelemetry SDK (NodeTracerProvider registered globally
 * with an AsyncLocalStorage context manager, spans kept in an InMemorySpanExporter): with the
 * bridge installed, llmtrace spans nest under the application's active span, spans the application
 * creates inside a traced call nest under llmtrace's span, and `forwardToProvider` sends llmtrace
 * spans through the application's processors with their ids, so the exported trace is one tree.
 */
import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { activeOtelParent, bridgeOpenTelemetry, forwardToProvider } from '../../../adapters/otel/index.js';
import { configure, injectTraceContext, parseTraceparent, traced, withSpan } from '../../../index.js';
import { freshStore } from '../../helpers/fresh-store.js';

let provider: NodeTracerProvider;
let memory: InMemorySpanExporter;
let tracer: Tracer;
let removeBridge: () => void;

beforeAll(() => {
  memory = new InMemorySpanExporter();
  provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
  provider.register({ contextManager: new AsyncLocalStorageContextManager(), propagator: new W3CTraceContextPropagator() });
  tracer = trace.getTracer('app');
});

afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
});

beforeEach(() => {
  memory.reset();
  removeBridge = bridgeOpenTelemetry();
});

afterEach(() => removeBridge());

const ask = traced(
  async (question: string) => {
    await sleep(1);
    // what OpenTelemetry HTTP instrumentation would do inside the model call
    await tracer.startActiveSpan('POST /v1/chat/completions', async (http) => {
      await sleep(1);
      http.end();
    });
    return `answer to ${question}`;
  },
  { name: 'ask' },
);

function otelSpan(name: string): ReadableSpan {
  const found = memory.getFinishedSpans().find((s) => s.name === name);
  if (!found) throw new Error(`no OpenTelemetry span named ${name}`);
  return found;
}

describe('the OpenTelemetry bridge', () => {
  it('makes an llmtrace span a child of the active OpenTelemetry span, in the same trace', async () => {
    const store = freshStore();
    await tracer.startActiveSpan('handle /quiz', async (root) => {
      await expect(ask('capital of France')).resolves.toBe('answer to capital of France');
      root.end();
    });
    const root = otelSpan('handle /quiz');
    const span = store.query((s) => s.name === 'ask')[0]!;
    expect(span.traceId).toBe(root.spanContext().traceId);
    expect(span.parentId).toBe(root.spanContext().spanId);
    expect(span.sampled).toBe(true);
  });

  it('weights no span of a trace the OpenTelemetry sampler kept by llmtrace\'s ratio, and keeps the weight across an OpenTelemetry span in an llmtrace trace', async () => {
    const store = freshStore();
    configure({ sampling: { ratio: 0.1 } });
    try {
      await tracer.startActiveSpan('handle /quiz', async (root) => {
        await ask('q');
        root.end();
      });
      const underOtel = store.query((s) => s.name === 'ask')[0]!;
      expect({ ratioDecided: underOtel.ratioDecided, weight: underOtel.attributes['llmtrace.sample_weight'] }).toEqual({ ratioDecided: false, weight: undefined });
      // An llmtrace root kept by the ratio, an OpenTelemetry span inside it, an llmtrace call inside that.
      let kept: string | undefined;
      for (let i = 0; i < 500 && !kept; i++) {
        await withSpan('turn', { kind: 'run' }, async (turn) => {
          await tracer.startActiveSpan('otel step', async (step) => {
            await ask('q');
            step.end();
          });
          if (turn.sampled) kept = turn.traceId;
        });
      }
      const inner = store.getTrace(kept!).find((s) => s.name === 'ask')!;
      expect({ ratioDecided: inner.ratioDecided, weight: inner.attributes['llmtrace.sample_weight'] }).toEqual({ ratioDecided: true, weight: 10 });
    } finally {
      configure({ sampling: { ratio: 1 } });
    }
  });

  it("makes spans the application creates inside a traced call children of llmtrace's span", async () => {
    const store = freshStore();
    await withSpan('run', { kind: 'run' }, () => ask('q'));
    const span = store.query((s) => s.name === 'ask')[0]!;
    const http = otelSpan('POST /v1/chat/completions');
    expect(http.spanContext().traceId).toBe(span.traceId);
    expect(http.parentSpanContext?.spanId).toBe(span.id);
  });

  it('keeps nesting correct across concurrent traced calls', async () => {
    const store = freshStore();
    await Promise.all([ask('a'), ask('b'), ask('c')]);
    const spans = store.query((s) => s.name === 'ask');
    const https = memory.getFinishedSpans().filter((s) => s.name.startsWith('POST'));
    expect(spans).toHaveLength(3);
    expect(https.map((h) => h.parentSpanContext?.spanId).sort()).toEqual(spans.map((s) => s.id).sort());
    for (const h of https) {
      const parent = spans.find((s) => s.id === h.parentSpanContext?.spanId)!;
      expect(h.spanContext().traceId).toBe(parent.traceId);
    }
  });

  it('does nothing once removed: llmtrace spans start their own traces again', async () => {
    const store = freshStore();
    removeBridge();
    await tracer.startActiveSpan('outer', async (root) => {
      await ask('q');
      root.end();
    });
    const span = store.query((s) => s.name === 'ask')[0]!;
    expect(span.traceId).not.toBe(otelSpan('outer').spanContext().traceId);
    expect(span.parentId).toBeUndefined();
    expect(otelSpan('POST /v1/chat/completions').parentSpanContext?.spanId).toBe(otelSpan('outer').spanContext().spanId);
  });

  it('ignores an invalid active OpenTelemetry span context', () => {
    const invalid = trace.wrapSpanContext({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 1 });
    expect(context.with(trace.setSpan(context.active(), invalid), () => activeOtelParent())).toBeUndefined();
  });
});

describe('trace context propagation agrees with OpenTelemetry', () => {
  it('a traceparent llmtrace injects parses back to the span, by llmtrace and by the OpenTelemetry propagator', async () => {
    const store = freshStore();
    const headers: Record<string, string> = {};
    await traced(async () => injectTraceContext(headers), { name: 'call' })();
    const span = store.query((s) => s.name === 'call')[0]!;
    expect(parseTraceparent(headers.traceparent)).toEqual({ traceId: span.traceId, id: span.id, sampled: true, scopes: {}, remote: true });
    const extracted = trace.getSpanContext(propagation.extract(context.active(), headers))!;
    expect(extracted).toMatchObject({ traceId: span.traceId, spanId: span.id, traceFlags: 1, isRemote: true });
  });

  it('OpenTelemetry injects, from inside a traced call, the traceparent of the llmtrace span', async () => {
    const store = freshStore();
    const headers: Record<string, string> = {};
    await traced(async () => propagation.inject(context.active(), headers), { name: 'call' })();
    const span = store.query((s) => s.name === 'call')[0]!;
    expect(headers.traceparent).toBe(`00-${span.traceId}-${span.id}-01`);
  });
});

describe('forwardToProvider', () => {
  it("sends llmtrace spans through the application's processors with their ids, as one tree", async () => {
    const store = freshStore();
    const forward = forwardToProvider(provider, { store });
    try {
      await tracer.startActiveSpan('handle /quiz', async (root) => {
        await withSpan('run', { kind: 'run' }, () => ask('q'));
        root.end();
      });
      await forward.flush();
    } finally {
      await forward.shutdown();
    }
    const root = otelSpan('handle /quiz');
    const run = otelSpan('run');
    const call = otelSpan('chat'); // `ask` is a model call with no model known: the conventions name it by its operation
    const http = otelSpan('POST /v1/chat/completions');
    const traceId = root.spanContext().traceId;
    for (const s of [run, call, http]) expect(s.spanContext().traceId).toBe(traceId);
    expect(run.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
    expect(call.parentSpanContext?.spanId).toBe(run.spanContext().spanId);
    expect(http.parentSpanContext?.spanId).toBe(call.spanContext().spanId);
    expect(call.instrumentationScope.name).toBe('llmtrace');
    expect(call.resource).toBe(root.resource); // the application's resource
    expect(forward.stats()).toMatchObject({ exported: 2, failed: 0 });
    // the application's provider is still up after our shutdown
    tracer.startSpan('after').end();
    expect(otelSpan('after')).toBeDefined();
  });

  it('rejects something that is not an SDK provider, naming what it needs', () => {
    expect(() => forwardToProvider({})).toThrow(
      'llmtrace: provider must be an OpenTelemetry SDK tracer provider (NodeTracerProvider, BasicTracerProvider) or { spanProcessors, resource }',
    );
  });
});

describe('the OpenTelemetry bridge with spans of both tracers interleaved', () => {
  it('nests a traced call under an OpenTelemetry span that was started inside an llmtrace span, keeping its scope ids', async () => {
    const store = freshStore();
    const remove = bridgeOpenTelemetry();
    try {
      const inner = traced(async () => 'ok', { name: 'inner_call' });
      await withSpan('run', { kind: 'run' }, () =>
        tracer.startActiveSpan('app step', async (step) => {
          await inner();
          step.end();
        }),
      );
      const step = otelSpan('app step');
      const run = store.query((s) => s.name === 'run')[0]!;
      const call = store.query((s) => s.name === 'inner_call')[0]!;
      expect(step.parentSpanContext?.spanId).toBe(run.id);
      expect(call.parentId).toBe(step.spanContext().spanId);
      expect(call.traceId).toBe(run.traceId);
      expect(call.scopes.run).toBe(run.id);
    } finally {
      remove();
    }
  });
});
