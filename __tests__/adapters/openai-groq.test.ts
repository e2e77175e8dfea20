/**
 * Groq through the real `openai` SDK (`baseURL` at Groq's OpenAI-compatible API), through
 * `tracedFetch`, and through `traced(fn)` around an uninstrumented client, against a loopback fake
 * that answers as Groq does (`x_groq`; streamed usage only in the last chunk's `x_groq.usage`): the
 * span gets Groq's exact token counts, provider `groq` and Groq's price, not an estimate at $0.
 */
import OpenAI, { RateLimitError } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { instrumentOpenAI } from '../../adapters/openai/index.js';
import { tracedFetch } from '../../adapters/fetch/index.js';
import { traced, type Span, type TraceStore } from '../../index.js';
import { freshStore } from '../helpers/fresh-store.js';
import { GROQ_USAGE, startGroqServer, type GroqServer } from '../helpers/groq-server.js';

const MODEL = 'llama-3.3-70b-versatile';
/** Groq's price of MODEL in @pydantic/genai-prices: $0.59 input, $0.79 output per million tokens. */
const COST = (GROQ_USAGE.prompt_tokens * 0.59 + GROQ_USAGE.completion_tokens * 0.79) / 1e6;
const messages = [{ role: 'user' as const, content: 'Why is Groq fast?' }];

let groq: GroqServer;
let separateUsage: GroqServer;
let store: TraceStore;

function sdk(baseURL = groq.baseURL, options: ConstructorParameters<typeof OpenAI>[0] = {}): OpenAI {
  return new OpenAI({ baseURL, apiKey: 'gsk_test', maxRetries: 0, ...options });
}

/** The one span the call recorded, once it has landed. */
async function onlySpan(): Promise<Span> {
  await new Promise((resolve) => setTimeout(resolve, 20));
  const spans = store.getRecent(100).filter((s) => s.kind === 'llm');
  expect(spans).toHaveLength(1);
  return spans[0]!;
}

function expectGroqCall(span: Span): void {
  expect(span.attributes).toMatchObject({
    'gen_ai.provider.name': 'groq',
    'gen_ai.response.model': MODEL,
    'gen_ai.usage.input_tokens': GROQ_USAGE.prompt_tokens,
    'gen_ai.usage.output_tokens': GROQ_USAGE.completion_tokens,
  });
  expect(span.attributes['llmtrace.usage.estimated']).toBeUndefined();
  expect(span.attributes['llmtrace.cost_usd']).toBeCloseTo(COST, 12);
}

beforeAll(async () => {
  groq = await startGroqServer();
  separateUsage = await startGroqServer({ usageWithFinish: false });
});
afterAll(async () => {
  await groq.close();
  await separateUsage.close();
});
beforeEach(() => {
  store = freshStore();
});

describe('Groq through instrumentOpenAI', () => {
  it('files a JSON answer under groq and prices it at Groq’s price, not as a local llama at $0', async () => {
    const openai = instrumentOpenAI(sdk());
    const completion = await openai.chat.completions.create({ model: MODEL, messages });
    expect(completion.choices[0]!.message.content).toBe('Fast and cheap.');
    expectGroqCall(await onlySpan());
  });

  it('reads a stream’s usage from the last chunk’s x_groq.usage', async () => {
    const openai = instrumentOpenAI(sdk());
    let text = '';
    for await (const chunk of await openai.chat.completions.create({ model: MODEL, messages, stream: true })) {
      text += chunk.choices[0]?.delta.content ?? '';
    }
    expect(text).toBe('Fast and cheap.');
    const span = await onlySpan();
    expectGroqCall(span);
    expect(span.attributes['gen_ai.response.finish_reasons']).toEqual(['stop']);
    expect(span.attributes['llmtrace.stream.end']).toBe('completed');
  });

  it('reads x_groq.usage through the stream helper too', async () => {
    const openai = instrumentOpenAI(sdk());
    const final = await openai.chat.completions.stream({ model: MODEL, messages }).finalChatCompletion();
    expect(final.choices[0]!.message.content).toBe('Fast and cheap.');
    expectGroqCall(await onlySpan());
  });

  it('keeps a provider the user named, with the streamed usage', async () => {
    const openai = instrumentOpenAI(sdk(), { provider: 'my-gateway' });
    for await (const _ of await openai.chat.completions.create({ model: MODEL, messages, stream: true })) void _;
    const span = await onlySpan();
    expect(span.attributes['gen_ai.provider.name']).toBe('my-gateway');
    expect(span.attributes['gen_ai.usage.output_tokens']).toBe(GROQ_USAGE.completion_tokens);
    expect(span.attributes['llmtrace.usage.estimated']).toBeUndefined();
  });

  it('names the provider from an api.groq.com baseURL, also for a failed call whose body does not say', async () => {
    const toLoopback: typeof fetch = (input, init) =>
      fetch(String(input instanceof Request ? input.url : input).replace('https://api.groq.com/openai/v1', groq.baseURL), init);
    const openai = instrumentOpenAI(sdk('https://api.groq.com/openai/v1', { fetch: toLoopback, defaultHeaders: { 'x-fake-fault': '429' } }));
    await expect(openai.chat.completions.create({ model: MODEL, messages })).rejects.toBeInstanceOf(RateLimitError);
    const span = await onlySpan();
    expect(span.status).toBe('error');
    expect(span.attributes['server.address']).toBe('api.groq.com');
    expect(span.attributes['gen_ai.provider.name']).toBe('groq');
    expect(span.attributes['llmtrace.cost_usd']).toBe(0);
  });
});

describe('Groq through tracedFetch', () => {
  it.each([
    ['on the finish chunk', () => groq],
    ['on a chunk of its own, without a finish reason', () => separateUsage],
  ])('files an SSE answer under groq, with the usage of the last chunk’s x_groq (%s)', async (_where, server) => {
    const traced = tracedFetch();
    const response = await traced(`${server().baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, messages, stream: true }),
    });
    await response.text();
    expectGroqCall(await onlySpan());
  });
});

describe('Groq through traced(fn) around an uninstrumented client', () => {
  it.each([
    ['on the finish chunk', () => groq],
    ['in a chunk of its own, without a finish reason', () => separateUsage],
  ])('reads a stream’s x_groq.usage %s', async (_where, server) => {
    const client = sdk(server().baseURL);
    const ask = traced(async () => client.chat.completions.create({ model: MODEL, messages, stream: true }), { name: 'ask' });
    for await (const _ of await ask()) void _;
    expectGroqCall(await onlySpan());
  });
});
