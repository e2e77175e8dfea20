/**
 * instrumentOllama with the real `ollama` SDK against the offline model server: chat, generate and
 * embed (JSON and NDJSON streaming), early break, abort(), dropped connections and HTTP errors.
 */
import { Ollama } from 'ollama';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { instrumentOllama } from '../../adapters/ollama/index.js';
import { readOllamaChunk } from '../../adapters/ollama/parse.js';
import { startOfflineModelServer, type OfflineModelServer } from '../../lib/offline-model/index.js';
import { freshStore } from '../helpers/fresh-store.js';
import { monitorLLM, traced, type Span, type TraceStore } from '../../index.js';

let server: OfflineModelServer;
let store: TraceStore;

function client(headers: Record<string, string> = {}): Ollama {
  return new Ollama({ host: server.url, headers });
}

function modelSpans(): Span[] {
  return store.getRecent(10_000).reverse().filter((s) => s.kind === 'llm' || s.kind === 'embedding');
}

async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 20));
}

beforeAll(async () => {
  server = await startOfflineModelServer({ seed: 9, latencyMs: 5, ttftMs: 20, tokensPerSecond: 500 });
});
afterAll(() => server.close());
beforeEach(() => {
  store = freshStore();
});

const messages = [{ role: 'user', content: 'Why is the sky blue?' }];

describe('instrumentOllama', () => {
  it('records chat, generate and embed with the counts the server reported', async () => {
    const ollama = instrumentOllama(client({ 'x-offline-output-tokens': '7' }));
    const chat = await ollama.chat({ model: 'llama-offline', messages, options: { temperature: 0.1, num_predict: 64 } });
    const generated = await ollama.generate({ model: 'llama-offline', prompt: 'Once upon a time' });
    const embedded = await ollama.embed({ model: 'embed-offline', input: ['one', 'two', 'three'] });
    expect(embedded.embeddings).toHaveLength(3);
    await settle();
    const [c, g, e] = modelSpans();
    expect(c!.name).toBe('ollama.chat');
    expect(c!.attributes['gen_ai.provider.name']).toBe('ollama');
    expect(c!.attributes['gen_ai.request.temperature']).toBe(0.1);
    expect(c!.attributes['gen_ai.request.max_tokens']).toBe(64);
    expect(c!.attributes['gen_ai.usage.output_tokens']).toBe(chat.eval_count);
    expect(c!.attributes['gen_ai.usage.input_tokens']).toBe(chat.prompt_eval_count);
    expect(g!.attributes['gen_ai.operation.name']).toBe('text_completion');
    expect(g!.attributes['gen_ai.usage.output_tokens']).toBe(generated.eval_count);
    expect(e!.kind).toBe('embedding');
    expect(e!.attributes['gen_ai.usage.input_tokens']).toBe(embedded.prompt_eval_count);
  });

  it('records a streamed chat: TTFT within tolerance, usage from the done chunk', async () => {
    const ollama = instrumentOllama(client({ 'x-offline-ttft-ms': '150', 'x-offline-output-tokens': '6' }));
    const stream = await ollama.chat({ model: 'llama-offline', messages, stream: true });
    expect(typeof stream.abort).toBe('function');
    let evalCount = 0;
    for await (const part of stream) if (part.done) evalCount = part.eval_count;
    const [span] = modelSpans();
    expect(span!.attributes['llmtrace.stream.end']).toBe('completed');
    expect(span!.attributes['llmtrace.stream.chunks']).toBe(6);
    expect(span!.attributes['gen_ai.usage.output_tokens']).toBe(evalCount);
    expect(span!.attributes['llmtrace.usage.estimated']).toBeUndefined();
    // Injected 150 ms before the first token; wide upper bound for a loaded shared machine.
    const ttft = span!.attributes['llmtrace.time_to_first_token_ms'] as number;
    expect(ttft).toBeGreaterThanOrEqual(120);
    expect(ttft).toBeLessThan(600);
  });

  it('records an early break as cancelled and abort() as aborted', async () => {
    const ollama = instrumentOllama(client({ 'x-offline-output-tokens': '20' }));
    let n = 0;
    for await (const _ of await ollama.generate({ model: 'm', prompt: 'p', stream: true })) if (++n === 3) break;
    const aborted = await ollama.generate({ model: 'm', prompt: 'p', stream: true });
    let m = 0;
    const caught = await (async () => {
      for await (const _ of aborted) if (++m === 2) aborted.abort();
    })().catch((error: unknown) => error);
    expect((caught as Error).name).toBe('AbortError');
    await settle();
    const [broken, abortedSpan] = modelSpans();
    expect(broken!.attributes['llmtrace.stream.end']).toBe('cancelled');
    expect(broken!.attributes['llmtrace.stream.chunks']).toBe(3);
    expect(abortedSpan!.attributes['llmtrace.stream.end']).toBe('aborted');
    expect(abortedSpan!.status).toBe('error');
  });

  it('records a dropped connection mid-stream and HTTP errors, rethrowing the SDK errors', async () => {
    const dropping = instrumentOllama(client({ 'x-offline-fault': 'drop', 'x-offline-output-tokens': '10' }));
    const stream = await dropping.chat({ model: 'm', messages, stream: true });
    const dropped = await (async () => {
      for await (const _ of stream) void _;
    })().catch((error: unknown) => error);
    expect(dropped).toBeDefined();
    const limited = instrumentOllama(client({ 'x-offline-fault': '429' }));
    const p = limited.chat({ model: 'm', messages });
    const rateLimit = await p.catch((error: unknown) => error);
    expect(await p.catch((error: unknown) => error)).toBe(rateLimit);
    expect((rateLimit as { status_code: number }).status_code).toBe(429);
    await settle();
    const [drop, limit] = modelSpans();
    expect(drop!.attributes['llmtrace.stream.end']).toBe('error');
    expect(drop!.attributes['llmtrace.stream.chunks']).toBe(5);
    expect(limit!.status).toBe('error');
    expect(limit!.error!.type).toBe('ResponseError');
    expect(limit!.attributes['http.response.status_code']).toBe(429);
  });
});

describe('an Ollama stream under traced and @monitorLLM', () => {
  class Assistant {
    constructor(readonly ollama: Ollama) {}

    @monitorLLM()
    async ask(content: string) {
      return this.ollama.chat({ model: 'llama-offline', messages: [{ role: 'user', content }], stream: true });
    }
  }

  it('counts only the chunks with content (not the empty done chunk), as instrumentOllama does', async () => {
    const ollama = client({ 'x-offline-output-tokens': '6' });
    const chat = traced((content: string) => ollama.chat({ model: 'llama-offline', messages: [{ role: 'user', content }], stream: true }), { name: 'chat' });
    const generate = traced((prompt: string) => ollama.generate({ model: 'llama-offline', prompt, stream: true }), { name: 'generate' });
    const streams = [await chat('Hi'), await generate('Hi'), await new Assistant(ollama).ask('Hi'), await instrumentOllama(ollama).chat({ model: 'llama-offline', messages, stream: true })];
    for (const stream of streams) for await (const part of stream) void part;
    await settle();
    const spans = modelSpans();
    expect(spans.map((s) => s.attributes['llmtrace.stream.chunks'])).toEqual([6, 6, 6, 6]);
    for (const span of spans) {
      expect(span.attributes['gen_ai.provider.name']).toBe('ollama');
      expect(span.attributes['gen_ai.usage.output_tokens']).toBe(6);
      expect(span.attributes['llmtrace.usage.estimated']).toBeUndefined();
    }
  });
});

describe('the Ollama adapter reading stream items', () => {
  it('counts as chunks only the items with text, thinking or tool calls, as traced(fn) does', () => {
    const item = (message: Record<string, unknown>, done = false) => ({ model: 'llama-offline', created_at: '2026-12-08T00:00:00Z', message: { role: 'assistant', ...message }, done });
    expect(readOllamaChunk(item({ content: 'Hi' })).content).toBe(true);
    expect(readOllamaChunk(item({ content: '', thinking: 'hmm' })).content).toBe(true);
    expect(readOllamaChunk(item({ content: '', tool_calls: [{ function: { name: 'f', arguments: {} } }] })).content).toBe(true);
    expect(readOllamaChunk(item({ content: '' })).content).toBe(false); // an empty item is no chunk
    const last = readOllamaChunk({ ...item({ content: '' }, true), done_reason: 'stop', prompt_eval_count: 7, eval_count: 5 });
    expect(last.content).toBe(false);
    expect(last.result).toMatchObject({ inputTokens: 7, outputTokens: 5 });
  });
});
