/**
 * llmtrace/ai-sdk with the real `ai` 6 and `@ai-sdk/openai` packages against OpenAI-compatible
 * servers on 127.0.0.1 (the offline model server, and a small tool-calling server): the span tree of
 * generateText/streamText/generateObject/embed, tokens equal to the AI SDK's own reported usage, a
 * retried call (429 then 200) as one span, and tokens not double counted with the AI SDK's telemetry.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as ai from 'ai';
import { createOpenAI } from '@ai-sdk/openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { llmtraceMiddleware, llmtraceTelemetry, traceAISdk, USAGE_COUNTED_BY } from '../../adapters/ai-sdk/index.js';
import { exportAttributes } from '../../adapters/otel/conventions.js';
import { startOfflineModelServer, type OfflineModelServer } from '../../lib/offline-model/index.js';
import { GenAI, LLMTrace, startTracing, type Span, type TraceStore } from '../../index.js';
import { openSource, readSpans } from '../../lib/query/index.js';
import { freshStore } from '../helpers/fresh-store.js';
import { removeTempDirs, tempDir } from '../helpers/temp-dir.js';

let server: OfflineModelServer;
let toolServer: Server;
let toolUrl: string;
let store: TraceStore;

function provider(baseURL: string, headers: Record<string, string> = {}) {
  return createOpenAI({ baseURL, apiKey: 'sk-offline-test-0123456789', headers, fetch: (input, init) => fetch(input, init) });
}

function spans(kind?: string): Span[] {
  return store.getRecent(10_000).reverse().filter((s) => kind === undefined || s.kind === kind);
}

async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 20));
}

/** A chat completions server that asks for the `weather` tool once, then answers. */
function startToolServer(): Promise<void> {
  toolServer = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      const body = JSON.parse(raw) as { model: string; messages: { role: string }[]; response_format?: unknown };
      const toolDone = body.messages.some((m) => m.role === 'tool') || body.response_format !== undefined;
      const message = body.response_format !== undefined
        ? { role: 'assistant', content: '{"city":"Paris","sky":"sunny"}' }
        : toolDone
        ? { role: 'assistant', content: 'It is sunny in Paris.' }
        : { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }] };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({
        id: toolDone ? 'chatcmpl-2' : 'chatcmpl-1',
        object: 'chat.completion',
        created: 1,
        model: `${body.model}-2025`,
        choices: [{ index: 0, message, finish_reason: toolDone ? 'stop' : 'tool_calls' }],
        usage: toolDone ? { prompt_tokens: 30, completion_tokens: 7, total_tokens: 37 } : { prompt_tokens: 20, completion_tokens: 5, total_tokens: 25 },
      }));
    });
  });
  return new Promise((resolve) => toolServer.listen(0, '127.0.0.1', () => {
    toolUrl = `http://127.0.0.1:${(toolServer.address() as AddressInfo).port}/v1`;
    resolve();
  }));
}

beforeAll(async () => {
  server = await startOfflineModelServer({ seed: 3, latencyMs: 5, ttftMs: 15, tokensPerSecond: 500, retryAfterMs: 10 });
  await startToolServer();
});
afterAll(async () => {
  await server.close();
  await new Promise((resolve) => toolServer.close(resolve));
  removeTempDirs();
});
beforeEach(() => {
  store = freshStore();
});

describe('llmtraceMiddleware with wrapLanguageModel', () => {
  it('records one llm span for generateText with the tokens the AI SDK reports, the answering model and finish reason', async () => {
    const model = ai.wrapLanguageModel({ model: provider(`${server.url}/v1`).chat('gpt-4o-mini'), middleware: llmtraceMiddleware() });
    const result = await ai.generateText({ model, prompt: 'Say something about tracing', maxOutputTokens: 64, temperature: 0.3 });
    await settle();
    const llm = spans('llm');
    expect(llm).toHaveLength(1);
    const a = llm[0]!.attributes;
    expect(llm[0]!.name).toBe('ai.doGenerate');
    expect(a[GenAI.PROVIDER_NAME]).toBe('openai');
    expect(a[GenAI.REQUEST_MODEL]).toBe('gpt-4o-mini');
    expect(a[GenAI.REQUEST_MAX_TOKENS]).toBe(64);
    expect(a[GenAI.REQUEST_TEMPERATURE]).toBe(0.3);
    expect(a[GenAI.USAGE_INPUT_TOKENS]).toBe(result.usage.inputTokens);
    expect(a[GenAI.USAGE_OUTPUT_TOKENS]).toBe(result.usage.outputTokens);
    expect(a[GenAI.RESPONSE_MODEL]).toBe(result.response.modelId);
    expect(a[GenAI.RESPONSE_FINISH_REASONS]).toEqual([result.finishReason]);
    expect(typeof a[LLMTrace.COST_USD]).toBe('number');
  });

  it('records a streamText call with time to first token and the usage of the finish part', async () => {
    const model = ai.wrapLanguageModel({ model: provider(`${server.url}/v1`).chat('gpt-4o-mini'), middleware: llmtraceMiddleware() });
    const result = ai.streamText({ model, prompt: 'Stream please' });
    let text = '';
    for await (const delta of result.textStream) text += delta;
    const usage = await result.usage;
    await settle();
    expect(text.length).toBeGreaterThan(0);
    const [span] = spans('llm');
    const a = span!.attributes;
    expect(span!.name).toBe('ai.doStream');
    expect(a[GenAI.REQUEST_STREAM]).toBe(true);
    expect(a[LLMTrace.STREAM_END]).toBe('completed');
    expect(a[LLMTrace.TIME_TO_FIRST_TOKEN_MS]).toBeGreaterThan(0);
    expect(a[LLMTrace.STREAM_CHUNKS]).toBeGreaterThan(0);
    expect(a[GenAI.USAGE_INPUT_TOKENS]).toBe(usage.inputTokens);
    expect(a[GenAI.USAGE_OUTPUT_TOKENS]).toBe(usage.outputTokens);
    expect(a[LLMTrace.USAGE_ESTIMATED]).toBeUndefined();
  });

  it('records a streamText the caller aborts as an aborted stream', async () => {
    const model = ai.wrapLanguageModel({ model: provider(`${server.url}/v1`, { 'x-offline-output-tokens': '300' }).chat('gpt-4o-mini'), middleware: llmtraceMiddleware() });
    const controller = new AbortController();
    const result = ai.streamText({ model, prompt: 'A long story', abortSignal: controller.signal, onError: () => undefined });
    let deltas = 0;
    try {
      for await (const _delta of result.textStream) if (++deltas === 3) controller.abort();
    } catch {
      // the AI SDK may end the text stream with the abort error
    }
    await settle();
    const [span] = spans('llm');
    expect(span!.attributes[LLMTrace.STREAM_END]).toBe('aborted');
    expect(span!.attributes[LLMTrace.STREAM_CHUNKS]).toBeGreaterThanOrEqual(3);
  });

  it('makes an AI SDK retry (429 then 200) one span with a retry event, not two roots one of which failed', async () => {
    const headers = { 'x-offline-fault': '429', 'x-offline-fault-times': '1', 'x-offline-fault-key': 'retry-test' };
    const model = ai.wrapLanguageModel({ model: provider(`${server.url}/v1`, headers).chat('gpt-4o-mini'), middleware: llmtraceMiddleware() });
    const result = await ai.generateText({ model, prompt: 'Retry me', maxRetries: 2 });
    await settle();
    const all = spans();
    expect(all.filter((s) => s.status === 'error')).toHaveLength(0);
    const llm = spans('llm');
    expect(llm).toHaveLength(1);
    expect(llm[0]!.attributes[LLMTrace.RETRY_COUNT]).toBe(1);
    const retry = llm[0]!.events.filter((e) => e.name === 'llmtrace.retry');
    expect(retry).toHaveLength(1);
    expect(retry[0]!.attributes[GenAI.HTTP_STATUS_CODE]).toBe(429);
    expect(llm[0]!.attributes[GenAI.USAGE_OUTPUT_TOKENS]).toBe(result.usage.outputTokens);
  });

  it('ends the span with the error when the AI SDK does not retry (maxRetries: 0)', async () => {
    const headers = { 'x-offline-fault': '500', 'x-offline-fault-times': '1', 'x-offline-fault-key': 'no-retry' };
    const model = ai.wrapLanguageModel({ model: provider(`${server.url}/v1`, headers).chat('gpt-4o-mini'), middleware: llmtraceMiddleware({ retryGraceMs: 0 }) });
    await expect(ai.generateText({ model, prompt: 'Fail me', maxRetries: 0 })).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const [span] = spans('llm');
    expect(span!.status).toBe('error');
    expect(span!.attributes[GenAI.HTTP_STATUS_CODE]).toBe(500);
  });

  it('stores a failed attempt still awaiting its retry when tracing shuts down, ended as of the failure', async () => {
    const dir = tempDir();
    const listeners = () => ['SIGTERM', 'SIGINT', 'beforeExit', 'exit'].map((event) => process.listenerCount(event));
    const before = listeners();
    const tracing = await startTracing({ fileStore: { dir }, aggregation: false, logger: { format: 'hidden' } });
    try {
      const headers = { 'x-offline-fault': '500', 'x-offline-fault-times': '1', 'x-offline-fault-key': 'shutdown-held' };
      const model = ai.wrapLanguageModel({ model: provider(`${server.url}/v1`, headers).chat('gpt-4o-mini'), middleware: llmtraceMiddleware() });
      const started = Date.now();
      await expect(ai.generateText({ model, prompt: 'Fail me, then shut down', maxRetries: 0 })).rejects.toThrow();
      const failedAfter = Date.now() - started;
      await tracing.shutdown(); // long before the AI SDK's retry wait (2 s) and the grace (5 s) are over
      const stored = [];
      for await (const span of readSpans([await openSource(dir)])) stored.push(span);
      const llm = stored.filter((span) => span.kind === 'llm');
      expect(llm).toHaveLength(1);
      expect(llm[0]!.status).toBe('error');
      expect(llm[0]!.attributes[GenAI.HTTP_STATUS_CODE]).toBe(500);
      expect(llm[0]!.duration).toBeLessThanOrEqual(failedAfter + 50);
      // Nothing of llmtrace's listens for signals or exit once tracing is down and no call is held.
      expect(listeners()).toEqual(before);
    } finally {
      await tracing.shutdown();
      freshStore();
    }
  });

  it('rejects a bad option at setup, naming it', () => {
    expect(() => llmtraceMiddleware({ retryGraceMs: -1 })).toThrow(/retryGraceMs/);
    expect(() => llmtraceMiddleware({ aiSdkTelemetry: 'yes' as unknown as boolean })).toThrow(/aiSdkTelemetry/);
    expect(() => llmtraceMiddleware({ retryGrace: 5 } as never)).toThrow(/unknown option "retryGrace", did you mean "retryGraceMs"/);
    expect(() => traceAISdk(ai, { contxt: 'x' } as never)).toThrow(/unknown option "contxt"/);
    expect(() => traceAISdk({} as never)).toThrow(/traceAISdk needs the 'ai' module/);
  });
});

describe('traceAISdk', () => {
  it('gives a chain span per generateText with its functionId, an llm span per step and a tool span per tool call', async () => {
    const { generateText } = traceAISdk(ai);
    const weather = ai.tool({
      description: 'Weather of a city',
      inputSchema: z.object({ city: z.string() }),
      execute: async ({ city }: { city: string }) => ({ city, sky: 'sunny' }),
    });
    const result = await generateText({
      model: provider(toolUrl).chat('gpt-4o-mini'),
      prompt: 'Weather in Paris?',
      tools: { weather },
      stopWhen: ai.stepCountIs(3),
      experimental_telemetry: { functionId: 'weather-agent', metadata: { user: 'u-1' } },
    });
    await settle();
    expect(result.text).toBe('It is sunny in Paris.');
    const root = spans('chain');
    expect(root).toHaveLength(1);
    expect(root[0]!.name).toBe('ai.generateText');
    expect(root[0]!.attributes['llmtrace.ai_sdk.function_id']).toBe('weather-agent');
    expect(root[0]!.attributes['llmtrace.ai_sdk.metadata.user']).toBe('u-1');
    expect(root[0]!.attributes[GenAI.USAGE_INPUT_TOKENS]).toBeUndefined();
    const llm = spans('llm');
    expect(llm.map((s) => s.parentId)).toEqual([root[0]!.id, root[0]!.id]);
    expect(llm.map((s) => s.attributes[GenAI.RESPONSE_FINISH_REASONS])).toEqual([['tool-calls'], ['stop']]);
    expect(llm.map((s) => s.attributes[GenAI.RESPONSE_MODEL])).toEqual(['gpt-4o-mini-2025', 'gpt-4o-mini-2025']);
    const tools = spans('tool');
    expect(tools).toHaveLength(1);
    expect(tools[0]!.name).toBe('weather');
    expect(tools[0]!.parentId).toBe(root[0]!.id);
    expect(tools[0]!.attributes['gen_ai.tool.call.id']).toBe('call_1');
    const input = llm.reduce((n, s) => n + (s.attributes[GenAI.USAGE_INPUT_TOKENS] as number), 0);
    const output = llm.reduce((n, s) => n + (s.attributes[GenAI.USAGE_OUTPUT_TOKENS] as number), 0);
    expect(input).toBe(result.totalUsage.inputTokens);
    expect(output).toBe(result.totalUsage.outputTokens);
    expect(result.steps).toHaveLength(2);
  });

  it('ends a failed attempt no retry followed when the call fails, not after the retry wait: the error span is there as the caller gets the error, counted once', async () => {
    const { generateText } = traceAISdk(ai);
    const headers = { 'x-offline-fault': '500', 'x-offline-fault-times': '1', 'x-offline-fault-key': 'chain-no-retry' };
    await expect(generateText({ model: provider(`${server.url}/v1`, headers).chat('gpt-4o-mini'), prompt: 'Fail me', maxRetries: 0 })).rejects.toThrow();
    await settle(); // 20 ms: the AI SDK's retry wait (2 s) and the grace (5 s) are far off
    const [root] = spans('chain');
    const llm = spans('llm');
    expect(root!.status).toBe('error');
    expect(llm.map((s) => [s.status, s.parentId, s.attributes[GenAI.HTTP_STATUS_CODE]])).toEqual([['error', root!.id, 500]]);
    // One failure: the model call's; the generateText span passed it on (llmtrace errors counts 1).
    expect(root!.attributes[LLMTrace.ERROR_IN_CHILDREN]).toBe(true);
    expect(llm[0]!.attributes[LLMTrace.ERROR_IN_CHILDREN]).toBeUndefined();
  });

  it('reads functionId and metadata from ai 7\'s telemetry settings too', async () => {
    const { generateText } = traceAISdk(ai);
    // ai 7 names the settings `telemetry` (ai 5/6 `experimental_telemetry`); the call works either way.
    const options = { model: provider(`${server.url}/v1`).chat('gpt-4o-mini'), prompt: 'Hi', telemetry: { functionId: 'greeter', metadata: { tenant: 't-9' } } };
    await generateText(options as Parameters<typeof generateText>[0]);
    await settle();
    const [root] = spans('chain');
    expect(root!.attributes).toMatchObject({ 'llmtrace.ai_sdk.function_id': 'greeter', 'llmtrace.ai_sdk.metadata.tenant': 't-9' });
    expect(spans('llm')[0]!.attributes['llmtrace.usage.counted_by']).toBeUndefined(); // no AI SDK telemetry integration given
  });

  it('traces streamText (span ends when the stream is read), embed and generateObject', async () => {
    const { streamText, generateObject, embed } = traceAISdk(ai);
    const openai = provider(`${server.url}/v1`);
    const streamed = streamText({ model: openai.chat('gpt-4o-mini'), prompt: 'Hi' });
    await streamed.consumeStream();
    await streamed.finishReason;
    await embed({ model: openai.embedding('text-embedding-3-small'), value: 'hello' }).then((r) => expect(r.embedding.length).toBeGreaterThan(0));
    const many = await traceAISdk(ai).embedMany({ model: openai.embedding('text-embedding-3-small'), values: ['a', 'b'] });
    await settle();
    const chains = spans('chain');
    expect(chains.map((s) => s.name)).toEqual(['ai.streamText']);
    expect(chains[0]!.status).toBe('success');
    expect(chains[0]!.attributes[GenAI.RESPONSE_FINISH_REASONS]).toEqual([await streamed.finishReason]);
    const [stream] = spans('llm');
    expect(stream!.parentId).toBe(chains[0]!.id);
    expect(stream!.attributes[LLMTrace.STREAM_END]).toBe('completed');
    const [embedding] = spans('embedding');
    expect(embedding!.name).toBe('ai.embed');
    expect(embedding!.attributes[GenAI.REQUEST_MODEL]).toBe('text-embedding-3-small');
    expect(embedding!.attributes[GenAI.USAGE_INPUT_TOKENS]).toBeGreaterThan(0);
    const batch = spans('embedding').find((s) => s.name === 'ai.embedMany');
    expect(batch!.attributes[GenAI.USAGE_INPUT_TOKENS]).toBe(many.usage.tokens);
    const object = await generateObject({ model: provider(toolUrl).chat('gpt-4o-mini'), prompt: 'Weather?', schema: z.object({ city: z.string(), sky: z.string() }) });
    expect(object.object).toEqual({ city: 'Paris', sky: 'sunny' });
    await settle();
    const objectChain = spans('chain').find((s) => s.name === 'ai.generateObject');
    const objectLlm = spans('llm').find((s) => s.parentId === objectChain!.id);
    expect(objectLlm!.attributes[GenAI.USAGE_INPUT_TOKENS]).toBe(object.usage.inputTokens);
    expect(objectLlm!.attributes[GenAI.USAGE_OUTPUT_TOKENS]).toBe(object.usage.outputTokens);
  });

  it("with the AI SDK's telemetry on, marks llmtrace's span and exports its tokens once (on the AI SDK's side)", async () => {
    const { generateText } = traceAISdk(ai);
    await generateText({ model: provider(`${server.url}/v1`).chat('gpt-4o-mini'), prompt: 'Hi', experimental_telemetry: { isEnabled: true } });
    await settle();
    const [span] = spans('llm');
    expect(span!.attributes[USAGE_COUNTED_BY]).toBe('ai-sdk');
    expect(span!.attributes[GenAI.USAGE_INPUT_TOKENS]).toBeGreaterThan(0);
    const exported = exportAttributes(span!);
    expect(exported[GenAI.USAGE_INPUT_TOKENS]).toBeUndefined();
    expect(exported[GenAI.USAGE_OUTPUT_TOKENS]).toBeUndefined();
    expect(exported[USAGE_COUNTED_BY]).toBe('ai-sdk');
  });
});

/** ai 7's telemetry integrations (`registerTelemetry`); this repository's devDependency is ai 6, so these run in `npm run test:versions` (ai 7). */
const telemetryApi = typeof (ai as Record<string, unknown>).registerTelemetry === 'function';

describe('the AI SDK version under test', () => {
  it('has telemetry integrations when the version run installed ai 7', () => {
    const overridden = (process.env.LLMTRACE_TEST_OVERRIDE_PACKAGES ?? '').split(',').includes('ai');
    expect(telemetryApi).toBe(overridden); // the devDependency (ai 6) has none: if it moves to ai 7, run these always
  });
});

(telemetryApi ? describe : describe.skip)('llmtraceTelemetry (ai 7 telemetry integration)', () => {
  it('records the operation, each model call with the provider\'s usage, and each tool execution, nested', async () => {
    const weather = ai.tool({
      description: 'Weather of a city',
      inputSchema: z.object({ city: z.string() }),
      execute: async ({ city }: { city: string }) => ({ city, sky: 'sunny' }),
    });
    const options = {
      model: provider(toolUrl).chat('gpt-4o-mini'),
      prompt: 'Weather in Paris?',
      tools: { weather },
      stopWhen: ai.stepCountIs(3),
      telemetry: { functionId: 'weather-agent', integrations: [llmtraceTelemetry()] },
    };
    const result = await ai.generateText(options as Parameters<typeof ai.generateText>[0]);
    await settle();
    expect(result.text).toBe('It is sunny in Paris.');
    const [operation] = spans('chain');
    expect(operation!.name).toMatch(/^ai\./);
    expect(operation!.attributes['llmtrace.ai_sdk.function_id']).toBe('weather-agent');
    const llm = spans('llm');
    expect(llm.map((s) => s.parentId)).toEqual([operation!.id, operation!.id]);
    expect(llm.map((s) => [s.attributes[GenAI.USAGE_INPUT_TOKENS], s.attributes[GenAI.USAGE_OUTPUT_TOKENS]])).toEqual([[20, 5], [30, 7]]);
    expect(llm.map((s) => s.attributes[GenAI.RESPONSE_MODEL])).toEqual(['gpt-4o-mini-2025', 'gpt-4o-mini-2025']);
    // Priced like any call: null here, as the test server's model name is not in the price table.
    expect(llm.map((s) => [s.attributes[GenAI.PROVIDER_NAME], s.attributes[LLMTrace.COST_USD]])).toEqual([['openai', null], ['openai', null]]);
    const [tool] = spans('tool');
    expect(tool!.attributes).toMatchObject({ 'gen_ai.tool.name': 'weather', 'gen_ai.tool.call.id': 'call_1' });
    expect(tool!.parentId).toBe(operation!.id);
    expect(operation!.status).toBe('success');
  });

  it("records a streamed model call's time to first output and an embedding span per doEmbed", async () => {
    const telemetry = llmtraceTelemetry();
    const openai = provider(`${server.url}/v1`);
    const streamed = ai.streamText({ model: openai.chat('gpt-4o-mini'), prompt: 'Count to five', telemetry: { integrations: [telemetry] } } as Parameters<typeof ai.streamText>[0]);
    let text = '';
    for await (const delta of streamed.textStream) text += delta;
    const embedded = await ai.embed({ model: openai.embedding('text-embedding-3-small'), value: 'hello', dimensions: 8, telemetry: { integrations: [telemetry] } } as Parameters<typeof ai.embed>[0]);
    const many = await ai.embedMany({ model: openai.embedding('text-embedding-3-small'), values: ['a', 'b', 'c'], telemetry: { integrations: [telemetry] } } as Parameters<typeof ai.embedMany>[0]);
    await settle();
    expect(text.length).toBeGreaterThan(0);
    const [llm] = spans('llm');
    const ttftMs = llm!.attributes[LLMTrace.TIME_TO_FIRST_TOKEN_MS] as number;
    expect(ttftMs).toBeGreaterThan(0);
    expect(ttftMs).toBeLessThanOrEqual(llm!.duration);
    expect(llm!.attributes[GenAI.RESPONSE_TIME_TO_FIRST_CHUNK]).toBeCloseTo(ttftMs / 1000, 9);
    expect(llm!.attributes[GenAI.REQUEST_STREAM]).toBe(true);
    const operations = spans('chain');
    const embeddings = spans('embedding');
    expect(embeddings).toHaveLength(2);
    expect(embeddings.map((s) => s.attributes[GenAI.USAGE_INPUT_TOKENS])).toEqual([embedded.usage.tokens, many.usage.tokens]);
    expect(embeddings.map((s) => s.attributes[GenAI.REQUEST_MODEL])).toEqual(['text-embedding-3-small', 'text-embedding-3-small']);
    expect(embeddings.map((s) => s.attributes[GenAI.OPERATION_NAME])).toEqual(['embeddings', 'embeddings']);
    expect(embeddings.map((s) => s.attributes[GenAI.EMBEDDINGS_DIMENSION_COUNT])).toEqual([8, undefined]);
    for (const span of embeddings) expect(operations.map((o) => o.id)).toContain(span.parentId);
  });

  it('keeps concurrent operations apart by their callId', async () => {
    const telemetry = llmtraceTelemetry();
    const openai = provider(`${server.url}/v1`);
    await Promise.all(
      ['one', 'two', 'three'].map((prompt) =>
        ai.generateText({ model: openai.chat('gpt-4o-mini'), prompt, telemetry: { functionId: prompt, integrations: [telemetry] } } as Parameters<typeof ai.generateText>[0]),
      ),
    );
    await settle();
    const operations = spans('chain');
    expect(operations.map((s) => s.attributes['llmtrace.ai_sdk.function_id']).sort()).toEqual(['one', 'three', 'two']);
    const llm = spans('llm');
    expect(llm).toHaveLength(3);
    expect(new Set(llm.map((s) => s.parentId))).toEqual(new Set(operations.map((s) => s.id)));
  });
});
