/**
 * instrumentAnthropic with the real `@anthropic-ai/sdk` against the offline model server:
 * messages.create (JSON and stream: true), messages.stream() consumed by events, finalMessage(),
 * for await and toReadableStream, abort, dropped connections and HTTP errors.
 */
import Anthropic, { APIError, RateLimitError, InternalServerError } from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { instrumentAnthropic } from '../../adapters/anthropic/index.js';
import { startOfflineModelServer, type OfflineModelServer } from '../../lib/offline-model/index.js';
import { freshStore } from '../helpers/fresh-store.js';
import type { Span, TraceStore } from '../../index.js';

let server: OfflineModelServer;
let store: TraceStore;

function client(headers: Record<string, string> = {}): Anthropic {
  return new Anthropic({ baseURL: server.url, apiKey: 'offline', maxRetries: 0, defaultHeaders: headers });
}

function llmSpans(): Span[] {
  return store.getRecent(10_000).reverse().filter((s) => s.kind === 'llm');
}

async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 20));
}

beforeAll(async () => {
  server = await startOfflineModelServer({ seed: 5, latencyMs: 5, ttftMs: 20, tokensPerSecond: 500 });
});
afterAll(() => server.close());
beforeEach(() => {
  store = freshStore();
});

const params = { model: 'claude-offline', max_tokens: 100, messages: [{ role: 'user' as const, content: 'Hello, Claude' }] };

describe('instrumentAnthropic', () => {
  it('records messages.create with usage and stop reason; withResponse() still works', async () => {
    const anthropic = instrumentAnthropic(client({ 'x-offline-output-tokens': '8' }));
    const { data: message, response } = await anthropic.messages.create(params).withResponse();
    expect(response.status).toBe(200);
    await settle();
    const [span] = llmSpans();
    expect(span!.name).toBe('anthropic.messages.create');
    expect(span!.attributes['gen_ai.provider.name']).toBe('anthropic');
    expect(span!.attributes['gen_ai.request.model']).toBe('claude-offline');
    expect(span!.attributes['gen_ai.request.max_tokens']).toBe(100);
    expect(span!.attributes['gen_ai.usage.input_tokens']).toBe(message.usage.input_tokens);
    expect(span!.attributes['gen_ai.usage.output_tokens']).toBe(8);
    expect(span!.attributes['gen_ai.response.finish_reasons']).toEqual(['end_turn']);
    expect(span!.attributes['gen_ai.response.id']).toBe(message.id);
    expect(span!.attributes['llmtrace.request_id']).toBe(response.headers.get('request-id'));
    expect(span!.attributes['llmtrace.request_id']).toMatch(/\S/);
  });

  it('records messages.create with stream: true read with for await, TTFT within tolerance', async () => {
    const anthropic = instrumentAnthropic(client({ 'x-offline-ttft-ms': '150', 'x-offline-output-tokens': '6' }));
    const stream = await anthropic.messages.create({ ...params, stream: true });
    let input = 0;
    let output = 0;
    for await (const event of stream) {
      if (event.type === 'message_start') input = event.message.usage.input_tokens;
      if (event.type === 'message_delta') output = event.usage.output_tokens;
    }
    const [span] = llmSpans();
    expect(span!.attributes['llmtrace.stream.end']).toBe('completed');
    expect(span!.attributes['llmtrace.stream.chunks']).toBe(6);
    expect(span!.attributes['gen_ai.usage.input_tokens']).toBe(input);
    expect(span!.attributes['gen_ai.usage.output_tokens']).toBe(output);
    expect(span!.attributes['llmtrace.usage.estimated']).toBeUndefined();
    // message_start arrives at once; the first text delta after the injected 150 ms. Wide upper
    // bound: the machine is shared with other test runs.
    const ttft = span!.attributes['llmtrace.time_to_first_token_ms'] as number;
    expect(ttft).toBeGreaterThanOrEqual(120);
    expect(ttft).toBeLessThan(600);
  });

  it('records messages.stream() consumed through events and finalMessage()', async () => {
    const anthropic = instrumentAnthropic(client({ 'x-offline-output-tokens': '5' }));
    const stream = anthropic.messages.stream(params);
    let text = '';
    stream.on('text', (delta) => (text += delta));
    const final = await stream.finalMessage();
    await settle();
    const [span] = llmSpans();
    expect(text.length).toBeGreaterThan(0);
    expect(span!.name).toBe('anthropic.messages.stream');
    expect(span!.attributes['gen_ai.request.stream']).toBe(true);
    expect(span!.attributes['llmtrace.stream.end']).toBe('completed');
    expect(span!.attributes['gen_ai.usage.output_tokens']).toBe(final.usage.output_tokens);
    expect(span!.attributes['gen_ai.usage.input_tokens']).toBe(final.usage.input_tokens);
  });

  it('ends a messages.stream() read with for await and one read through toReadableStream()', async () => {
    const anthropic = instrumentAnthropic(client({ 'x-offline-output-tokens': '4' }));
    let events = 0;
    for await (const _ of anthropic.messages.stream(params)) events++;
    const text = await new Response(anthropic.messages.stream(params).toReadableStream()).text();
    await settle();
    expect(events).toBeGreaterThan(4);
    expect(text.length).toBeGreaterThan(0);
    const spans = llmSpans();
    expect(spans).toHaveLength(2);
    expect(spans.map((s) => s.attributes['llmtrace.stream.end'])).toEqual(['completed', 'completed']);
    expect(spans.map((s) => s.attributes['llmtrace.stream.chunks'])).toEqual([4, 4]);
  });

  it('records abort() on a MessageStream as aborted', async () => {
    const anthropic = instrumentAnthropic(client({ 'x-offline-output-tokens': '20' }));
    const stream = anthropic.messages.stream(params);
    let deltas = 0;
    stream.on('text', () => {
      if (++deltas === 2) stream.abort();
    });
    await expect(stream.done()).rejects.toThrow();
    await settle();
    const [span] = llmSpans();
    expect(span!.status).toBe('error');
    expect(span!.attributes['llmtrace.stream.end']).toBe('aborted');
    expect(span!.attributes['llmtrace.stream.chunks']).toBe(2);
  });

  it('keeps tracing on clients made with withOptions()', async () => {
    const anthropic = instrumentAnthropic(client());
    const clone = anthropic.withOptions({ timeout: 5_000 });
    expect(clone).toBeInstanceOf(Anthropic);
    const message = await clone.messages.create(params);
    await settle();
    const [span] = llmSpans();
    expect(span).toBeDefined();
    expect(span!.name).toBe('anthropic.messages.create');
    expect(span!.attributes['gen_ai.usage.output_tokens']).toBe(message.usage.output_tokens);
  });

  it('records an early break from a stream: true stream as cancelled', async () => {
    const anthropic = instrumentAnthropic(client({ 'x-offline-output-tokens': '20' }));
    const stream = await anthropic.messages.create({ ...params, stream: true });
    let deltas = 0;
    for await (const event of stream) {
      if (event.type === 'content_block_delta' && ++deltas === 3) break;
    }
    const [span] = llmSpans();
    expect(span!.attributes['llmtrace.stream.end']).toBe('cancelled');
    expect(span!.attributes['llmtrace.stream.chunks']).toBe(3);
  });

  it('counts the output of a stream cancelled before message_delta from its deltas, not from message_start', async () => {
    // message_start carries output_tokens: 1 as a placeholder (the real API does too); the count
    // comes with message_delta, so a stream left before it has only its deltas to go by.
    const anthropic = instrumentAnthropic(client({ 'x-offline-output-tokens': '20' }));
    const stream = await anthropic.messages.create({ ...params, stream: true });
    let deltas = 0;
    for await (const event of stream) {
      if (event.type === 'content_block_delta' && ++deltas === 5) break;
    }
    const [span] = llmSpans();
    expect(span!.attributes['llmtrace.stream.end']).toBe('cancelled');
    expect(span!.attributes['gen_ai.usage.output_tokens']).toBe(5);
    expect(span!.attributes['llmtrace.usage.estimated']).toBe(true);
    expect(span!.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0); // still from message_start
  });

  it('records an early break from a messages.stream() read with for await as cancelled', async () => {
    const anthropic = instrumentAnthropic(client({ 'x-offline-output-tokens': '20', 'x-offline-tokens-per-second': '100' }));
    let deltas = 0;
    for await (const event of anthropic.messages.stream(params)) {
      if (event.type === 'content_block_delta' && ++deltas === 2) break;
    }
    await settle();
    const spans = llmSpans();
    expect(spans).toHaveLength(1);
    expect(spans[0]!.status).toBe('success');
    expect(spans[0]!.attributes['llmtrace.stream.end']).toBe('cancelled');
    expect(spans[0]!.attributes['llmtrace.stream.chunks']).toBeGreaterThanOrEqual(2);
  });

  it('records a dropped connection mid-stream as a stream error', async () => {
    const anthropic = instrumentAnthropic(client({ 'x-offline-fault': 'drop', 'x-offline-output-tokens': '10' }));
    const stream = anthropic.messages.stream(params);
    const caught = await stream.finalMessage().catch((error: unknown) => error);
    expect(caught).toBeDefined();
    await settle();
    const [span] = llmSpans();
    expect(span!.status).toBe('error');
    expect(span!.attributes['llmtrace.stream.end']).toBe('error');
    expect(span!.attributes['llmtrace.stream.chunks']).toBe(5);
  });

  it('records 429 and 500 with HTTP facts; the SDK errors reach the caller unchanged', async () => {
    const limited = instrumentAnthropic(client({ 'x-offline-fault': '429' }));
    const p = limited.messages.create(params);
    const rateLimit = await p.catch((error: unknown) => error);
    expect(rateLimit).toBeInstanceOf(RateLimitError);
    expect(await p.catch((error: unknown) => error)).toBe(rateLimit);
    const failing = instrumentAnthropic(client({ 'x-offline-fault': '500' }));
    const serverError = await failing.messages.create(params).catch((error: unknown) => error);
    expect(serverError).toBeInstanceOf(InternalServerError);
    expect(serverError).toBeInstanceOf(APIError);
    await settle();
    const [first, second] = llmSpans();
    expect(first!.attributes['http.response.status_code']).toBe(429);
    expect(first!.attributes['llmtrace.error.retry_after_s']).toBe(1);
    expect(first!.attributes['llmtrace.request_id']).toBe((rateLimit as RateLimitError).requestID);
    expect(first!.error!.type).toBe('RateLimitError');
    expect(second!.attributes['http.response.status_code']).toBe(500);
  });
});
