/**
 * `traced(fn)` (no adapter) around the real SDKs' streams against the offline model server: the
 * typed event streams (Anthropic `stream: true`, OpenAI Responses `stream: true`) record the usage
 * their events carry and time to first token from the first text, and the SDKs' stream helpers
 * (`messages.stream()`, `chat.completions.stream()`, `responses.stream()`) read through events or
 * `final*()` end their span, without the caller ever iterating them.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { traced, type Span, type TraceStore } from '../../../index.js';
import { startOfflineModelServer, type OfflineModelServer } from '../../../lib/offline-model/index.js';
import { freshStore } from '../../helpers/fresh-store.js';

let server: OfflineModelServer;
let store: TraceStore;

const TTFT_MS = 150;

function anthropic(outputTokens: number): Anthropic {
  return new Anthropic({
    baseURL: server.url,
    apiKey: 'offline',
    maxRetries: 0,
    defaultHeaders: { 'x-offline-ttft-ms': String(TTFT_MS), 'x-offline-output-tokens': String(outputTokens) },
  });
}

function openai(outputTokens: number): OpenAI {
  return new OpenAI({
    baseURL: `${server.url}/v1`,
    apiKey: 'offline',
    maxRetries: 0,
    defaultHeaders: { 'x-offline-ttft-ms': String(TTFT_MS), 'x-offline-output-tokens': String(outputTokens) },
  });
}

async function onlySpan(): Promise<Span> {
  await new Promise((resolve) => setTimeout(resolve, 20));
  const spans = store.getRecent(100).filter((s) => s.kind === 'llm');
  expect(spans).toHaveLength(1);
  return spans[0]!;
}

const messages = [{ role: 'user' as const, content: 'Hello there' }];

beforeAll(async () => {
  server = await startOfflineModelServer({ seed: 11, latencyMs: 5, ttftMs: 20, tokensPerSecond: 500 });
});
afterAll(() => server.close());
beforeEach(() => {
  store = freshStore();
});

describe('traced(fn) returning a typed event stream', () => {
  it('Anthropic stream: true: usage from message_start and message_delta, chunks and TTFT from the text', async () => {
    const client = anthropic(7);
    const ask = traced(async (model: string) => client.messages.create({ model, max_tokens: 50, messages, stream: true }), { name: 'ask' });
    let input = 0;
    let output = 0;
    let texts = 0;
    for await (const event of await ask('claude-offline')) {
      if (event.type === 'message_start') input = event.message.usage.input_tokens;
      if (event.type === 'message_delta') output = event.usage.output_tokens;
      if (event.type === 'content_block_delta') texts++;
    }
    const span = await onlySpan();
    expect(span.attributes['gen_ai.usage.input_tokens']).toBe(input);
    expect(span.attributes['gen_ai.usage.output_tokens']).toBe(output);
    expect(output).toBe(7);
    expect(span.attributes['llmtrace.usage.estimated']).toBeUndefined();
    expect(span.attributes['llmtrace.stream.chunks']).toBe(texts);
    expect(span.attributes['gen_ai.response.finish_reasons']).toEqual(['end_turn']);
    expect(span.attributes['gen_ai.response.model']).toBe('claude-offline');
    expect(span.attributes['gen_ai.provider.name']).toBe('anthropic');
    expect(span.attributes['llmtrace.time_to_first_token_ms'] as number).toBeGreaterThanOrEqual(TTFT_MS - 20);
  });

  it('OpenAI Responses stream: true: usage and model from response.completed, chunks from the text deltas', async () => {
    const client = openai(6);
    const ask = traced(async (model: string) => client.responses.create({ model, input: 'Hello there', stream: true }), { name: 'ask' });
    let usage: { input_tokens: number; output_tokens: number } | undefined;
    let deltas = 0;
    for await (const event of await ask('gpt-offline')) {
      if (event.type === 'response.output_text.delta') deltas++;
      if (event.type === 'response.completed') usage = event.response.usage ?? undefined;
    }
    const span = await onlySpan();
    expect(usage).toBeDefined();
    expect(span.attributes['gen_ai.usage.input_tokens']).toBe(usage!.input_tokens);
    expect(span.attributes['gen_ai.usage.output_tokens']).toBe(usage!.output_tokens);
    expect(span.attributes['llmtrace.usage.estimated']).toBeUndefined();
    expect(span.attributes['llmtrace.stream.chunks']).toBe(deltas);
    expect(span.attributes['gen_ai.response.model']).toBe('gpt-offline');
    expect(span.attributes['llmtrace.time_to_first_token_ms'] as number).toBeGreaterThanOrEqual(TTFT_MS - 20);
  });
});

describe('traced(fn) returning an SDK stream aborted by its controller', () => {
  it('records the stream as aborted (the SDK ends the iteration as if done), as the adapter does', async () => {
    const client = openai(40);
    const ask = traced(async (model: string) => client.chat.completions.create({ model, messages, stream: true }), { name: 'ask' });
    const stream = await ask('gpt-offline');
    let chunks = 0;
    for await (const chunk of stream) {
      void chunk;
      if (++chunks === 2) stream.controller.abort();
    }
    const span = await onlySpan();
    expect(span.attributes['llmtrace.stream.end']).toBe('aborted');
    expect(span.status).toBe('error');
  });
});

describe('traced(fn) returning an OpenAI chat stream without usage', () => {
  // Until 2026-12-07 the role-only first chunk and the finish chunk counted as content: 5 tokens read as 6 or 7.
  it.each([
    ['chat.completions.create({ stream: true })', (client: OpenAI, model: string) => client.chat.completions.create({ model, messages, stream: true })],
    ['chat.completions.stream()', (client: OpenAI, model: string) => client.chat.completions.stream({ model, messages })],
  ] as const)('%s: only content chunks count, so the estimated output tokens are the text chunks', async (_how, start) => {
    const client = openai(5);
    const ask = traced(async (model: string) => start(client, model), { name: 'ask' });
    let texts = 0;
    for await (const chunk of await ask('gpt-offline')) if (chunk.choices[0]?.delta?.content) texts++;
    const span = await onlySpan();
    expect(texts).toBe(5);
    expect(span.attributes['llmtrace.stream.chunks']).toBe(5);
    expect(span.attributes['gen_ai.usage.output_tokens']).toBe(5);
    expect(span.attributes['llmtrace.usage.estimated']).toBe(true);
    expect(span.attributes['gen_ai.response.finish_reasons']).toEqual(['stop']);
    expect(span.attributes['llmtrace.time_to_first_token_ms'] as number).toBeGreaterThanOrEqual(TTFT_MS - 20);
  });
});

describe('traced(fn) returning an SDK stream consumed through tee() or toReadableStream()', () => {
  it('tee(): the span ends completed once both halves are read, with every chunk counted once', async () => {
    const client = openai(6);
    const ask = traced(async (model: string) => client.chat.completions.create({ model, messages, stream: true, stream_options: { include_usage: true } }), {
      name: 'ask',
    });
    for await (const chunk of await ask('gpt-offline')) void chunk;
    const plain = await onlySpan();
    store.clear();
    const [left, right] = (await ask('gpt-offline')).tee();
    const read = async (half: typeof left): Promise<string> => {
      let text = '';
      for await (const chunk of half) text += chunk.choices[0]?.delta?.content ?? '';
      return text;
    };
    const [a, b] = await Promise.all([read(left), read(right)]);
    expect(a).toBe(b);
    expect(a).not.toBe('');
    const span = await onlySpan();
    expect(span.attributes['llmtrace.stream.end']).toBe('completed');
    expect(span.attributes['gen_ai.usage.output_tokens']).toBe(6);
    expect(span.attributes['llmtrace.stream.chunks']).toBe(plain.attributes['llmtrace.stream.chunks']);
  });

  it('toReadableStream(): the span ends completed when the web stream is read to its end', async () => {
    const client = openai(3);
    const ask = traced(async (model: string) => client.chat.completions.create({ model, messages, stream: true, stream_options: { include_usage: true } }), {
      name: 'ask',
    });
    const web = (await ask('gpt-offline')).toReadableStream();
    const reader = web.getReader();
    let bytes = 0;
    for (let step = await reader.read(); !step.done; step = await reader.read()) bytes += step.value.length;
    expect(bytes).toBeGreaterThan(0);
    const span = await onlySpan();
    expect(span.attributes['llmtrace.stream.end']).toBe('completed');
    expect(span.attributes['gen_ai.usage.output_tokens']).toBe(3);
  });
});

describe('traced(fn) returning an SDK stream helper', () => {
  it("Anthropic messages.stream() read with .on('text') and finalMessage(): the span ends with the usage", async () => {
    const client = anthropic(5);
    const ask = traced((model: string) => client.messages.stream({ model, max_tokens: 50, messages }), { name: 'ask' });
    const stream = ask('claude-offline');
    let text = '';
    stream.on('text', (delta) => (text += delta));
    const message = await stream.finalMessage();
    const span = await onlySpan();
    expect(text).not.toBe('');
    expect(span.attributes['llmtrace.stream.end']).toBe('completed');
    expect(span.attributes['gen_ai.usage.input_tokens']).toBe(message.usage.input_tokens);
    expect(span.attributes['gen_ai.usage.output_tokens']).toBe(5);
    expect(span.attributes['gen_ai.response.id']).toBe(message.id);
    expect(span.attributes['llmtrace.stream.chunks']).toBe(5);
  });

  it('OpenAI chat.completions.stream() read with finalChatCompletion(): the span ends with the usage', async () => {
    const client = openai(4);
    const ask = traced(
      (model: string) => client.chat.completions.stream({ model, messages, stream_options: { include_usage: true } }),
      { name: 'ask' },
    );
    const completion = await ask('gpt-offline').finalChatCompletion();
    const span = await onlySpan();
    expect(span.attributes['llmtrace.stream.end']).toBe('completed');
    expect(span.attributes['gen_ai.usage.input_tokens']).toBe(completion.usage!.prompt_tokens);
    expect(span.attributes['gen_ai.usage.output_tokens']).toBe(4);
    expect(span.attributes['gen_ai.response.finish_reasons']).toEqual(['stop']);
  });

  it('OpenAI responses.stream() consumed with for await: the span ends once, with the usage', async () => {
    const client = openai(3);
    const ask = traced((model: string) => client.responses.stream({ model, input: 'Hello there' }), { name: 'ask' });
    const stream = ask('gpt-offline');
    expect(typeof stream.finalResponse).toBe('function'); // the SDK's own helper, not a replacement
    for await (const event of stream) void event;
    const response = await stream.finalResponse();
    const span = await onlySpan();
    expect(span.attributes['llmtrace.stream.end']).toBe('completed');
    expect(span.attributes['gen_ai.usage.output_tokens']).toBe(response.usage!.output_tokens);
    expect(span.attributes['gen_ai.response.id']).toBe(response.id);
  });

  it('a helper aborted by the caller ends its span as aborted, and the caller sees the SDK error', async () => {
    const client = anthropic(40);
    const ask = traced((model: string) => client.messages.stream({ model, max_tokens: 50, messages }), { name: 'ask' });
    const stream = ask('claude-offline');
    stream.on('text', () => stream.abort());
    await expect(stream.finalMessage()).rejects.toThrow();
    const span = await onlySpan();
    expect(span.attributes['llmtrace.stream.end']).toBe('aborted');
    expect(span.status).toBe('error');
  });
});
