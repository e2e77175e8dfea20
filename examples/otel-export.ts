/**
 * Example: a decorated LLM client whose spans arrive, whole and nested, at an OTLP receiver.
 * A loopback OTLP/HTTP (JSON) receiver stands in for an OpenTelemetry Collector and prints what
 * arrives. Part 1 exports with llmtrace alone; part 2 runs next to the application's own
 * OpenTelemetry SDK (NodeTracerProvider) in the same process, with the bridge installed, so the
 * application's spans and llmtrace's form one trace.
 * Run: `npm run build && node dist/examples/otel-export.js`
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { configure, traceModelCall, withSpan } from '../index.js';
import { bridgeOpenTelemetry, exportToOtlp } from '../adapters/otel/index.js';

interface Arrived {
  service: string;
  scope: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  attributes: Record<string, unknown>;
}

/** A loopback OTLP/HTTP JSON receiver that keeps every span it is sent. */
async function startReceiver(): Promise<{ url: string; spans: Arrived[]; close: () => void }> {
  const spans: Arrived[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      for (const rs of JSON.parse(body).resourceSpans ?? []) {
        const service = rs.resource.attributes.find((a: { key: string }) => a.key === 'service.name')?.value.stringValue;
        for (const ss of rs.scopeSpans) {
          for (const s of ss.spans) {
            const attributes = Object.fromEntries(
              (s.attributes ?? []).map((a: { key: string; value: Record<string, unknown> }) => [a.key, Object.values(a.value)[0]]),
            );
            spans.push({ service, scope: ss.scope.name, traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId ?? '', name: s.name, attributes });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1/traces`, spans, close: () => server.close() };
}

/** Prints the arrived spans as trees, one per trace. */
function printTrees(spans: Arrived[]): void {
  for (const traceId of new Set(spans.map((s) => s.traceId))) {
    console.log(`trace ${traceId}`);
    const inTrace = spans.filter((s) => s.traceId === traceId);
    const print = (parent: string, depth: number): void => {
      for (const s of inTrace.filter((x) => x.parentSpanId === parent)) {
        const model = s.attributes['gen_ai.request.model'];
        const tokens = s.attributes['gen_ai.usage.output_tokens'];
        const extra = model ? `  model=${model} output_tokens=${tokens}` : '';
        console.log(`${'  '.repeat(depth + 1)}${s.name}  [${s.service}/${s.scope}]${extra}`);
        print(s.spanId, depth + 1);
      }
    };
    const roots = inTrace.filter((s) => !inTrace.some((p) => p.spanId === s.parentSpanId));
    for (const root of roots) {
      console.log(`  ${root.name}  [${root.service}/${root.scope}]`);
      print(root.spanId, 1);
    }
  }
}

/** A stand-in LLM client (no network): answers like OpenAI's chat completions API. */
class QuizClient {
  model = 'gpt-4o-mini';

  @traceModelCall({ name: 'ask', capture: 'full' })
  async ask(question: string): Promise<unknown> {
    await sleep(5);
    // what HTTP auto-instrumentation would record inside the model call
    const http = trace.getTracer('app-http').startSpan('POST /v1/chat/completions');
    await sleep(5);
    http.end();
    return {
      object: 'chat.completion',
      id: 'chatcmpl-1',
      model: 'gpt-4o-mini-2024-07-18',
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: `About ${question}: yes.` } }],
      usage: { prompt_tokens: 9, completion_tokens: 4 },
    };
  }
}

configure({ logger: { format: 'hidden' } });
const receiver = await startReceiver();
const client = new QuizClient();

// Part 1: llmtrace alone.
const otlp = await exportToOtlp({ url: receiver.url, protocol: 'http/json', serviceName: 'quiz-bot' });
await withSpan('quiz_round', { kind: 'run' }, async () => {
  await client.ask('Paris');
  await client.ask('Rome');
});
await otlp.flush();
console.log('--- without an OpenTelemetry SDK ---');
printTrees(receiver.spans);
receiver.spans.length = 0;

// Part 2: next to the application's own OpenTelemetry SDK.
const provider = new NodeTracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'quiz-api' }),
  spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: receiver.url }))],
});
provider.register();
const removeBridge = bridgeOpenTelemetry();
await trace.getTracer('app').startActiveSpan('GET /quiz', async (request) => {
  await withSpan('quiz_round', { kind: 'run' }, async () => {
    await client.ask('Berlin');
  });
  request.end();
});
await otlp.flush();
await provider.forceFlush();
console.log('--- next to the application\'s OpenTelemetry SDK (bridge installed) ---');
printTrees(receiver.spans);

removeBridge();
await otlp.shutdown();
await provider.shutdown();
receiver.close();
