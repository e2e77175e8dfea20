/**
 * Mistral through the documented routes (docs/frameworks.md#mistral): `tracedFetch` with
 * `provider: 'mistral_ai'` as the fetch of plain HTTP calls or of any SDK that takes a `fetch`
 * option, and Mistral's OpenAI-compatible JSON read by the built-in extractors. Driven against the
 * offline model server's chat route on 127.0.0.1 (Mistral's `/v1/chat/completions` has the same shape).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import OpenAI from 'openai';
import { tracedFetch } from '../../adapters/fetch/index.js';
import { startOfflineModelServer, type OfflineModelServer } from '../../lib/offline-model/index.js';
import { GenAI, LLMTrace, traced, type Span, type TraceStore } from '../../index.js';
import { freshStore } from '../helpers/fresh-store.js';

let server: OfflineModelServer;
let store: TraceStore;

function spans(kind?: string): Span[] {
  return store.getRecent(10_000).reverse().filter((s) => kind === undefined || s.kind === kind);
}

async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 20));
}

beforeAll(async () => {
  server = await startOfflineModelServer({ seed: 11, latencyMs: 5, ttftMs: 10, tokensPerSecond: 500 });
});
afterAll(() => server.close());
beforeEach(() => {
  store = freshStore();
});

describe('Mistral', () => {
  it('is traced by tracedFetch(fetch, { provider: "mistral_ai" }) on its chat completions route, with tokens and cost', async () => {
    const mistralFetch = tracedFetch(globalThis.fetch, { provider: 'mistral_ai' });
    const response = await mistralFetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer mistral-offline-key-0123456789' },
      body: JSON.stringify({ model: 'mistral-small-latest', messages: [{ role: 'user', content: 'Bonjour' }], max_tokens: 40 }),
    });
    const body = (await response.json()) as { usage: { prompt_tokens: number; completion_tokens: number } };
    await settle();
    const [span] = spans('llm');
    const a = span!.attributes;
    expect(a[GenAI.PROVIDER_NAME]).toBe('mistral_ai');
    expect(a[GenAI.REQUEST_MODEL]).toBe('mistral-small-latest');
    expect(a[GenAI.REQUEST_MAX_TOKENS]).toBe(40);
    expect(a[GenAI.USAGE_INPUT_TOKENS]).toBe(body.usage.prompt_tokens);
    expect(a[GenAI.USAGE_OUTPUT_TOKENS]).toBe(body.usage.completion_tokens);
    expect(a[LLMTrace.COST_USD]).toBeGreaterThan(0);
    expect(JSON.stringify(span)).not.toContain('mistral-offline-key');
  });

  it('works through an OpenAI-compatible SDK pointed at Mistral, and from a decorated wrapper returning its JSON', async () => {
    const client = new OpenAI({ apiKey: 'mistral-offline-key-0123456789', baseURL: `${server.url}/v1`, fetch: tracedFetch(globalThis.fetch, { provider: 'mistral_ai' }) });
    const completion = await client.chat.completions.create({ model: 'mistral-large-latest', messages: [{ role: 'user', content: 'Hi' }] });
    const ask = traced(async () => {
      const res = await fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'open-mistral-nemo', messages: [{ role: 'user', content: 'Hi' }] }),
      });
      const json = (await res.json()) as Record<string, unknown>;
      delete json.object; // Mistral-style JSON as many wrappers return it
      return json;
    }, { name: 'ask_mistral' });
    const raw = (await ask()) as { usage: { completion_tokens: number } };
    await settle();
    const [sdkSpan, wrapperSpan] = spans('llm');
    expect(sdkSpan!.attributes[GenAI.PROVIDER_NAME]).toBe('mistral_ai');
    expect(sdkSpan!.attributes[GenAI.USAGE_OUTPUT_TOKENS]).toBe(completion.usage!.completion_tokens);
    expect(wrapperSpan!.name).toBe('ask_mistral');
    expect(wrapperSpan!.attributes[GenAI.RESPONSE_MODEL]).toBe('open-mistral-nemo');
    expect(wrapperSpan!.attributes[GenAI.USAGE_OUTPUT_TOKENS]).toBe(raw.usage.completion_tokens);
  });
});
