/**
 * recordMetrics against the real OpenTelemetry metrics SDK (MeterProvider + PeriodicExportingMetricReader
 * + InMemoryMetricExporter): the GenAI client histograms hold exactly the durations, token counts and
 * times to first chunk of the calls that were traced, with the semantic-convention attributes, units
 * and bucket boundaries; scopes and cache hits stay out; sampled-out calls count; recording stops on
 * request and never breaks the traced program.
 */
import type { MeterProvider as ApiMeterProvider } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type DataPoint,
  type Histogram,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  GEN_AI_DURATION_BUCKETS,
  GEN_AI_TOKEN_BUCKETS,
  GenAIMetrics,
  recordMetrics,
  type MetricsHandle,
} from '../../../adapters/otel/index.js';
import { continueTrace, markCacheHit, traced, TraceStore, withSpan, type Span } from '../../../index.js';
import { diagnosticCounts } from '../../../lib/internal/diagnostics.js';
import { freshStore } from '../../helpers/fresh-store.js';
import { CHAT_RESPONSE } from '../../helpers/sample-trace.js';

class RateLimitError extends Error {}

interface MetricsUnderTest {
  meterProvider: MeterProvider;
  /** Collects now and returns the metrics of the `llmtrace` meter by name. */
  collect(): Promise<Map<string, MetricData>>;
}

function startMetrics(): MetricsUnderTest {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  // An hour between exports: the test collects explicitly with forceFlush, never on a timer.
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  return {
    meterProvider,
    collect: async () => {
      exporter.reset();
      await reader.forceFlush();
      const scopes = exporter.getMetrics().flatMap((rm) => rm.scopeMetrics);
      const ours = scopes.filter((s) => s.scope.name === 'llmtrace');
      return new Map(ours.flatMap((s) => s.metrics).map((m) => [m.descriptor.name, m]));
    },
  };
}

type HistogramPoint = DataPoint<Histogram>;

function points(metrics: Map<string, MetricData>, name: string): HistogramPoint[] {
  return (metrics.get(name)?.dataPoints ?? []) as HistogramPoint[];
}

function pointWith(list: HistogramPoint[], attributes: Record<string, unknown>): HistogramPoint {
  const found = list.filter((p) => JSON.stringify(sorted(p.attributes)) === JSON.stringify(sorted(attributes)));
  if (found.length !== 1) throw new Error(`expected one point with ${JSON.stringify(attributes)}, got ${found.length}`);
  return found[0]!;
}

function sorted(attributes: Record<string, unknown>): [string, unknown][] {
  return Object.entries(attributes).sort(([a], [b]) => a.localeCompare(b));
}

const provider = (): Record<string, string> => ({ 'gen_ai.provider.name': 'openai' });

const chat = traced(async (_prompt: string, _model: string) => CHAT_RESPONSE, { name: 'chat', modelParam: 1 });

const streamChat = traced(
  async function* (_prompt: string, _model: string) {
    await sleep(5);
    yield { object: 'chat.completion.chunk', model: 'gpt-4o-2024-08-06', choices: [{ index: 0, delta: { content: 'Pa' } }] };
    await sleep(5);
    yield { object: 'chat.completion.chunk', model: 'gpt-4o-2024-08-06', choices: [{ index: 0, delta: { content: 'ris' } }] };
    yield {
      object: 'chat.completion.chunk',
      model: 'gpt-4o-2024-08-06',
      choices: [],
      usage: { prompt_tokens: 7, completion_tokens: 2 },
    };
  },
  { name: 'stream_chat', modelParam: 1, attributes: provider },
);

const failing = traced(
  async (_model: string) => {
    throw new RateLimitError('slow down');
  },
  { name: 'failing', modelParam: 0, attributes: provider },
);

const cachedAnswer = traced(
  async (_model: string) => {
    markCacheHit();
    return 'from cache';
  },
  { name: 'cached_answer', modelParam: 0, attributes: provider },
);

async function drain(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const _chunk of stream) {
    // read to the end
  }
}

describe('recordMetrics', () => {
  let handle: MetricsHandle | undefined;
  afterEach(() => handle?.stop());

  it('records the duration, token usage and time to first chunk of the traced calls, with GenAI attributes', async () => {
    const store = freshStore();
    const m = startMetrics();
    handle = recordMetrics({ meterProvider: m.meterProvider }); // default store: the configured one
    // a scope stays out even when it names a GenAI operation
    await withSpan('quiz_run', { kind: 'run', attributes: { 'gen_ai.operation.name': 'invoke_workflow' } }, async () => {
      await chat('Capital of France?', 'gpt-4o-mini');
      await chat('Capital of Peru?', 'gpt-4o-mini');
      await drain(streamChat('Capital of France?', 'gpt-4o'));
      await failing('gpt-4o').catch(() => undefined);
      await cachedAnswer('gpt-4o');
      await withSpan('format_answer', () => 'not a GenAI operation');
    });
    const metrics = await m.collect();
    const byName = (name: string): Span[] => store.query((s) => s.name === name);
    const seconds = (spans: Span[]): number => spans.reduce((sum, s) => sum + s.duration / 1000, 0);

    const duration = metrics.get(GenAIMetrics.OPERATION_DURATION)!;
    expect(duration.descriptor).toMatchObject({ unit: 's', advice: { explicitBucketBoundaries: [...GEN_AI_DURATION_BUCKETS] } });
    const durations = points(metrics, GenAIMetrics.OPERATION_DURATION);
    expect(durations).toHaveLength(3); // chat, stream, failure; no run, no custom block, no cache hit
    const chatAttributes = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': CHAT_RESPONSE.model,
    };
    const chatPoint = pointWith(durations, chatAttributes);
    expect(chatPoint.value.count).toBe(2);
    expect(chatPoint.value.sum).toBeCloseTo(seconds(byName('chat')), 12);
    expect(chatPoint.value.buckets.boundaries).toEqual([...GEN_AI_DURATION_BUCKETS]);
    const streamAttributes = { ...chatAttributes, 'gen_ai.request.model': 'gpt-4o', 'gen_ai.response.model': 'gpt-4o-2024-08-06' };
    const streamPoint = pointWith(durations, streamAttributes);
    expect(streamPoint.value.count).toBe(1);
    expect(streamPoint.value.sum).toBeCloseTo(seconds(byName('stream_chat')), 12);
    const failurePoint = pointWith(durations, {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'error.type': 'RateLimitError',
    });
    expect(failurePoint.value.count).toBe(1);
    expect(failurePoint.value.sum).toBeCloseTo(seconds(byName('failing')), 12);

    const tokens = metrics.get(GenAIMetrics.TOKEN_USAGE)!;
    expect(tokens.descriptor).toMatchObject({ unit: '{token}', advice: { explicitBucketBoundaries: [...GEN_AI_TOKEN_BUCKETS] } });
    const tokenPoints = points(metrics, GenAIMetrics.TOKEN_USAGE);
    expect(tokenPoints).toHaveLength(4);
    const chatInput = pointWith(tokenPoints, { ...chatAttributes, 'gen_ai.token.type': 'input' });
    expect([chatInput.value.count, chatInput.value.sum]).toEqual([2, 2 * CHAT_RESPONSE.usage.prompt_tokens]);
    const chatOutput = pointWith(tokenPoints, { ...chatAttributes, 'gen_ai.token.type': 'output' });
    expect([chatOutput.value.count, chatOutput.value.sum]).toEqual([2, 2 * CHAT_RESPONSE.usage.completion_tokens]);
    const streamInput = pointWith(tokenPoints, { ...streamAttributes, 'gen_ai.token.type': 'input' });
    const streamOutput = pointWith(tokenPoints, { ...streamAttributes, 'gen_ai.token.type': 'output' });
    expect([streamInput.value.sum, streamOutput.value.sum]).toEqual([7, 2]);
    expect(chatInput.value.buckets.boundaries).toEqual([...GEN_AI_TOKEN_BUCKETS]);

    const ttfc = points(metrics, GenAIMetrics.TIME_TO_FIRST_CHUNK);
    expect(metrics.get(GenAIMetrics.TIME_TO_FIRST_CHUNK)!.descriptor.unit).toBe('s');
    expect(ttfc).toHaveLength(1); // streamed calls only
    const [stream] = byName('stream_chat');
    expect(ttfc[0]!.attributes).toEqual(streamAttributes);
    expect(ttfc[0]!.value.count).toBe(1);
    expect(ttfc[0]!.value.sum).toBe(stream!.attributes['gen_ai.response.time_to_first_chunk']);
    expect(ttfc[0]!.value.sum).toBeGreaterThan(0.004); // the generator slept 5 ms before its first chunk
    expect(ttfc[0]!.value.sum).toBeLessThan(stream!.duration / 1000);

    const perChunk = points(metrics, GenAIMetrics.TIME_PER_OUTPUT_CHUNK);
    expect(perChunk).toHaveLength(1); // streamed calls only
    expect(perChunk[0]!.attributes).toEqual(streamAttributes);
    const chunks = stream!.attributes['llmtrace.stream.chunks'] as number;
    expect(chunks).toBeGreaterThan(1);
    expect(perChunk[0]!.value.count).toBe(chunks - 1); // one value per chunk after the first
    expect(perChunk[0]!.value.sum).toBeCloseTo(((chunks - 1) * (stream!.attributes['llmtrace.stream.mean_chunk_interval_ms'] as number)) / 1000, 9);

    const hits = metrics.get(GenAIMetrics.CACHE_HITS)!;
    expect(hits.dataPoints).toHaveLength(1);
    expect(hits.dataPoints[0]!.value).toBe(1);
    expect(hits.dataPoints[0]!.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
    });
    await m.meterProvider.shutdown();
  });

  it('counts sampled-out calls, which the store does not keep', async () => {
    const store = freshStore();
    const seen: Span[] = [];
    store.subscribe((span) => seen.push(span));
    const m = startMetrics();
    handle = recordMetrics({ meterProvider: m.meterProvider, store });
    const unsampled = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00';
    await continueTrace({ traceparent: unsampled }, () => chat('q', 'gpt-4o-mini'));
    expect(store.getRecent(10)).toHaveLength(0);
    const call = seen.find((s) => s.name === 'chat')!;
    expect(call.sampled).toBe(false);
    const [point] = points(await m.collect(), GenAIMetrics.OPERATION_DURATION);
    expect(point!.value.count).toBe(1);
    expect(point!.value.sum).toBeCloseTo(call.duration / 1000, 12);
    await m.meterProvider.shutdown();
  });

  it('records from the store it is given and stops when asked (stop is idempotent)', async () => {
    freshStore();
    const own = new TraceStore();
    const ownChat = traced(async (_p: string, _model: string) => CHAT_RESPONSE, { name: 'chat', modelParam: 1, store: own });
    const m = startMetrics();
    const metrics = recordMetrics({ meterProvider: m.meterProvider, store: own });
    await chat('to the default store', 'gpt-4o-mini');
    await ownChat('q', 'gpt-4o-mini');
    metrics.stop();
    metrics.stop();
    await ownChat('after stop', 'gpt-4o-mini');
    const [point] = points(await m.collect(), GenAIMetrics.OPERATION_DURATION);
    expect(point!.value.count).toBe(1);
    await m.meterProvider.shutdown();
  });

  it('never breaks the traced program when the meter fails, and reports it', async () => {
    freshStore();
    const throwing = { record: () => { throw new Error('meter broke'); }, add: () => { throw new Error('meter broke'); } };
    const brokenProvider: ApiMeterProvider = {
      getMeter: () => ({ createHistogram: () => throwing, createCounter: () => throwing }) as never,
    };
    handle = recordMetrics({ meterProvider: brokenProvider });
    const before = diagnosticCounts()['error:otel.metrics'] ?? 0;
    await expect(chat('q', 'gpt-4o-mini')).resolves.toBe(CHAT_RESPONSE);
    expect(diagnosticCounts()['error:otel.metrics']).toBe(before + 1);
  });

  it('throws precise TypeErrors for invalid options', () => {
    expect(() => recordMetrics({ meterProvider: {} as never })).toThrow(
      new TypeError('llmtrace: recordMetrics: meterProvider must be an OpenTelemetry MeterProvider (with getMeter), got [object Object] (object)'),
    );
    expect(() => recordMetrics(undefined as never)).toThrow('llmtrace: recordMetrics: meterProvider must be an OpenTelemetry MeterProvider (with getMeter), got undefined (undefined)');
    const m = startMetrics();
    expect(() => recordMetrics({ meterProvider: m.meterProvider, store: {} as never })).toThrow(
      new TypeError('llmtrace: recordMetrics: store must be a TraceStore (new TraceStore({ maxSpans })), got [object Object] (object)'),
    );
  });
});
