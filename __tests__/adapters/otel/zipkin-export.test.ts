/**
 * exportTo with the official Zipkin exporter: a loopback Zipkin receiver gets the trace as Zipkin
 * v2 JSON with ids, parent links, kinds, timestamps, tags and annotations intact, and with every
 * time a whole number of microseconds (Zipkin's JSON decoder rejects a batch with a fractional one).
 */
import { ConsoleSpanExporter } from '@opentelemetry/sdk-trace-base';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { exportTo, OtelSpanExporter } from '../../../adapters/otel/index.js';
import type { Span } from '../../../index.js';
import { freshStore } from '../../helpers/fresh-store.js';
import { startHttpReceiver } from '../../helpers/http-receiver.js';
import { makeSpan } from '../../helpers/make-spans.js';
import { recordSampleTrace } from '../../helpers/sample-trace.js';

interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name: string;
  kind?: string;
  timestamp: number;
  duration: number;
  localEndpoint: { serviceName: string };
  tags: Record<string, string>;
  annotations?: { timestamp: number; value: string }[];
}

describe('exportTo a Zipkin exporter', () => {
  it('delivers the trace as Zipkin JSON', async () => {
    const receiver = await startHttpReceiver();
    const store = freshStore();
    const zipkin = exportTo(new ZipkinExporter({ url: `${receiver.origin}/api/v2/spans` }), { serviceName: 'quiz-bot', store });
    try {
      const { run, chat, lookup } = await recordSampleTrace(store);
      await zipkin.flush();
      expect(receiver.requests).toHaveLength(1);
      expect(receiver.requests[0]!.path).toBe('/api/v2/spans');
      const spans = JSON.parse(receiver.requests[0]!.body.toString('utf8')) as ZipkinSpan[];
      const byName = new Map(spans.map((s) => [s.name, s]));
      const zRun = byName.get('agent_run')!;
      const zChat = byName.get('chat gpt-4o-mini')!; // `{operation} {model}`, as the GenAI conventions name spans
      const zLookup = byName.get('execute_tool lookup')!;
      for (const z of [zRun, zChat, zLookup]) {
        expect(z.traceId).toBe(run.traceId);
        expect(z.localEndpoint.serviceName).toBe('quiz-bot');
      }
      expect([zRun.id, zChat.id, zLookup.id]).toEqual([run.id, chat.id, lookup.id]);
      expect(zRun.parentId).toBeUndefined();
      expect(zChat.parentId).toBe(run.id);
      expect(zChat.kind).toBe('CLIENT');
      expect(Math.abs(zChat.timestamp - chat.startTime * 1000)).toBeLessThanOrEqual(1); // µs
      expect(Math.abs(zChat.duration - chat.duration * 1000)).toBeLessThanOrEqual(1); // µs, rounded
      expect(zChat.tags).toMatchObject({ 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': '12' });
      expect(zLookup.tags).toMatchObject({ error: 'LookupTimeoutError: lookup timed out' });
      expect(zRun.annotations?.map((a) => a.value)).toEqual(['checkpoint']);
    } finally {
      await zipkin.shutdown();
      await receiver.close();
    }
  });
});

/** An ended span that started at `startTime` and ended at `endTime` (epoch ms, sub-ms fractions), with one event. */
function spanAt(name: string, startTime: number, endTime: number, eventTime: number): Span {
  const span = makeSpan({ name });
  Object.defineProperty(span, 'startTime', { value: startTime });
  span.endTime = endTime;
  span.addEvent('checkpoint', {}, eventTime);
  return span;
}

describe('Zipkin times', () => {
  it('sends every timestamp, duration and annotation time as a whole number of microseconds', async () => {
    const receiver = await startHttpReceiver();
    const exporter = new OtelSpanExporter(new ZipkinExporter({ url: `${receiver.origin}/api/v2/spans` }));
    const store = freshStore();
    try {
      const recorded = Object.values(await recordSampleTrace(store));
      const crafted = [
        spanAt('sub-ms', 1796694088475.5288, 1796694088612.0391, 1796694088500.2503),
        spanAt('carry into the next second', 1796694088999.9997, 1796694089000.0002, 1796694088999.99991),
        spanAt('a few microseconds', 1796694088475.0012, 1796694088475.0032, 1796694088475.0022),
      ];
      await exporter.export([...recorded, ...crafted]);
      const spans = receiver.requests.flatMap((r) => JSON.parse(r.body.toString('utf8')) as ZipkinSpan[]);
      expect(spans).toHaveLength(recorded.length + crafted.length);
      for (const z of spans) {
        expect(Number.isInteger(z.timestamp)).toBe(true);
        expect(Number.isInteger(z.duration)).toBe(true);
        for (const a of z.annotations ?? []) expect(Number.isInteger(a.timestamp)).toBe(true);
      }
      const byName = new Map(spans.map((z) => [z.name, z]));
      expect(byName.get('sub-ms')).toMatchObject({ timestamp: 1796694088475529, duration: 136510 });
      expect(byName.get('carry into the next second')).toMatchObject({ timestamp: 1796694089000000, duration: 0 });
      expect(byName.get('a few microseconds')).toMatchObject({ timestamp: 1796694088475001, duration: 2 });
      for (const span of recorded) {
        const z = spans.find((s) => s.id === span.id)!;
        expect(Math.abs(z.timestamp - span.startTime * 1000)).toBeLessThanOrEqual(0.501); // rounded to the nearest µs
        expect(z.duration).toBe(Math.round(span.endTime * 1000) - Math.round(span.startTime * 1000));
      }
    } finally {
      await exporter.shutdown();
      await receiver.close();
    }
  });
});

describe('exportTo the console exporter', () => {
  it('hands each converted span to the exporter (no wire format involved)', async () => {
    const store = freshStore();
    const console = new ConsoleSpanExporter();
    const seen: string[] = [];
    console.export = (spans, done) => {
      seen.push(...spans.map((s) => `${s.name}:${s.spanContext().spanId}`));
      done({ code: 0 });
    };
    const handle = exportTo(console, { store });
    const { run } = await recordSampleTrace(store);
    await handle.shutdown();
    expect(seen).toHaveLength(3);
    expect(seen).toContain(`agent_run:${run.id}`);
  });
});
