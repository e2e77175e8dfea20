/**
 * exportTo with the official Zipkin exporter: a loopback Zipkin receiver gets the trace as Zipkin
 * v2 JSON with ids, parent links, kinds, timestamps, tags and annotations intact.
 */
import { ConsoleSpanExporter } from '@opentelemetry/sdk-trace-base';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { exportTo } from '../../../adapters/otel/index.js';
import { freshStore } from '../../helpers/fresh-store.js';
import { startHttpReceiver } from '../../helpers/http-receiver.js';
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
