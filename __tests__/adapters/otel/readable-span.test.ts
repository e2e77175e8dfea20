/**
 * toReadableSpan and the attribute conventions: the pure mapping from an llmtrace span to what
 * OpenTelemetry exporters read, and the version the instrumentation scope reports.
 */
import { readFileSync } from 'node:fs';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  exportAttributes,
  LLMTRACE_SCOPE,
  LLMTRACE_VERSION,
  llmtraceResource,
  otelSpanKind,
  toReadableSpan,
} from '../../../adapters/otel/index.js';
import { freshStore } from '../../helpers/fresh-store.js';
import { recordSampleTrace } from '../../helpers/sample-trace.js';
import { continueTrace, traced, withSpan } from '../../../index.js';

describe('toReadableSpan', () => {
  it('keeps ids, parent link, times, status and events of llmtrace spans', async () => {
    const store = freshStore();
    const { run, chat, lookup } = await recordSampleTrace(store);
    const resource = llmtraceResource('svc');
    const r = toReadableSpan(lookup, resource);
    expect(r.spanContext()).toEqual({ traceId: run.traceId, spanId: lookup.id, traceFlags: 1, isRemote: false });
    expect(r.parentSpanContext?.spanId).toBe(run.id);
    // Times in whole microseconds: each within half a microsecond of the span's, the duration their difference.
    const micros = (t: readonly [number, number]) => t[0] * 1e6 + t[1] / 1e3;
    expect(Math.abs(micros(r.startTime) - lookup.startTime * 1e3)).toBeLessThanOrEqual(0.5 + 1e-3);
    expect(Math.abs(micros(r.endTime) - lookup.endTime * 1e3)).toBeLessThanOrEqual(0.5 + 1e-3);
    expect(micros(r.duration)).toBe(micros(r.endTime) - micros(r.startTime));
    expect(r.status).toEqual({ code: SpanStatusCode.ERROR, message: 'LookupTimeoutError: lookup timed out' });
    expect(r.events.map((e) => e.name)).toEqual(['exception']);
    expect(r.ended).toBe(true);
    expect(r.resource.attributes['service.name']).toBe('svc');
    expect(r.instrumentationScope).toBe(LLMTRACE_SCOPE);
    expect(toReadableSpan(run, resource).parentSpanContext).toBeUndefined();
    expect(toReadableSpan(chat, resource).status).toEqual({ code: SpanStatusCode.UNSET });
  });

  it('marks the parent of a trace continued from a traceparent header as remote, and local parents as not', async () => {
    const store = freshStore();
    const header = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await continueTrace({ traceparent: header }, () => traced(async () => 'ok', { name: 'child' })());
    const request = store.query((s) => s.kind === 'request')[0]!;
    const child = store.query((s) => s.name === 'child')[0]!;
    const resource = llmtraceResource('svc');
    expect(toReadableSpan(request, resource).parentSpanContext).toMatchObject({ spanId: 'b7ad6b7169203331', isRemote: true });
    expect(toReadableSpan(child, resource).parentSpanContext).toMatchObject({ spanId: request.id, isRemote: false });
    expect(request.toJSON().parentRemote).toBe(true);
  });

  it('maps model calls to CLIENT, incoming requests to SERVER and the rest to INTERNAL', () => {
    expect(otelSpanKind('llm')).toBe(SpanKind.CLIENT);
    expect(otelSpanKind('embedding')).toBe(SpanKind.CLIENT);
    expect(otelSpanKind('request')).toBe(SpanKind.SERVER);
    for (const kind of ['chain', 'tool', 'agent', 'retrieval', 'session', 'run', 'iteration', 'custom'] as const) {
      expect(otelSpanKind(kind)).toBe(SpanKind.INTERNAL);
    }
  });

  it('gives start, end and event times in whole microseconds, and duration exactly end - start', async () => {
    const store = freshStore();
    const resource = llmtraceResource('svc');
    for (const span of Object.values(await recordSampleTrace(store))) {
      const r = toReadableSpan(span, resource);
      for (const time of [r.startTime, r.endTime, r.duration, ...r.events.map((e) => e.time)]) {
        expect(time[1] % 1000).toBe(0);
        expect(time[1]).toBeLessThan(1e9);
      }
      const endMinusStart = (r.endTime[0] - r.startTime[0]) * 1e9 + (r.endTime[1] - r.startTime[1]); // exact: no 1e18 sums
      expect(r.duration[0] * 1e9 + r.duration[1]).toBe(endMinusStart);
    }
  });

  it('reports the package.json version as the instrumentation scope version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
    expect(LLMTRACE_VERSION).toBe(pkg.version);
    expect(LLMTRACE_SCOPE).toEqual({ name: 'llmtrace', version: pkg.version });
  });
});

describe('attribute conventions', () => {
  it('exports GenAI names as recorded by default, without nulls, with kind and scope ids', async () => {
    const store = freshStore();
    const { chat, run } = await recordSampleTrace(store);
    const attrs = exportAttributes(chat);
    expect(attrs).toMatchObject({ 'gen_ai.usage.input_tokens': 12, 'llmtrace.span.kind': 'llm', 'llmtrace.scope.run': run.id });
    expect(attrs).not.toHaveProperty('app.unpriced');
    expect(Object.keys(attrs).some((k) => k.startsWith('llm.') || k.startsWith('openinference.'))).toBe(false);
  });

  it('adds the OpenInference set for Phoenix under conventions: openinference', async () => {
    const store = freshStore();
    const { chat, lookup, run } = await recordSampleTrace(store);
    const attrs = exportAttributes(chat, 'openinference');
    expect(attrs).toMatchObject({
      'openinference.span.kind': 'LLM',
      'llm.model_name': 'gpt-4o-mini-2024-07-18',
      'llm.provider': 'openai',
      'llm.token_count.prompt': 12,
      'llm.token_count.completion': 3,
      'llm.token_count.total': 15,
      'input.mime_type': 'application/json',
      'output.mime_type': 'application/json',
      'gen_ai.usage.input_tokens': 12, // GenAI names are kept alongside
    });
    expect(JSON.parse(String(attrs['input.value']))).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'Capital of France?' }] }]);
    expect(JSON.parse(String(attrs['output.value']))[0].parts[0].content).toBe('Paris.');
    expect(exportAttributes(lookup, 'openinference')['openinference.span.kind']).toBe('TOOL');
    expect(exportAttributes(run, 'openinference')['openinference.span.kind']).toBe('CHAIN');
  });

  it('maps embeddings, agents and sessions, and leaves out what was not captured', async () => {
    const store = freshStore();
    const embed = traced(async () => ({ object: 'list', data: [{ embedding: [0.1] }], model: 'text-embedding-3-small', usage: { prompt_tokens: 4 } }), {
      name: 'embed',
      kind: 'embedding',
      capture: 'metadata',
    });
    await withSpan('s', { kind: 'session' }, () => withSpan('a', { kind: 'agent' }, () => embed()));
    const span = store.query((s) => s.name === 'embed')[0]!;
    const attrs = exportAttributes(span, 'openinference');
    expect(attrs).toMatchObject({
      'openinference.span.kind': 'EMBEDDING',
      'embedding.model_name': 'text-embedding-3-small',
      'llm.token_count.prompt': 4,
      'llm.token_count.total': 4,
      'session.id': span.scopes.session,
    });
    expect(attrs).not.toHaveProperty('input.value'); // metadata capture records sizes, not text
    expect(attrs).not.toHaveProperty('llm.model_name');
    expect(exportAttributes(store.query((s) => s.name === 'a')[0]!, 'openinference')['openinference.span.kind']).toBe('AGENT');
  });
});
