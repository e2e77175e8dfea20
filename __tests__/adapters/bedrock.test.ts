/**
 * instrumentBedrock with the real `@aws-sdk/client-bedrock-runtime` against a Bedrock Runtime
 * endpoint on 127.0.0.1 (dummy credentials; ConverseStream frames in the AWS event-stream binary
 * encoding, made with the SDK's own codec): the same scenarios as the OpenAI adapter (non-stream,
 * stream with TTFT, early break, abort, HTTP error with status, credentials never stored), plus
 * InvokeModel with an Anthropic-on-Bedrock body.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  ListAsyncInvokesCommand,
} from '@aws-sdk/client-bedrock-runtime';
import { EventStreamCodec } from '@smithy/core/event-streams';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { instrumentBedrock } from '../../adapters/bedrock/index.js';
import { GenAI, LLMTrace, type Span, type TraceStore } from '../../index.js';
import { freshStore } from '../helpers/fresh-store.js';

const MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';
const ACCESS_KEY = 'AKIAOFFLINETEST00001';
const SECRET_KEY = 'offline/secret/key/never-stored-0123456789';

const codec = new EventStreamCodec((bytes) => new TextDecoder().decode(bytes), (text) => new TextEncoder().encode(text));
let server: Server;
let endpoint: string;
let store: TraceStore;
const seenAuth: string[] = [];

function frame(eventType: string, body: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    },
    body: new TextEncoder().encode(JSON.stringify(body)),
  });
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function converseStream(res: ServerResponse, words: number): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': 'req-stream-1' });
  res.write(frame('messageStart', { role: 'assistant' }));
  for (let i = 0; i < words; i++) {
    await wait(5);
    if (res.destroyed) return;
    res.write(frame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: `word${i} ` } }));
  }
  res.write(frame('contentBlockStop', { contentBlockIndex: 0 }));
  res.write(frame('messageStop', { stopReason: 'end_turn' }));
  res.write(frame('metadata', { usage: { inputTokens: 12, outputTokens: words, totalTokens: 12 + words }, metrics: { latencyMs: 5 } }));
  res.end();
}

const LLAMA = 'meta.llama3-8b-instruct-v1:0';

/** An InvokeModelWithResponseStream `chunk` event: the payload JSON as base64 `bytes`. */
function payloadFrame(payload: unknown): Uint8Array {
  return frame('chunk', { bytes: Buffer.from(JSON.stringify(payload)).toString('base64') });
}

/** Prompt-cache token counts of a cached Anthropic stream: in `message_start`'s usage and in Bedrock's metrics. */
const CACHE_READ = 2000;
const CACHE_WRITE = 1000;

/** Streams `words` text deltas in `model`'s family format; `cached`: the Anthropic prompt read and wrote the prompt cache. */
async function invokeStream(res: ServerResponse, model: string, words: number, cached: boolean): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': 'req-invoke-stream-1' });
  const cacheMetrics = cached ? { cacheReadInputTokenCount: CACHE_READ, cacheWriteInputTokenCount: CACHE_WRITE } : {};
  const metrics = { 'amazon-bedrock-invocationMetrics': { inputTokenCount: 14, outputTokenCount: words, invocationLatency: 40, firstByteLatency: 10, ...cacheMetrics } };
  if (model === MODEL) {
    const cacheUsage = cached ? { cache_read_input_tokens: CACHE_READ, cache_creation_input_tokens: CACHE_WRITE } : {};
    res.write(payloadFrame({ type: 'message_start', message: { id: 'msg_bdrk_s1', type: 'message', role: 'assistant', model: 'claude-3-haiku-20240307', content: [], usage: { input_tokens: 14, output_tokens: 1, ...cacheUsage } } }));
    res.write(payloadFrame({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }));
  }
  for (let i = 0; i < words; i++) {
    await wait(5);
    if (res.destroyed) return;
    res.write(payloadFrame(model === MODEL ? { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: `word${i} ` } } : { generation: `word${i} `, stop_reason: null }));
  }
  if (model === MODEL) {
    res.write(payloadFrame({ type: 'content_block_stop', index: 0 }));
    res.write(payloadFrame({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: words } }));
    res.write(payloadFrame({ type: 'message_stop', ...metrics }));
  } else {
    res.write(payloadFrame({ generation: '', stop_reason: 'stop', ...metrics }));
  }
  res.end();
}

function handle(req: IncomingMessage, res: ServerResponse, raw: string): void {
  seenAuth.push(String(req.headers.authorization ?? ''));
  const path = decodeURIComponent((req.url ?? '').split('?')[0]!);
  if (req.headers['x-test-fault'] === '429') {
    res.writeHead(429, { 'content-type': 'application/json', 'x-amzn-errortype': 'ThrottlingException', 'x-amzn-requestid': 'req-throttled' });
    res.end(JSON.stringify({ message: 'Too many requests, please wait before trying again.' }));
    return;
  }
  if (path === `/model/${MODEL}/converse`) {
    res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': 'req-converse-1' });
    res.end(JSON.stringify({
      output: { message: { role: 'assistant', content: [{ text: 'Tracing makes calls visible.' }] } },
      stopReason: 'end_turn',
      usage: { inputTokens: 15, outputTokens: 6, totalTokens: 21, cacheReadInputTokens: 4 },
      metrics: { latencyMs: 7 },
    }));
    return;
  }
  if (path === `/model/${MODEL}/converse-stream`) {
    void converseStream(res, Number(req.headers['x-test-words'] ?? 5));
    return;
  }
  for (const model of [MODEL, LLAMA]) {
    if (path === `/model/${model}/invoke-with-response-stream`) {
      void invokeStream(res, model, Number(req.headers['x-test-words'] ?? 5), req.headers['x-test-cache'] === 'on');
      return;
    }
  }
  if (path === `/model/${MODEL}/invoke`) {
    const body = JSON.parse(raw) as { max_tokens: number };
    res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': 'req-invoke-1' });
    res.end(JSON.stringify({
      id: 'msg_bdrk_01', type: 'message', role: 'assistant', model: 'claude-3-haiku-20240307',
      content: [{ type: 'text', text: `max ${body.max_tokens}` }], stop_reason: 'end_turn',
      usage: { input_tokens: 10, output_tokens: 3 },
    }));
    return;
  }
  res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' });
  res.end(JSON.stringify({ message: `no route ${path}` }));
}

function client(headers: Record<string, string> = {}): BedrockRuntimeClient {
  const c = new BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint,
    maxAttempts: 1,
    // The loopback server speaks HTTP/1.1; the client's default handler for this service is HTTP/2.
    requestHandler: new NodeHttpHandler(),
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
  });
  c.middlewareStack.add((next) => async (args) => {
    const request = args.request as { headers: Record<string, string> };
    Object.assign(request.headers, headers);
    return next(args);
  }, { step: 'build' });
  return c;
}

function spans(kind?: string): Span[] {
  return store.getRecent(10_000).reverse().filter((s) => kind === undefined || s.kind === kind);
}

const messages = [{ role: 'user' as const, content: [{ text: 'Say something about tracing' }] }];

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => handle(req, res, raw));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  store = freshStore();
});

describe('instrumentBedrock', () => {
  it('records Converse with the usage, stop reason, request id and cost, keeping the SDK output', async () => {
    const bedrock = instrumentBedrock(client());
    const out = await bedrock.send(new ConverseCommand({ modelId: MODEL, messages, inferenceConfig: { maxTokens: 64, temperature: 0.2 } }));
    expect(out.output?.message?.content?.[0]?.text).toBe('Tracing makes calls visible.');
    const [span] = spans('llm');
    const a = span!.attributes;
    expect(span!.name).toBe('bedrock.converse');
    expect(a[GenAI.PROVIDER_NAME]).toBe('aws.bedrock');
    expect(a[GenAI.REQUEST_MODEL]).toBe(MODEL);
    expect(a[GenAI.REQUEST_MAX_TOKENS]).toBe(64);
    expect(a[GenAI.REQUEST_TEMPERATURE]).toBe(0.2);
    expect(a[GenAI.USAGE_INPUT_TOKENS]).toBe(19);
    expect(a[GenAI.USAGE_OUTPUT_TOKENS]).toBe(6);
    expect(a[GenAI.USAGE_CACHED_INPUT_TOKENS]).toBe(4);
    expect(a[GenAI.RESPONSE_FINISH_REASONS]).toEqual(['end_turn']);
    expect(a[LLMTrace.REQUEST_ID]).toBe('req-converse-1');
    expect(a[LLMTrace.COST_USD]).toBeGreaterThan(0);
  });

  it('records ConverseStream with time to first token and the usage of the metadata event', async () => {
    const bedrock = instrumentBedrock(client({ 'x-test-words': '6' }));
    const out = await bedrock.send(new ConverseStreamCommand({ modelId: MODEL, messages }));
    let text = '';
    for await (const event of out.stream!) text += event.contentBlockDelta?.delta?.text ?? '';
    expect(text).toContain('word5');
    const [span] = spans('llm');
    const a = span!.attributes;
    expect(span!.name).toBe('bedrock.converseStream');
    expect(a[GenAI.REQUEST_STREAM]).toBe(true);
    expect(a[LLMTrace.STREAM_END]).toBe('completed');
    expect(a[LLMTrace.STREAM_CHUNKS]).toBe(6);
    expect(a[LLMTrace.TIME_TO_FIRST_TOKEN_MS]).toBeGreaterThan(0);
    expect(a[GenAI.USAGE_INPUT_TOKENS]).toBe(12);
    expect(a[GenAI.USAGE_OUTPUT_TOKENS]).toBe(6);
    expect(a[LLMTrace.USAGE_ESTIMATED]).toBeUndefined();
    expect(a[GenAI.RESPONSE_FINISH_REASONS]).toEqual(['end_turn']);
  });

  it('records an early break as cancelled and an abort as aborted', async () => {
    const bedrock = instrumentBedrock(client({ 'x-test-words': '50' }));
    const out = await bedrock.send(new ConverseStreamCommand({ modelId: MODEL, messages }));
    for await (const event of out.stream!) if (event.contentBlockDelta) break;
    const controller = new AbortController();
    const aborted = await bedrock.send(new ConverseStreamCommand({ modelId: MODEL, messages }), { abortSignal: controller.signal });
    await expect((async () => {
      for await (const event of aborted.stream!) if (event.contentBlockDelta) controller.abort();
    })()).rejects.toThrow();
    const [cancelled, abortedSpan] = spans('llm');
    expect(cancelled!.attributes[LLMTrace.STREAM_END]).toBe('cancelled');
    expect(cancelled!.status).toBe('success');
    expect(abortedSpan!.attributes[LLMTrace.STREAM_END]).toBe('aborted');
    expect(abortedSpan!.status).toBe('error');
  });

  it('records InvokeModel with an Anthropic-on-Bedrock body: its tokens and model', async () => {
    const bedrock = instrumentBedrock(client());
    const body = JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 32, messages: [{ role: 'user', content: 'Hi' }] });
    const out = await bedrock.send(new InvokeModelCommand({ modelId: MODEL, body, contentType: 'application/json' }));
    expect(JSON.parse(new TextDecoder().decode(out.body)).content[0].text).toBe('max 32');
    const [span] = spans('llm');
    const a = span!.attributes;
    expect(span!.name).toBe('bedrock.invokeModel');
    expect(a[GenAI.PROVIDER_NAME]).toBe('aws.bedrock');
    expect(a[GenAI.REQUEST_MAX_TOKENS]).toBe(32);
    expect(a[GenAI.USAGE_INPUT_TOKENS]).toBe(10);
    expect(a[GenAI.USAGE_OUTPUT_TOKENS]).toBe(3);
    expect(a[GenAI.RESPONSE_MODEL]).toBe('claude-3-haiku-20240307');
  });

  it('records InvokeModelWithResponseStream: Anthropic stream events, time to first token, usage, stop reason', async () => {
    const bedrock = instrumentBedrock(client({ 'x-test-words': '7' }));
    const body = JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] });
    const out = await bedrock.send(new InvokeModelWithResponseStreamCommand({ modelId: MODEL, body, contentType: 'application/json' }));
    let text = '';
    for await (const event of out.body!) {
      const payload = JSON.parse(new TextDecoder().decode(event.chunk!.bytes)) as { delta?: { text?: string } };
      text += payload.delta?.text ?? '';
    }
    expect(text).toContain('word6'); // the caller reads every event, unchanged
    const [span] = spans('llm');
    const a = span!.attributes;
    expect(span!.name).toBe('bedrock.invokeModelWithResponseStream');
    expect(a).toMatchObject({
      [GenAI.PROVIDER_NAME]: 'aws.bedrock',
      [GenAI.REQUEST_MODEL]: MODEL,
      [GenAI.RESPONSE_MODEL]: 'claude-3-haiku-20240307',
      [GenAI.REQUEST_MAX_TOKENS]: 64,
      [GenAI.REQUEST_STREAM]: true,
      [GenAI.USAGE_INPUT_TOKENS]: 14,
      [GenAI.USAGE_OUTPUT_TOKENS]: 7,
      [GenAI.RESPONSE_FINISH_REASONS]: ['end_turn'],
      [LLMTrace.STREAM_END]: 'completed',
      [LLMTrace.STREAM_CHUNKS]: 7,
    });
    expect(a[LLMTrace.TIME_TO_FIRST_TOKEN_MS]).toBeGreaterThan(0);
    expect(a[LLMTrace.USAGE_ESTIMATED]).toBeUndefined();
    expect(a[LLMTrace.COST_USD]).toBeGreaterThan(0);
  });

  it('keeps the Anthropic input tokens of a cached InvokeModelWithResponseStream over Bedrock\'s uncached metrics', async () => {
    const bedrock = instrumentBedrock(client({ 'x-test-words': '3', 'x-test-cache': 'on' }));
    const body = JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] });
    const out = await bedrock.send(new InvokeModelWithResponseStreamCommand({ modelId: MODEL, body, contentType: 'application/json' }));
    for await (const event of out.body!) void event;
    const [span] = spans('llm');
    expect(span!.attributes).toMatchObject({
      [GenAI.USAGE_INPUT_TOKENS]: 14 + CACHE_READ + CACHE_WRITE, // message_start's count, cache included, as InvokeModel reads it
      [GenAI.USAGE_CACHED_INPUT_TOKENS]: CACHE_READ,
      [GenAI.USAGE_CACHE_CREATION_INPUT_TOKENS]: CACHE_WRITE,
      [GenAI.USAGE_OUTPUT_TOKENS]: 3,
    });
  });

  it('reads another model family\'s stream (Llama) with the usage from Bedrock\'s invocation metrics; an early break is cancelled', async () => {
    const bedrock = instrumentBedrock(client({ 'x-test-words': '4' }));
    const body = JSON.stringify({ prompt: 'Hi', max_gen_len: 32 });
    const out = await bedrock.send(new InvokeModelWithResponseStreamCommand({ modelId: LLAMA, body, contentType: 'application/json' }));
    for await (const event of out.body!) void event;
    const early = await instrumentBedrock(client({ 'x-test-words': '50' })).send(new InvokeModelWithResponseStreamCommand({ modelId: LLAMA, body, contentType: 'application/json' }));
    for await (const event of early.body!) if (event.chunk) break;
    const [full, cancelled] = spans('llm');
    expect(full!.attributes).toMatchObject({
      [GenAI.REQUEST_MAX_TOKENS]: 32,
      [GenAI.USAGE_INPUT_TOKENS]: 14,
      [GenAI.USAGE_OUTPUT_TOKENS]: 4,
      [GenAI.RESPONSE_FINISH_REASONS]: ['stop'],
      [LLMTrace.STREAM_CHUNKS]: 4,
      [LLMTrace.STREAM_END]: 'completed',
    });
    expect(cancelled!.attributes[LLMTrace.STREAM_END]).toBe('cancelled');
    expect(cancelled!.status).toBe('success');
  });

  it('records an HTTP error with its status and request id; the SDK error reaches the caller unchanged', async () => {
    const bedrock = instrumentBedrock(client({ 'x-test-fault': '429' }));
    const error = await bedrock.send(new ConverseCommand({ modelId: MODEL, messages })).catch((e: unknown) => e);
    expect((error as Error).name).toBe('ThrottlingException');
    const [span] = spans('llm');
    expect(span!.status).toBe('error');
    expect(span!.attributes[GenAI.HTTP_STATUS_CODE]).toBe(429);
    expect(span!.attributes[LLMTrace.REQUEST_ID]).toBe('req-throttled');
  });

  it('passes other commands through untraced, and never stores credentials or signatures', async () => {
    const bedrock = instrumentBedrock(client());
    await bedrock.send(new ListAsyncInvokesCommand({})).catch(() => undefined);
    await bedrock.send(new ConverseCommand({ modelId: MODEL, messages }));
    expect(spans('llm')).toHaveLength(1);
    const signature = seenAuth.find((s) => s.includes('Signature='))!;
    expect(signature).toBeTruthy();
    const stored = JSON.stringify(store.getRecent(10_000));
    expect(stored).not.toContain(SECRET_KEY);
    expect(stored).not.toContain(ACCESS_KEY);
    expect(stored).not.toContain(signature.split('Signature=')[1]!);
    expect(instrumentBedrock(bedrock)).toBe(bedrock);
    expect(() => instrumentBedrock(client(), { contex: 'x' } as never)).toThrow(/unknown option "contex", did you mean "context"/);
    expect(() => instrumentBedrock({})).toThrow(/needs a BedrockRuntimeClient/);
  });
});
