/**
 * Every name llmtrace emits over OpenTelemetry (span attributes, event names and their attributes,
 * metric names and data-point attributes) is either a name of the GenAI semantic conventions registry
 * (vendored in __tests__/fixtures/genai-semconv-registry.json) or llmtrace's own (`llmtrace.*`);
 * captured content follows the GenAI message schema; spans are named as the conventions name them.
 * The calls are real: the openai and Anthropic SDKs against the offline model server, streamed and
 * not, failing and not, with tools, an agent and a run scope, exported over OTLP/HTTP to a loopback
 * receiver and measured through the OpenTelemetry metrics SDK.
 */
import { readFileSync } from 'node:fs';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { MeterProvider as ApiMeterProvider } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { instrumentAnthropic } from '../../../adapters/anthropic/index.js';
import { instrumentOpenAI } from '../../../adapters/openai/index.js';
import { exportSpanName } from '../../../adapters/otel/conventions.js';
import { exportToOtlp, GEN_AI_SEMCONV_VERSION, recordMetrics } from '../../../adapters/otel/index.js';
import { configure, Span, traced, withSpan } from '../../../index.js';
import { newSpanId, newTraceId } from '../../../lib/ids.js';
import { startOfflineModelServer, type OfflineModelServer } from '../../../lib/offline-model/index.js';
import { freshStore } from '../../helpers/fresh-store.js';
import { startHttpReceiver, type HttpReceiver } from '../../helpers/http-receiver.js';
import { expectInputMessages, expectOutputMessages, expectParts } from '../../helpers/message-schema.js';
import type { ReceivedSpan } from '../../helpers/otlp-decode.js';

const registry = JSON.parse(readFileSync(new URL('../../fixtures/genai-semconv-registry.json', import.meta.url), 'utf8')) as {
  attributes: string[];
  events: string[];
  metrics: string[];
};
const KNOWN = { attributes: new Set(registry.attributes), events: new Set(registry.events), metrics: new Set(registry.metrics) };

/** Names neither in the registry nor llmtrace's own. */
function foreign(names: Iterable<string>, known: ReadonlySet<string>): string[] {
  return [...new Set(names)].filter((n) => !known.has(n) && !n.startsWith('llmtrace.')).sort();
}

let server: OfflineModelServer;
let receiver: HttpReceiver;
let spans: ReceivedSpan[];
let metricNames: string[];
let metricAttributeNames: string[];

async function runEverything(): Promise<void> {
  const openai = instrumentOpenAI(new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'offline', maxRetries: 0 }));
  const anthropic = instrumentAnthropic(new Anthropic({ baseURL: server.url, apiKey: 'offline', maxRetries: 0 }));
  const failing = instrumentOpenAI(new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'offline', maxRetries: 0, defaultHeaders: { 'x-offline-fault': '429' } }));
  const topK = { top_k: 5 }; // Anthropic's API takes it; this SDK version's types leave it out
  const lookup = traced(async (city: string) => ({ city, weather: 'rainy' }), { name: 'lookup_weather', kind: 'tool' });
  const agent = traced(
    async (question: string) => {
      const first = await openai.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [
          { role: 'system', content: 'Answer with the tool.' },
          { role: 'user', content: question },
        ],
        top_p: 0.9,
        stop: ['END'],
        seed: 7,
        temperature: 0.2,
        max_tokens: 64,
      });
      await lookup('Paris');
      const stream = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: question }], stream: true, stream_options: { include_usage: true } });
      for await (const chunk of stream) void chunk;
      await openai.responses.create({ model: 'gpt-5.1', instructions: 'Be brief.', input: question, conversation: 'conv_1' });
      await openai.embeddings.create({ model: 'text-embedding-3-small', input: [question] });
      await anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 50, system: 'Be terse.', messages: [{ role: 'user', content: question }], ...topK });
      await failing.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: question }] }).catch(() => undefined);
      return first.choices[0]!.message.content;
    },
    { name: 'weather_agent', kind: 'agent' },
  );
  await withSpan('nightly', { kind: 'run' }, () => agent('Weather in Paris?'));
}

beforeAll(async () => {
  server = await startOfflineModelServer({ seed: 11, latencyMs: 1, ttftMs: 2, tokensPerSecond: 2000, outputTokens: [4, 8] });
  receiver = await startHttpReceiver();
  const store = freshStore();
  configure({ capture: 'full' });
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const metrics = recordMetrics({ meterProvider: meterProvider as unknown as ApiMeterProvider, store });
  const otlp = await exportToOtlp({ url: `${receiver.origin}/v1/traces`, protocol: 'http/json', store });
  try {
    await runEverything();
    await otlp.flush();
    await reader.forceFlush();
  } finally {
    await otlp.shutdown();
    metrics.stop();
  }
  spans = receiver.traces().flatMap((t) => t.spans);
  const scopeMetrics = exporter.getMetrics().flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics));
  metricNames = scopeMetrics.map((m) => m.descriptor.name);
  metricAttributeNames = scopeMetrics.flatMap((m) => m.dataPoints.flatMap((p) => Object.keys(p.attributes)));
  await meterProvider.shutdown();
  configure({ capture: 'metadata' });
});

afterAll(async () => {
  await receiver.close();
  await server.close();
});

describe(`emitted names against the GenAI semantic conventions registry (${GEN_AI_SEMCONV_VERSION})`, () => {
  it('exports the spans of every kind of call', () => {
    const kinds = new Set(spans.map((s) => s.attributes['llmtrace.span.kind']));
    expect([...kinds].sort()).toEqual(['agent', 'embedding', 'llm', 'run', 'tool']);
    expect(spans.some((s) => s.status.code === 2)).toBe(true); // the failing call
    expect(spans.some((s) => typeof s.attributes['llmtrace.stream.chunks'] === 'number')).toBe(true);
  });

  it('uses only registry names and llmtrace.* for span attributes, events and event attributes', () => {
    expect(foreign(spans.flatMap((s) => Object.keys(s.attributes)), KNOWN.attributes)).toEqual([]);
    expect(foreign(spans.flatMap((s) => s.events.map((e) => e.name)), KNOWN.events)).toEqual([]);
    expect(foreign(spans.flatMap((s) => s.events.flatMap((e) => Object.keys(e.attributes))), KNOWN.attributes)).toEqual([]);
    // The names this change added are really emitted (so the check above covers them).
    const emitted = new Set(spans.flatMap((s) => Object.keys(s.attributes)));
    for (const name of [
      'gen_ai.request.top_p',
      'gen_ai.request.top_k',
      'gen_ai.request.stop_sequences',
      'gen_ai.request.seed',
      'gen_ai.conversation.id',
      'gen_ai.tool.name',
      'gen_ai.tool.type',
      'gen_ai.agent.name',
      'gen_ai.input.messages',
      'gen_ai.output.messages',
      'gen_ai.system_instructions',
      'gen_ai.response.time_to_first_chunk',
    ]) {
      expect(emitted).toContain(name);
    }
  });

  it('uses only registry names and llmtrace.* for metrics and their data-point attributes', () => {
    expect(metricNames).toEqual(expect.arrayContaining(['gen_ai.client.operation.duration', 'gen_ai.client.token.usage', 'gen_ai.client.operation.time_per_output_chunk']));
    expect(foreign(metricNames, KNOWN.metrics)).toEqual([]);
    expect(foreign(metricAttributeNames, KNOWN.attributes)).toEqual([]);
  });

  it('captures content in the GenAI message schema, system instructions apart', () => {
    const calls = spans.filter((s) => s.attributes['llmtrace.span.kind'] === 'llm');
    expect(calls.length).toBeGreaterThanOrEqual(5);
    for (const span of calls) {
      expectInputMessages(JSON.parse(String(span.attributes['gen_ai.input.messages'])));
      const output = span.attributes['gen_ai.output.messages'];
      if (output !== undefined) expectOutputMessages(JSON.parse(String(output)));
      const system = span.attributes['gen_ai.system_instructions'];
      if (system !== undefined) expectParts(JSON.parse(String(system)));
    }
    const anthropicCall = calls.find((s) => s.attributes['gen_ai.provider.name'] === 'anthropic')!;
    expect(JSON.parse(String(anthropicCall.attributes['gen_ai.system_instructions']))).toEqual([{ type: 'text', content: 'Be terse.' }]);
    const firstChat = calls.find((s) => s.attributes['gen_ai.request.seed'] === 7)!;
    // OpenAI's system message is part of the history, so it stays in the input messages.
    expect(JSON.parse(String(firstChat.attributes['gen_ai.input.messages']))[0]).toEqual({ role: 'system', parts: [{ type: 'text', content: 'Answer with the tool.' }] });
    expect(JSON.parse(String(firstChat.attributes['gen_ai.output.messages']))[0].finish_reason).toBe('stop');
  });

  it('names spans {operation} {model}, execute_tool {tool}, invoke_agent {agent}; the function stays as llmtrace.function', () => {
    const names = spans.map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'nightly',
        'invoke_agent weather_agent',
        'execute_tool lookup_weather',
        'chat gpt-4o-mini',
        'chat gpt-5.1',
        'chat claude-haiku-4-5',
        'embeddings text-embedding-3-small',
      ]),
    );
    const chat = spans.find((s) => s.name === 'chat claude-haiku-4-5')!;
    expect(chat.attributes['llmtrace.function']).toBe('anthropic.messages.create');
  });
});

describe('exportSpanName', () => {
  function span(kind: Span['kind'], attributes: Record<string, string>): Span {
    return new Span('my_fn', kind, undefined, attributes, newTraceId(), newSpanId(), true);
  }

  it('falls back to the operation alone when the model is unknown, and keeps the name of spans without an operation', () => {
    expect(exportSpanName(span('llm', { 'gen_ai.operation.name': 'chat' }))).toBe('chat');
    expect(exportSpanName(span('llm', { 'gen_ai.operation.name': 'chat', 'gen_ai.response.model': 'm-1' }))).toBe('chat m-1');
    expect(exportSpanName(span('chain', {}))).toBe('my_fn');
    expect(exportSpanName(span('custom', { 'gen_ai.operation.name': 'my_op' }))).toBe('my_fn');
  });
});
