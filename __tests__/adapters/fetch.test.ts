/**
 * tracedFetch: plain-fetch model calls (JSON, SSE, NDJSON) recorded as the caller reads them, W3C
 * traceparent on requests, and SDK retries recorded as span events when given as an SDK's fetch.
 */
import OpenAI, { RateLimitError } from 'openai';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { tracedFetch } from '../../adapters/fetch/index.js';
import { instrumentOpenAI } from '../../adapters/openai/index.js';
import { startOfflineModelServer, type OfflineModelServer } from '../../lib/offline-model/index.js';
import { freshStore } from '../helpers/fresh-store.js';
import { withSpan, type Span, type TraceStore } from '../../index.js';

let server: OfflineModelServer;
let store: TraceStore;

function spans(kind?: string): Span[] {
  return store.getRecent(10_000).reverse().filter((s) => kind === undefined || s.kind === kind);
}

async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 20));
}

function post(body: object, headers: Record<string, string> = {}): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

beforeAll(async () => {
  server = await startOfflineModelServer({ seed: 11, latencyMs: 5, ttftMs: 10, tokensPerSecond: 1000, retryAfterMs: 20 });
});
afterAll(() => server.close());
beforeEach(() => {
  store = freshStore();
});

describe('tracedFetch', () => {
  it('records a JSON chat completion from a plain fetch once the body is read', async () => {
    const fetch = tracedFetch(undefined, { provider: 'llama.cpp' });
    const response = await fetch(`${server.url}/v1/chat/completions`, post({ model: 'qwen-offline', messages: [{ role: 'user', content: 'hi' }], max_tokens: 32 }, { 'x-offline-output-tokens': '5' }));
    expect(spans('llm')).toHaveLength(0);
    const body = (await response.json()) as { usage: { completion_tokens: number; prompt_tokens: number } };
    await settle();
    const [span] = spans('llm');
    expect(span!.name).toBe('fetch.chat.completions');
    expect(span!.attributes['gen_ai.provider.name']).toBe('llama.cpp');
    expect(span!.attributes['gen_ai.request.model']).toBe('qwen-offline');
    expect(span!.attributes['gen_ai.request.max_tokens']).toBe(32);
    expect(span!.attributes['gen_ai.usage.output_tokens']).toBe(body.usage.completion_tokens);
    expect(span!.attributes['gen_ai.usage.input_tokens']).toBe(body.usage.prompt_tokens);
    expect(span!.attributes['http.response.status_code']).toBe(200);
    expect(span!.attributes['llmtrace.request_id']).toBe(response.headers.get('x-request-id'));
    expect(span!.attributes['llmtrace.request_id']).toMatch(/\S/);
  });

  it('follows an SSE stream as it is read, with usage from the final chunk', async () => {
    const fetch = tracedFetch();
    const response = await fetch(
      `${server.url}/v1/chat/completions`,
      post({ model: 'm', messages: [], stream: true, stream_options: { include_usage: true } }, { 'x-offline-output-tokens': '6' }),
    );
    const text = await response.text();
    expect(text).toContain('[DONE]');
    const [span] = spans('llm');
    expect(span!.attributes['llmtrace.stream.end']).toBe('completed');
    expect(span!.attributes['llmtrace.stream.chunks']).toBe(6);
    expect(span!.attributes['gen_ai.usage.output_tokens']).toBe(6);
    expect(span!.attributes['llmtrace.time_to_first_token_ms']).toBeGreaterThan(0);
  });

  it('follows a Responses API event stream, with usage from response.completed', async () => {
    const fetch = tracedFetch();
    const response = await fetch(`${server.url}/v1/responses`, post({ model: 'm', input: 'hi', stream: true }, { 'x-offline-output-tokens': '7' }));
    const text = await response.text();
    expect(text).toContain('event: response.completed');
    const [span] = spans('llm');
    expect(span!.name).toBe('fetch.responses');
    expect(span!.attributes['llmtrace.stream.end']).toBe('completed');
    expect(span!.attributes['llmtrace.stream.chunks']).toBe(7);
    expect(span!.attributes['gen_ai.usage.output_tokens']).toBe(7);
    expect(span!.attributes['llmtrace.usage.estimated']).toBeUndefined();
  });

  // openai 7 stops reading at `[DONE]` and cancels the rest of the body (openai 6 read on to the end):
  // a stream its caller read to the end must still be `completed`, with the usage of its last chunk.
  // scripts/test-versions.mjs runs this file against openai 7 too.
  it('records a stream an OpenAI client given it as fetch reads to the end as completed, with usage', async () => {
    const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'offline', fetch: tracedFetch(), maxRetries: 0 });
    const stream = await openai.chat.completions.create(
      { model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } },
      { headers: { 'x-offline-output-tokens': '5' } },
    );
    let usage: { completion_tokens: number } | null | undefined;
    for await (const chunk of stream) usage = chunk.usage ?? usage;
    const [span] = spans('llm');
    expect(span!.name).toBe('fetch.chat.completions');
    expect(span!.status).toBe('success');
    expect(span!.attributes['llmtrace.stream.end']).toBe('completed');
    expect(span!.attributes['gen_ai.usage.output_tokens']).toBe(usage!.completion_tokens);
    expect(span!.attributes['llmtrace.usage.estimated']).toBeUndefined();
  });

  it('never reads a body the caller did not read, and records a cancel as cancelled', async () => {
    const fetch = tracedFetch();
    const response = await fetch(`${server.url}/api/generate`, post({ model: 'm', prompt: 'p' }, { 'x-offline-output-tokens': '30' }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(spans('llm')).toHaveLength(0);
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    const [span] = spans('llm');
    expect(span!.attributes['gen_ai.provider.name']).toBe('ollama');
    expect(span!.attributes['gen_ai.request.stream']).toBe(true);
    expect(span!.attributes['llmtrace.stream.end']).toBe('cancelled');
  });

  it('records a non-2xx answer as an error with its HTTP facts and returns the response as is', async () => {
    const fetch = tracedFetch();
    const response = await fetch(`${server.url}/v1/embeddings`, post({ model: 'e', input: 'x' }, { 'x-offline-fault': '429' }));
    expect(response.status).toBe(429);
    const [span] = spans('embedding');
    expect(span!.status).toBe('error');
    expect(span!.attributes['http.response.status_code']).toBe(429);
    expect(span!.attributes['llmtrace.request_id']).toBe(response.headers.get('x-request-id'));
  });

  it('adds a W3C traceparent for the current span, and passes other URLs through without a span', async () => {
    let seen: IncomingHttpHeaders = {};
    const echo = createServer((req, res) => {
      seen = req.headers;
      res.end('ok');
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    const port = (echo.address() as AddressInfo).port;
    try {
      const fetch = tracedFetch();
      const traceId = await withSpan('request', { kind: 'request' }, async (span) => {
        expect(await (await fetch(`http://127.0.0.1:${port}/health`, { headers: { 'x-own': '1' } })).text()).toBe('ok');
        return span.traceId;
      });
      expect(seen['traceparent']).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
      expect(seen['x-own']).toBe('1');
      expect(spans('llm')).toHaveLength(0);
    } finally {
      echo.close();
    }
  });

  it('given as an SDK fetch, records the SDK retries as events on the SDK span', async () => {
    const openai = instrumentOpenAI(
      new OpenAI({
        baseURL: `${server.url}/v1`,
        apiKey: 'offline',
        maxRetries: 2,
        fetch: tracedFetch(),
        defaultHeaders: { 'x-offline-fault': '429', 'x-offline-fault-times': '1', 'x-offline-fault-key': 'retry-test' },
      }),
    );
    const completion = await openai.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.object).toBe('chat.completion');
    await settle();
    const [span] = spans('llm');
    expect(spans('llm')).toHaveLength(1);
    expect(span!.status).toBe('success');
    expect(span!.attributes['llmtrace.retry.count']).toBe(1);
    const retry = span!.events.find((e) => e.name === 'llmtrace.retry');
    // The offline server asks for 20 ms (`retry-after-ms: 20`, `retry-after: 1`): the precise form wins.
    expect(retry!.attributes).toEqual({ attempt: 2, 'http.response.status_code': 429, 'llmtrace.error.retry_after_s': 0.02 });
  });

  it('records the final failure after the SDK gave up retrying', async () => {
    const openai = instrumentOpenAI(
      new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'offline', maxRetries: 1, fetch: tracedFetch(), defaultHeaders: { 'x-offline-fault': '429' } }),
    );
    const caught = await openai.chat.completions.create({ model: 'm', messages: [] }).catch((error: unknown) => error);
    expect(caught).toBeInstanceOf(RateLimitError);
    await settle();
    const [span] = spans('llm');
    expect(span!.status).toBe('error');
    expect(span!.attributes['llmtrace.retry.count']).toBe(1);
    expect(span!.attributes['http.response.status_code']).toBe(429);
  });
});
