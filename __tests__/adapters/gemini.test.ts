/**
 * instrumentGemini with the real `@google/genai` SDK against the offline model server's Gemini
 * routes on 127.0.0.1: the same scenarios as the OpenAI adapter (non-stream, stream with TTFT, early
 * break, abort, HTTP error with status, API key never stored), plus embeddings and tracedFetch on
 * the Gemini REST paths.
 */
import { ApiError, GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { tracedFetch } from '../../adapters/fetch/index.js';
import { instrumentGemini } from '../../adapters/gemini/index.js';
import { startOfflineModelServer, type OfflineModelServer } from '../../lib/offline-model/index.js';
import { configure, GenAI, LLMTrace, monitorLLM, traced, type Span, type TraceStore } from '../../index.js';
import { freshStore } from '../helpers/fresh-store.js';

const API_KEY = 'AIzaSyD-offline-test-key-0123456789abcdef';

let server: OfflineModelServer;
let store: TraceStore;

/**
 * `httpOptions.fetch` is given because without it the SDK reaches for undici's global dispatcher on
 * `globalThis`, which Jest's VM realm does not have (a Jest-only limitation; plain Node is fine).
 */
function client(headers: Record<string, string> = {}): GoogleGenAI {
  return new GoogleGenAI({ apiKey: API_KEY, httpOptions: { baseUrl: server.url, headers, fetch: (input, init) => fetch(input, init) } });
}

function spans(kind?: string): Span[] {
  return store.getRecent(10_000).reverse().filter((s) => kind === undefined || s.kind === kind);
}

async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 20));
}

beforeAll(async () => {
  server = await startOfflineModelServer({ seed: 5, latencyMs: 5, ttftMs: 15, tokensPerSecond: 500 });
});
afterAll(() => server.close());
beforeEach(() => {
  store = freshStore();
});

describe('instrumentGemini', () => {
  it('records generateContent with the usage, model version and finish reason the server reported', async () => {
    const ai = instrumentGemini(client({ 'x-offline-output-tokens': '9' }));
    const response = await ai.models.generateContent({
      model: 'gemini-2.0-flash',
      contents: 'Say something about tracing',
      config: { maxOutputTokens: 64, temperature: 0.2 },
    });
    expect(response.text).toBeTruthy();
    await settle();
    const [span] = spans('llm');
    const a = span!.attributes;
    expect(span!.name).toBe('gemini.models.generateContent');
    expect(a[GenAI.PROVIDER_NAME]).toBe('gcp.gemini');
    expect(a[GenAI.REQUEST_MODEL]).toBe('gemini-2.0-flash');
    expect(a[GenAI.REQUEST_MAX_TOKENS]).toBe(64);
    expect(a[GenAI.REQUEST_TEMPERATURE]).toBe(0.2);
    expect(a[GenAI.REQUEST_STREAM]).toBe(false);
    expect(a[GenAI.RESPONSE_MODEL]).toBe(response.modelVersion);
    expect(a[GenAI.RESPONSE_ID]).toBe(response.responseId);
    expect(a[GenAI.USAGE_INPUT_TOKENS]).toBe(response.usageMetadata!.promptTokenCount);
    expect(a[GenAI.USAGE_OUTPUT_TOKENS]).toBe(9);
    expect(a[GenAI.RESPONSE_FINISH_REASONS]).toEqual(['STOP']);
    expect(a[GenAI.SERVER_ADDRESS]).toBe('127.0.0.1');
    expect(a[LLMTrace.COST_USD]).toBeGreaterThan(0);
  });

  it('records each turn of a chat session (sendMessage and sendMessageStream) once, with the session\'s model', async () => {
    const ai = instrumentGemini(client({ 'x-offline-output-tokens': '5' }));
    const chat = ai.chats.create({ model: 'gemini-2.0-flash', config: { temperature: 0.3 } });
    const first = await chat.sendMessage({ message: 'Hello there' });
    let streamed = '';
    for await (const chunk of await chat.sendMessageStream({ message: 'Tell me more' })) streamed += chunk.text ?? '';
    await settle();
    expect(first.text).toBeTruthy();
    expect(streamed).not.toBe('');
    // The session still keeps its history as the SDK's does.
    expect(chat.getHistory().filter((c) => c.role === 'user').map((c) => c.parts?.[0]?.text)).toEqual(['Hello there', 'Tell me more']);
    const llm = spans('llm');
    expect(llm.map((s) => s.name)).toEqual(['gemini.chats.sendMessage', 'gemini.chats.sendMessageStream']);
    for (const span of llm) {
      expect(span.attributes).toMatchObject({ [GenAI.PROVIDER_NAME]: 'gcp.gemini', [GenAI.REQUEST_MODEL]: 'gemini-2.0-flash', [GenAI.USAGE_OUTPUT_TOKENS]: 5 });
    }
    expect(llm[1]!.attributes[LLMTrace.STREAM_END]).toBe('completed');
    expect(llm[1]!.attributes[LLMTrace.TIME_TO_FIRST_TOKEN_MS]).toBeGreaterThan(0);
  });

  it('passes untouched members through and keeps the client unmodified', () => {
    const raw = client();
    const ai = instrumentGemini(raw);
    expect(ai.vertexai).toBe(false);
    expect(ai.models.generateContent).not.toBe(raw.models.generateContent);
    expect(instrumentGemini(ai)).toBe(ai);
    expect(typeof ai.models.countTokens).toBe('function');
  });

  it('records a stream read with for await: TTFT, chunk timing, usage from the last chunk', async () => {
    const ai = instrumentGemini(client({ 'x-offline-output-tokens': '6' }));
    const stream = await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'Stream please' });
    expect(spans('llm')).toHaveLength(0);
    let text = '';
    let last: { usageMetadata?: { promptTokenCount?: number } } | undefined;
    for await (const chunk of stream) {
      text += chunk.text ?? '';
      last = chunk;
    }
    expect(text.split(' ').length).toBe(6);
    const [span] = spans('llm');
    const a = span!.attributes;
    expect(span!.status).toBe('success');
    expect(a[GenAI.REQUEST_STREAM]).toBe(true);
    expect(a[LLMTrace.STREAM_END]).toBe('completed');
    expect(a[LLMTrace.STREAM_CHUNKS]).toBe(6);
    expect(a[GenAI.USAGE_OUTPUT_TOKENS]).toBe(6);
    expect(a[GenAI.USAGE_INPUT_TOKENS]).toBe(last!.usageMetadata!.promptTokenCount);
    expect(a[LLMTrace.USAGE_ESTIMATED]).toBeUndefined();
    expect(a[LLMTrace.TIME_TO_FIRST_TOKEN_MS]).toBeGreaterThan(0);
    expect(a[GenAI.RESPONSE_MODEL]).toBe('gemini-2.5-flash');
  });

  it('ends the span as cancelled when the consumer breaks early, with what was received', async () => {
    const ai = instrumentGemini(client({ 'x-offline-output-tokens': '20' }));
    const stream = await ai.models.generateContentStream({ model: 'gemini-2.0-flash', contents: 'x' });
    let seen = 0;
    for await (const _chunk of stream) {
      if (++seen === 3) break;
    }
    const [span] = spans('llm');
    expect(span!.status).toBe('success');
    expect(span!.attributes[LLMTrace.STREAM_END]).toBe('cancelled');
    expect(span!.attributes[LLMTrace.STREAM_CHUNKS]).toBe(3);
  });

  it('ends the span as aborted when the request is aborted through config.abortSignal', async () => {
    const ai = instrumentGemini(client({ 'x-offline-output-tokens': '50', 'x-offline-tokens-per-second': '50' }));
    const controller = new AbortController();
    const stream = await ai.models.generateContentStream({
      model: 'gemini-2.0-flash',
      contents: 'x',
      config: { abortSignal: controller.signal },
    });
    const caught = await (async () => {
      let seen = 0;
      for await (const _chunk of stream) if (++seen === 2) controller.abort();
    })().catch((error: unknown) => error);
    expect(caught).toBeDefined();
    await settle();
    const [span] = spans('llm');
    expect(span!.status).toBe('error');
    expect(span!.attributes[LLMTrace.STREAM_END]).toBe('aborted');
    expect(span!.attributes[LLMTrace.STREAM_CHUNKS]).toBeGreaterThanOrEqual(2);
  });

  it('records an HTTP error with its status; the SDK error reaches the caller unchanged', async () => {
    const ai = instrumentGemini(client({ 'x-offline-fault': '429' }));
    const caught = await ai.models.generateContent({ model: 'gemini-2.0-flash', contents: 'x' }).catch((error: unknown) => error);
    expect(caught).toBeInstanceOf(ApiError);
    await settle();
    const [span] = spans('llm');
    expect(span!.status).toBe('error');
    expect(span!.error!.type).toBe('ApiError');
    expect(span!.attributes[GenAI.HTTP_STATUS_CODE]).toBe((caught as ApiError).status);
    expect(span!.attributes[GenAI.HTTP_STATUS_CODE]).toBe(429);
  });

  it('records a 500 before a stream starts; the SDK error reaches the caller unchanged', async () => {
    const ai = instrumentGemini(client({ 'x-offline-fault': '500' }));
    const caught = await ai.models.generateContentStream({ model: 'gemini-2.0-flash', contents: 'x' }).catch((error: unknown) => error);
    expect(caught).toBeInstanceOf(ApiError);
    await settle();
    const [span] = spans('llm');
    expect(span!.status).toBe('error');
    expect(span!.attributes[GenAI.HTTP_STATUS_CODE]).toBe(500);
    expect(span!.attributes[LLMTrace.STREAM_END]).toBeUndefined();
  });

  it('records embedContent as an embedding span', async () => {
    const ai = instrumentGemini(client());
    const response = await ai.models.embedContent({ model: 'text-embedding-004', contents: ['a', 'b'] });
    expect(response.embeddings).toHaveLength(2);
    await settle();
    const [span] = spans('embedding');
    expect(span!.name).toBe('gemini.models.embedContent');
    expect(span!.attributes[GenAI.OPERATION_NAME]).toBe('embeddings');
    expect(span!.attributes[GenAI.REQUEST_MODEL]).toBe('text-embedding-004');
  });

  it('never stores the API key, even with full content capture', async () => {
    configure({ store, capture: 'full' });
    try {
      const ai = instrumentGemini(client());
      await ai.models.generateContent({ model: 'gemini-2.0-flash', contents: 'hello' });
      const stream = await ai.models.generateContentStream({ model: 'gemini-2.0-flash', contents: 'hello' });
      for await (const _chunk of stream);
      await ai.models.generateContent({ model: 'gemini-2.0-flash', contents: 'x' }).catch(() => undefined);
    } finally {
      configure({ capture: 'metadata' });
    }
    await settle();
    expect(spans()).toHaveLength(3);
    expect(JSON.stringify(spans())).not.toContain(API_KEY);
    expect(JSON.stringify(spans())).not.toContain('AIzaSy');
  });

  it('throws a TypeError naming the option at instrumentation time', () => {
    expect(() => instrumentGemini(null as never)).toThrow(/instrumentGemini needs a GoogleGenAI client/);
    expect(() => instrumentGemini(client(), { cached: 'yes' as never })).toThrow(/cached must be a function/);
  });
});

describe('the Gemini API through traced and @monitorLLM', () => {
  class Assistant {
    constructor(readonly ai: GoogleGenAI) {}

    @monitorLLM()
    async ask(contents: string) {
      return this.ai.models.generateContent({ model: 'gemini-2.0-flash', contents });
    }
  }

  it('names the provider gcp.gemini, as instrumentGemini and tracedFetch do', async () => {
    const ai = client({ 'x-offline-output-tokens': '3' });
    await traced((contents: string) => ai.models.generateContent({ model: 'gemini-2.0-flash', contents }), { name: 'generate' })('Hi');
    await new Assistant(ai).ask('Hi');
    await instrumentGemini(ai).models.generateContent({ model: 'gemini-2.0-flash', contents: 'Hi' });
    await settle();
    const providers = spans('llm').map((s) => s.attributes[GenAI.PROVIDER_NAME]);
    expect(providers).toEqual(['gcp.gemini', 'gcp.gemini', 'gcp.gemini']);
    expect(spans('llm').every((s) => s.attributes[GenAI.USAGE_OUTPUT_TOKENS] === 3)).toBe(true);
  });
});

describe('tracedFetch on the Gemini REST paths', () => {
  const body = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi there' }] }], generationConfig: { maxOutputTokens: 32 } });
  const init = (tokens: string): RequestInit => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-goog-api-key': API_KEY, 'x-offline-output-tokens': tokens },
    body,
  });

  it('records :generateContent with the model from the path and usage from the JSON body', async () => {
    const response = await tracedFetch()(`${server.url}/v1beta/models/gemini-2.0-flash:generateContent`, init('4'));
    const json = (await response.json()) as { usageMetadata: { promptTokenCount: number } };
    await settle();
    const [span] = spans('llm');
    expect(span!.name).toBe('fetch.models.generateContent');
    expect(span!.attributes[GenAI.PROVIDER_NAME]).toBe('gcp.gemini');
    expect(span!.attributes[GenAI.REQUEST_MODEL]).toBe('gemini-2.0-flash');
    expect(span!.attributes[GenAI.REQUEST_MAX_TOKENS]).toBe(32);
    expect(span!.attributes[GenAI.USAGE_INPUT_TOKENS]).toBe(json.usageMetadata.promptTokenCount);
    expect(span!.attributes[GenAI.USAGE_OUTPUT_TOKENS]).toBe(4);
    expect(JSON.stringify(spans())).not.toContain(API_KEY);
  });

  it('follows :streamGenerateContent?alt=sse (CRLF events) as it is read', async () => {
    const response = await tracedFetch()(`${server.url}/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`, init('5'));
    await response.text();
    const [span] = spans('llm');
    expect(span!.name).toBe('fetch.models.streamGenerateContent');
    expect(span!.attributes[GenAI.REQUEST_STREAM]).toBe(true);
    expect(span!.attributes[LLMTrace.STREAM_END]).toBe('completed');
    expect(span!.attributes[LLMTrace.STREAM_CHUNKS]).toBe(5);
    expect(span!.attributes[GenAI.USAGE_OUTPUT_TOKENS]).toBe(5);
    expect(span!.attributes[LLMTrace.USAGE_ESTIMATED]).toBeUndefined();
    expect(span!.attributes[GenAI.RESPONSE_MODEL]).toBe('gemini-2.5-flash');
  });
});
