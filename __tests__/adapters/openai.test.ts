/**
 * instrumentOpenAI with the real `openai` SDK against the offline model server: JSON and streamed
 * answers (chat completions and the Responses API event stream), the stream helpers
 * (`chat.completions.stream()`, `responses.stream()`), early break, abort, dropped connections,
 * 429/500 errors, and the SDK objects kept intact.
 */
import OpenAI, { APIError, APIConnectionError, RateLimitError, InternalServerError } from 'openai';
import { Stream } from 'openai/streaming';
import { ChatCompletionStream } from 'openai/lib/ChatCompletionStream';
import { ResponseStream } from 'openai/lib/responses/ResponseStream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { instrumentOpenAI } from '../../adapters/openai/index.js';
import { startOfflineModelServer, type OfflineModelServer } from '../../lib/offline-model/index.js';
import { freshStore } from '../helpers/fresh-store.js';
import { withSpan, type TraceStore, type Span } from '../../index.js';

let server: OfflineModelServer;
let store: TraceStore;

function client(headers: Record<string, string> = {}, maxRetries = 0): OpenAI {
  return new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'offline', maxRetries, defaultHeaders: headers });
}

function llmSpans(): Span[] {
  return store.getRecent(10_000).reverse().filter((s) => s.kind === 'llm' || s.kind === 'embedding');
}

/** Waits for spans to land (a stream's span ends on the read that finishes it). */
async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 20));
}

beforeAll(async () => {
  server = await startOfflineModelServer({ seed: 3, latencyMs: 5, ttftMs: 20, tokensPerSecond: 500, outputTokens: [6, 10] });
});
afterAll(() => server.close());
beforeEach(() => {
  store = freshStore();
});

const messages = [{ role: 'user' as const, content: 'Say something about tracing.' }];

describe('instrumentOpenAI', () => {
  it('records a chat completion with the usage the server reported', async () => {
    const openai = instrumentOpenAI(client({ 'x-offline-output-tokens': '7' }));
    const completion = await openai.chat.completions.create({ model: 'gpt-offline', messages, max_tokens: 50, temperature: 0.2 });
    await settle();
    const [span] = llmSpans();
    expect(span).toBeDefined();
    expect(span!.name).toBe('openai.chat.completions.create');
    expect(span!.status).toBe('success');
    expect(span!.attributes['gen_ai.provider.name']).toBe('openai');
    expect(span!.attributes['gen_ai.request.model']).toBe('gpt-offline');
    expect(span!.attributes['gen_ai.response.model']).toBe('gpt-offline');
    expect(span!.attributes['gen_ai.request.max_tokens']).toBe(50);
    expect(span!.attributes['gen_ai.request.temperature']).toBe(0.2);
    expect(span!.attributes['gen_ai.request.stream']).toBe(false);
    expect(span!.attributes['server.address']).toBe('127.0.0.1');
    expect(span!.attributes['gen_ai.usage.output_tokens']).toBe(completion.usage!.completion_tokens);
    expect(span!.attributes['gen_ai.usage.output_tokens']).toBe(7);
    expect(span!.attributes['gen_ai.usage.input_tokens']).toBe(completion.usage!.prompt_tokens);
    expect(span!.attributes['gen_ai.response.finish_reasons']).toEqual(['stop']);
    // The provider's request id, on a successful call too (the SDK's non-enumerable _request_id).
    expect(completion._request_id).toMatch(/\S/);
    expect(span!.attributes['llmtrace.request_id']).toBe(completion._request_id);
  });

  it('records the sampling parameters, output type and conversation a request sets, under their GenAI names', async () => {
    const openai = instrumentOpenAI(client());
    await openai.chat.completions.create({
      model: 'gpt-offline',
      messages,
      top_p: 0.9,
      stop: ['\n\n', 'END'],
      seed: 42,
      frequency_penalty: 0.5,
      presence_penalty: -0.5,
      n: 2,
      response_format: { type: 'json_object' },
    });
    await openai.responses.create({ model: 'gpt-offline', input: 'Hi', conversation: 'conv_123', text: { format: { type: 'text' } } });
    await settle();
    const [chat, responses] = llmSpans();
    expect(chat!.attributes).toMatchObject({
      'gen_ai.request.top_p': 0.9,
      'gen_ai.request.stop_sequences': ['\n\n', 'END'],
      'gen_ai.request.seed': 42,
      'gen_ai.request.frequency_penalty': 0.5,
      'gen_ai.request.presence_penalty': -0.5,
      'gen_ai.request.choice.count': 2,
      'gen_ai.output.type': 'json',
    });
    expect(responses!.attributes).toMatchObject({ 'gen_ai.conversation.id': 'conv_123', 'gen_ai.output.type': 'text' });
    expect(responses!.attributes['gen_ai.request.choice.count']).toBeUndefined(); // 1 (the default) is not recorded
  });

  it('passes untouched members through and keeps the client unmodified', () => {
    const raw = client();
    const openai = instrumentOpenAI(raw);
    expect(openai).toBeInstanceOf(OpenAI);
    expect(openai.baseURL).toBe(raw.baseURL);
    expect(openai.models.list).toBeInstanceOf(Function);
    expect(openai.chat.completions).toBe(openai.chat.completions);
    expect(openai.chat.completions.create).toBe(openai.chat.completions.create);
    expect(raw.chat.completions.create).toBe(OpenAI.Chat.Completions.prototype.create);
    expect(instrumentOpenAI(openai)).toBe(openai);
  });

  it('keeps the APIPromise: .withResponse() and .asResponse() still work', async () => {
    const openai = instrumentOpenAI(client());
    const { data, response, request_id } = await openai.chat.completions.create({ model: 'm', messages }).withResponse();
    expect(data.object).toBe('chat.completion');
    expect(response.status).toBe(200);
    expect(request_id).toMatch(/^req_/);

    const raw = await openai.chat.completions.create({ model: 'm', messages }).asResponse();
    const body = (await raw.json()) as { object: string };
    expect(body.object).toBe('chat.completion');
    await settle();
    const spans = llmSpans();
    expect(spans).toHaveLength(2);
    expect(spans[0]!.attributes['gen_ai.usage.output_tokens']).toBe(data.usage!.completion_tokens);
    expect(spans[1]!.status).toBe('success');
    expect(spans[1]!.attributes['http.response.status_code']).toBe(200);
  });

  it('records a stream read with for await: TTFT, chunk timing, usage from the usage chunk', async () => {
    const openai = instrumentOpenAI(client({ 'x-offline-ttft-ms': '150', 'x-offline-output-tokens': '9' }));
    const stream = await openai.chat.completions.create({
      model: 'gpt-offline',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(stream).toBeInstanceOf(Stream);
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    const [span] = llmSpans();
    expect(text.length).toBeGreaterThan(0);
    expect(span!.status).toBe('success');
    expect(span!.attributes['gen_ai.request.stream']).toBe(true);
    expect(span!.attributes['llmtrace.stream.end']).toBe('completed');
    expect(span!.attributes['llmtrace.stream.chunks']).toBe(9);
    expect(span!.attributes['gen_ai.usage.output_tokens']).toBe(usage!.completion_tokens);
    expect(span!.attributes['gen_ai.usage.input_tokens']).toBe(usage!.prompt_tokens);
    expect(span!.attributes['llmtrace.usage.estimated']).toBeUndefined();
    // The server waits 150 ms before the first token. Lower bound minus timer slack; upper bound is
    // generous because other engineers' test runs load this 2-core machine.
    const ttft = span!.attributes['llmtrace.time_to_first_token_ms'] as number;
    expect(ttft).toBeGreaterThanOrEqual(120);
    expect(ttft).toBeLessThan(600);
    expect(span!.attributes['gen_ai.response.time_to_first_chunk']).toBeCloseTo(ttft / 1000, 6);
    expect(span!.attributes['llmtrace.stream.mean_chunk_interval_ms']).toBeGreaterThan(0);
    expect(span!.attributes['llmtrace.stream.output_tokens_per_second']).toBeGreaterThan(0);
  });

  it('estimates output tokens from chunks when the stream has no usage chunk', async () => {
    const openai = instrumentOpenAI(client({ 'x-offline-output-tokens': '5' }));
    const stream = await openai.chat.completions.create({ model: 'm', messages, stream: true });
    for await (const _ of stream) void _;
    const [span] = llmSpans();
    expect(span!.attributes['gen_ai.usage.output_tokens']).toBe(5);
    expect(span!.attributes['llmtrace.usage.estimated']).toBe(true);
  });

  it('ends the span as cancelled when the consumer breaks early, with what was received', async () => {
    const openai = instrumentOpenAI(client({ 'x-offline-output-tokens': '12' }));
    const stream = await openai.chat.completions.create({ model: 'm', messages, stream: true });
    let seen = 0;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) seen++;
      if (seen === 3) break;
    }
    const spans = llmSpans();
    expect(spans).toHaveLength(1);
    expect(spans[0]!.attributes['llmtrace.stream.end']).toBe('cancelled');
    expect(spans[0]!.attributes['llmtrace.stream.chunks']).toBe(3);
    expect(spans[0]!.status).toBe('success');
  });

  it('ends the span as aborted on stream.controller.abort()', async () => {
    const openai = instrumentOpenAI(client({ 'x-offline-output-tokens': '12' }));
    const stream = await openai.chat.completions.create({ model: 'm', messages, stream: true });
    let seen = 0;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) seen++;
      if (seen === 2) stream.controller.abort();
    }
    await settle();
    const spans = llmSpans();
    expect(spans).toHaveLength(1);
    expect(spans[0]!.attributes['llmtrace.stream.end']).toBe('aborted');
    expect(spans[0]!.status).toBe('error');
    expect(spans[0]!.attributes['llmtrace.stream.chunks']).toBeGreaterThanOrEqual(2);
  });

  it('records a dropped connection mid-stream as a stream error and rethrows the SDK error', async () => {
    const openai = instrumentOpenAI(client({ 'x-offline-fault': 'drop', 'x-offline-output-tokens': '10' }));
    const stream = await openai.chat.completions.create({ model: 'm', messages, stream: true });
    let caught: unknown;
    try {
      for await (const _ of stream) void _;
    } catch (error) {
      caught = error;
    }
    // undici's 'terminated' TypeError comes from Node's realm, not Jest's, so no instanceof here.
    expect((caught as Error).message).toMatch(/terminated/);
    const [span] = llmSpans();
    expect(span!.status).toBe('error');
    expect(span!.error!.message).toContain((caught as Error).message);
    expect(span!.attributes['llmtrace.stream.end']).toBe('error');
    expect(span!.attributes['llmtrace.stream.chunks']).toBe(5);
  });

  it('ends the span when the stream is consumed through .tee()', async () => {
    const openai = instrumentOpenAI(client({ 'x-offline-output-tokens': '4' }));
    const stream = await openai.chat.completions.create({ model: 'm', messages, stream: true, stream_options: { include_usage: true } });
    const [left, right] = stream.tee();
    const read = async (s: AsyncIterable<unknown>): Promise<number> => {
      let n = 0;
      for await (const _ of s) n++;
      return n;
    };
    const [a, b] = await Promise.all([read(left), read(right)]);
    expect(a).toBe(b);
    const [span] = llmSpans();
    expect(span!.attributes['llmtrace.stream.end']).toBe('completed');
    expect(span!.attributes['gen_ai.usage.output_tokens']).toBe(4);
  });

  it('ends the span when the stream is consumed through toReadableStream()', async () => {
    const openai = instrumentOpenAI(client({ 'x-offline-output-tokens': '4' }));
    const stream = await openai.chat.completions.create({ model: 'm', messages, stream: true });
    const text = await new Response(stream.toReadableStream()).text();
    expect(text.trim().split('\n').length).toBeGreaterThanOrEqual(4);
    const [span] = llmSpans();
    expect(span!.attributes['llmtrace.stream.end']).toBe('completed');
    expect(span!.attributes['llmtrace.stream.chunks']).toBe(4);
  });

  it('records a 429 with status, retry-after and request id; the SDK error reaches the caller unchanged', async () => {
    const openai = instrumentOpenAI(client({ 'x-offline-fault': '429' }));
    let caught: unknown;
    try {
      await openai.chat.completions.create({ model: 'm', messages });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RateLimitError);
    expect(caught).toBeInstanceOf(APIError);
    await settle();
    const [span] = llmSpans();
    expect(span!.status).toBe('error');
    expect(span!.error!.type).toBe('RateLimitError');
    expect(span!.attributes['http.response.status_code']).toBe(429);
    expect(span!.attributes['llmtrace.error.retry_after_s']).toBe(1);
    expect(span!.attributes['llmtrace.request_id']).toBe((caught as RateLimitError).requestID);
  });

  it('records a 500 and a dropped connection, rethrowing the very same error objects', async () => {
    const openai = instrumentOpenAI(client({ 'x-offline-fault': '500' }));
    const p = openai.chat.completions.create({ model: 'm', messages });
    const caught = await p.catch((error: unknown) => error);
    expect(caught).toBeInstanceOf(InternalServerError);
    expect(await p.catch((error: unknown) => error)).toBe(caught);

    const dropped = instrumentOpenAI(client({ 'x-offline-fault': 'drop' }));
    const lost = await dropped.chat.completions.create({ model: 'm', messages }).catch((error: unknown) => error);
    expect(lost).toBeInstanceOf(APIConnectionError);
    await settle();
    const [first, second] = llmSpans();
    expect(first!.attributes['http.response.status_code']).toBe(500);
    expect(first!.error!.type).toBe('InternalServerError');
    expect(second!.status).toBe('error');
    expect(second!.error!.type).toBe('APIConnectionError');
  });

  it('records responses.create and embeddings.create', async () => {
    const openai = instrumentOpenAI(client({ 'x-offline-output-tokens': '6' }));
    const response = await openai.responses.create({ model: 'gpt-offline', input: 'Hello there' });
    const embedding = await openai.embeddings.create({ model: 'embed-offline', input: ['a', 'b'] });
    expect(embedding.data).toHaveLength(2);
    expect(embedding.data[0]!.embedding.length).toBe(8);
    await settle();
    const [resp, emb] = llmSpans();
    expect(resp!.name).toBe('openai.responses.create');
    expect(resp!.attributes['gen_ai.usage.output_tokens']).toBe(response.usage!.output_tokens);
    expect(emb!.kind).toBe('embedding');
    expect(emb!.attributes['gen_ai.operation.name']).toBe('embeddings');
    expect(emb!.attributes['gen_ai.usage.input_tokens']).toBe(embedding.usage.prompt_tokens);
  });

  it('nests SDK spans under the enclosing scope and records the cache mark', async () => {
    const openai = instrumentOpenAI(client(), { context: 'summarizer', cached: () => false });
    await withSpan('run', { kind: 'run' }, () => openai.chat.completions.create({ model: 'm', messages }));
    await settle();
    const run = store.getRecent(10_000).reverse().find((s) => s.kind === 'run')!;
    const [span] = llmSpans();
    expect(span!.parentId).toBe(run.id);
    expect(span!.scopes.run).toBe(run.id);
    expect(span!.attributes['llmtrace.context']).toBe('summarizer');
    expect(span!.attributes['llmtrace.cached']).toBe(false);
  });

  it('keeps tracing on clients made with withOptions(), under their own base URL', async () => {
    const openai = instrumentOpenAI(client(), { context: 'cloned' });
    const clone = openai.withOptions({ baseURL: `${server.url.replace('127.0.0.1', 'localhost')}/v1`, timeout: 5_000 });
    expect(clone).toBeInstanceOf(OpenAI);
    expect(clone.timeout).toBe(5_000);
    const completion = await clone.chat.completions.create({ model: 'm', messages });
    await settle();
    const [span] = llmSpans();
    expect(span).toBeDefined();
    expect(span!.name).toBe('openai.chat.completions.create');
    expect(span!.attributes['llmtrace.context']).toBe('cloned');
    expect(span!.attributes['server.address']).toBe('localhost');
    expect(span!.attributes['gen_ai.usage.output_tokens']).toBe(completion.usage!.completion_tokens);
  });

  it('throws a TypeError naming the option at instrumentation time', () => {
    expect(() => instrumentOpenAI(client(), { cached: 'yes' as never })).toThrow(/cached must be a function/);
    expect(() => instrumentOpenAI(client(), { capture: 'all' as never })).toThrow(/capture must be/);
    expect(() => instrumentOpenAI(null as never)).toThrow(TypeError);
  });
});

// TTFT bounds used below: the server is told to wait 150 ms before the first token. The lower bound
// allows for timer slack; the upper bound is generous because other engineers' test runs load this
// 2-core machine.
function expectTtftNear150(span: Span): void {
  const ttft = span.attributes['llmtrace.time_to_first_token_ms'] as number;
  expect(ttft).toBeGreaterThanOrEqual(120);
  expect(ttft).toBeLessThan(600);
}

describe('instrumentOpenAI: Responses API event stream', () => {
  it('ends the span once on response.completed, with TTFT and the usage the server reported', async () => {
    const openai = instrumentOpenAI(client({ 'x-offline-ttft-ms': '150', 'x-offline-output-tokens': '9' }));
    const stream = await openai.responses.create({ model: 'gpt-offline', input: 'Hello there', stream: true });
    expect(stream).toBeInstanceOf(Stream);
    let text = '';
    let usage: OpenAI.Responses.ResponseUsage | undefined;
    const types: string[] = [];
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed') usage = event.response.usage ?? undefined;
    }
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    expect(text.length).toBeGreaterThan(0);
    await settle();
    const spans = llmSpans();
    expect(spans).toHaveLength(1);
    const [span] = spans;
    expect(span!.name).toBe('openai.responses.create');
    expect(span!.status).toBe('success');
    expect(span!.attributes['gen_ai.request.stream']).toBe(true);
    expect(span!.attributes['llmtrace.stream.end']).toBe('completed');
    expect(span!.attributes['llmtrace.stream.chunks']).toBe(9);
    expect(span!.attributes['gen_ai.response.model']).toBe('gpt-offline');
    expect(span!.attributes['gen_ai.usage.output_tokens']).toBe(usage!.output_tokens);
    expect(span!.attributes['gen_ai.usage.output_tokens']).toBe(9);
    expect(span!.attributes['gen_ai.usage.input_tokens']).toBe(usage!.input_tokens);
    expect(span!.attributes['llmtrace.usage.estimated']).toBeUndefined();
    expectTtftNear150(span!);
  });

  it('records an early break as cancelled, with the deltas received so far', async () => {
    const openai = instrumentOpenAI(client({ 'x-offline-output-tokens': '12' }));
    const stream = await openai.responses.create({ model: 'm', input: 'Hi', stream: true });
    let deltas = 0;
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta' && ++deltas === 3) break;
    }
    await settle();
    const spans = llmSpans();
    expect(spans).toHaveLength(1);
    expect(spans[0]!.status).toBe('success');
    expect(spans[0]!.attributes['llmtrace.stream.end']).toBe('cancelled');
    expect(spans[0]!.attributes['llmtrace.stream.chunks']).toBe(3);
    expect(spans[0]!.attributes['llmtrace.usage.estimated']).toBe(true);
  });

  it('records a 429 before the stream starts with its status; the SDK error reaches the caller', async () => {
    const openai = instrumentOpenAI(client({ 'x-offline-fault': '429' }));
    const caught = await openai.responses.create({ model: 'm', input: 'Hi', stream: true }).catch((error: unknown) => error);
    expect(caught).toBeInstanceOf(RateLimitError);
    await settle();
    const [span] = llmSpans();
    expect(span!.status).toBe('error');
    expect(span!.attributes['http.response.status_code']).toBe(429);
    expect(span!.attributes['llmtrace.error.retry_after_s']).toBe(1);
    expect(span!.attributes['llmtrace.stream.end']).toBeUndefined();
  });
});

describe('instrumentOpenAI: stream helpers', () => {
  const streamParams = { model: 'gpt-offline', messages, stream_options: { include_usage: true } };

  it('records chat.completions.stream() consumed through events and finalChatCompletion()', async () => {
    const openai = instrumentOpenAI(client({ 'x-offline-ttft-ms': '150', 'x-offline-output-tokens': '8' }));
    const stream = openai.chat.completions.stream(streamParams);
    expect(stream).toBeInstanceOf(ChatCompletionStream);
    let text = '';
    stream.on('content', (delta) => (text += delta));
    const completion = await stream.finalChatCompletion();
    expect(text).toBe(completion.choices[0]!.message.content);
    await settle();
    const spans = llmSpans();
    expect(spans).toHaveLength(1);
    const [span] = spans;
    expect(span!.name).toBe('openai.chat.completions.stream');
    expect(span!.status).toBe('success');
    expect(span!.attributes['gen_ai.request.model']).toBe('gpt-offline');
    expect(span!.attributes['gen_ai.request.stream']).toBe(true);
    expect(span!.attributes['llmtrace.stream.end']).toBe('completed');
    expect(span!.attributes['llmtrace.stream.chunks']).toBe(8);
    expect(span!.attributes['gen_ai.usage.output_tokens']).toBe(completion.usage!.completion_tokens);
    expect(span!.attributes['gen_ai.usage.input_tokens']).toBe(completion.usage!.prompt_tokens);
    expect(span!.attributes['llmtrace.usage.estimated']).toBeUndefined();
    expect(span!.attributes['gen_ai.response.finish_reasons']).toEqual(['stop']);
    expectTtftNear150(span!);
  });

  it('records chat.completions.stream() read with for await, estimating tokens without a usage chunk', async () => {
    const openai = instrumentOpenAI(client({ 'x-offline-output-tokens': '5' }));
    let chunks = 0;
    for await (const chunk of openai.chat.completions.stream({ model: 'm', messages })) {
      if (chunk.choices[0]?.delta.content) chunks++;
    }
    expect(chunks).toBe(5);
    await settle();
    const spans = llmSpans();
    expect(spans).toHaveLength(1);
    expect(spans[0]!.attributes['llmtrace.stream.end']).toBe('completed');
    expect(spans[0]!.attributes['gen_ai.usage.output_tokens']).toBe(5);
    expect(spans[0]!.attributes['llmtrace.usage.estimated']).toBe(true);
  });

  it('records an early break from chat.completions.stream() as cancelled', async () => {
    const openai = instrumentOpenAI(client({ 'x-offline-output-tokens': '20', 'x-offline-tokens-per-second': '100' }));
    const stream = openai.chat.completions.stream({ model: 'm', messages });
    let chunks = 0;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content && ++chunks === 2) break;
    }
    await stream.done().catch(() => undefined);
    await settle();
    const spans = llmSpans();
    expect(spans).toHaveLength(1);
    expect(spans[0]!.status).toBe('success');
    expect(spans[0]!.attributes['llmtrace.stream.end']).toBe('cancelled');
    expect(spans[0]!.attributes['llmtrace.stream.chunks']).toBeGreaterThanOrEqual(2);
  });

  it('records abort() on a ChatCompletionStream as aborted, with what was received', async () => {
    const openai = instrumentOpenAI(client({ 'x-offline-output-tokens': '20', 'x-offline-tokens-per-second': '100' }));
    const stream = openai.chat.completions.stream({ model: 'm', messages });
    let deltas = 0;
    stream.on('content', () => {
      if (++deltas === 2) stream.abort();
    });
    await expect(stream.finalChatCompletion()).rejects.toThrow();
    await settle();
    const spans = llmSpans();
    expect(spans).toHaveLength(1);
    expect(spans[0]!.status).toBe('error');
    expect(spans[0]!.attributes['llmtrace.stream.end']).toBe('aborted');
    expect(spans[0]!.attributes['llmtrace.stream.chunks']).toBe(2);
  });

  it('records a 429 from chat.completions.stream() with its status; the SDK error reaches the caller', async () => {
    const openai = instrumentOpenAI(client({ 'x-offline-fault': '429' }));
    const stream = openai.chat.completions.stream({ model: 'm', messages });
    const caught = await stream.finalChatCompletion().catch((error: unknown) => error);
    expect(caught).toBeInstanceOf(RateLimitError);
    await settle();
    const [span] = llmSpans();
    expect(span!.status).toBe('error');
    expect(span!.error!.type).toBe('RateLimitError');
    expect(span!.attributes['http.response.status_code']).toBe(429);
    expect(span!.attributes['llmtrace.stream.chunks']).toBe(0);
  });

  it('records responses.stream() consumed through events and finalResponse()', async () => {
    const openai = instrumentOpenAI(client({ 'x-offline-output-tokens': '6' }));
    const stream = openai.responses.stream({ model: 'gpt-offline', input: 'Hello there' });
    expect(stream).toBeInstanceOf(ResponseStream);
    let text = '';
    stream.on('response.output_text.delta', (event) => (text += event.delta));
    const response = await stream.finalResponse();
    expect(text).toBe(response.output_text);
    await settle();
    const spans = llmSpans();
    expect(spans).toHaveLength(1);
    expect(spans[0]!.name).toBe('openai.responses.stream');
    expect(spans[0]!.attributes['gen_ai.request.stream']).toBe(true);
    expect(spans[0]!.attributes['llmtrace.stream.end']).toBe('completed');
    expect(spans[0]!.attributes['llmtrace.stream.chunks']).toBe(6);
    expect(spans[0]!.attributes['gen_ai.usage.output_tokens']).toBe(response.usage!.output_tokens);
    expect(spans[0]!.attributes['gen_ai.usage.input_tokens']).toBe(response.usage!.input_tokens);
  });
});
