/**
 * Transparency of adapter-wrapped calls (issue 8, point 6): with the real `openai` SDK against the
 * offline model server, the objects an instrumented client returns (its `APIPromise`, its `Stream`)
 * are, once consumed, indistinguishable from those of an uninstrumented client: same own keys, same
 * property descriptors, same class; the span is still recorded.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { instrumentOpenAI } from '../../adapters/openai/index.js';
import { startOfflineModelServer, type OfflineModelServer } from '../../lib/offline-model/index.js';
import { freshStore } from '../helpers/fresh-store.js';

let server: OfflineModelServer;

beforeAll(async () => {
  server = await startOfflineModelServer({ seed: 5, latencyMs: 1, ttftMs: 1, tokensPerSecond: 5000, outputTokens: [3, 5] });
});
afterAll(() => server.close());

const client = (): OpenAI => new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'offline', maxRetries: 0 });
const messages = [{ role: 'user' as const, content: 'hi' }];

/**
 * What reflection shows of an object: its own keys, and each own property's kind. Node 20's
 * AsyncLocalStorage (which every context-propagating tracer uses) stores the active context on each
 * promise created inside it under its own `kResourceStore` symbol; that one is Node's, not ours.
 */
function shape(o: object): unknown {
  const nodes = (key: string | symbol): boolean => typeof key === 'symbol' && key.description === 'kResourceStore';
  return {
    proto: Object.getPrototypeOf(o),
    keys: Reflect.ownKeys(o).filter((key) => !nodes(key)).map((key) => {
      const d = Object.getOwnPropertyDescriptor(o, key)!;
      return [String(key), typeof d.value === 'function' ? `function ${(d.value as Function).name}` : typeof d.value, d.enumerable, d.writable, typeof d.get];
    }),
  };
}

describe('adapter-wrapped calls leave the SDK objects as they were', () => {
  it('an APIPromise, once awaited, has the shape of an uninstrumented one', async () => {
    const store = freshStore();
    const plain = client().chat.completions.create({ model: 'gpt-offline', messages });
    const traced = instrumentOpenAI(client()).chat.completions.create({ model: 'gpt-offline', messages });
    await Promise.all([plain, traced]);
    expect(shape(traced)).toEqual(shape(plain));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(store.getRecent(1)[0]).toMatchObject({ name: 'openai.chat.completions.create', status: 'success' });
  });

  it('a streamed answer (Stream), once read, has the shape of an uninstrumented one', async () => {
    const store = freshStore();
    const read = async (openai: OpenAI): Promise<{ stream: object; chunks: number }> => {
      const stream = await openai.chat.completions.create({ model: 'gpt-offline', messages, stream: true });
      let chunks = 0;
      for await (const _ of stream) chunks++;
      return { stream, chunks };
    };
    const plain = await read(client());
    const traced = await read(instrumentOpenAI(client()));
    expect(traced.chunks).toBeGreaterThan(0);
    expect(shape(traced.stream)).toEqual(shape(plain.stream));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(store.getRecent(1)[0]).toMatchObject({ status: 'success', attributes: { 'llmtrace.stream.end': 'completed' } });
  });
});
