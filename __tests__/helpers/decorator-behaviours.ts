/**
 * Test helper: the decorator behaviours, written once and run against a client class compiled in
 * each decorator mode (`decorators.test.ts` standard, `decorators.legacy.test.ts` legacy). The
 * class itself is declared in each test file, so its decorators are compiled in that file's mode.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { configure, withSpan, type Span } from '../../index.js';
import { freshStore } from './fresh-store.js';

/** A secret that must never reach a span. */
export const SECRET = 'sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';

/** The decorated client each test file declares (same methods, same decorator options). */
export interface DecoratedClient {
  model: string;
  failure: Error;
  /** `@traceModelCall({ modelParam: 'model', context: 'agent_turn' })`, async, `model = 'mistral:latest'`. */
  generateText(prompt: string, model?: string): Promise<string>;
  /** `@traceModelCall({ modelParam: 1 })`, sync. */
  byIndex(prompt: string, engine: string): string;
  /** `@traceModelCall({ modelParam: 'engine' })`, async. */
  byName(prompt: string, engine: string): Promise<string>;
  /** `@monitorLLM()`, async, model in an options object. */
  withOptions(prompt: string, options: { model: string; temperature?: number }): Promise<string>;
  /** `@monitorLLM()`, async, model from `this.model`. */
  fromThis(prompt: string): Promise<string>;
  /** `@monitorLLM({ kind: 'embedding', name: 'embed_text' })`, sync. */
  embed(text: string): number[];
  /** `@traceModelCall()`, async generator of tokens. */
  stream(prompt: string, count: number): AsyncGenerator<string>;
  /** `@monitorLLM()`, sync generator. */
  numbers(count: number): Generator<number>;
  /** `@traceModelCall({ capture: 'full', maxContentBytes: 256 })`, async, returns an OpenAI-shaped completion. */
  full(prompt: string): Promise<{ object: string; model: string; choices: { message: { content: string } }[] }>;
  /** `@monitorLLM()`, async, returns the same OpenAI-shaped completion. */
  monitored(prompt: string): Promise<{ object: string; model: string; usage: object }>;
  /** `@traceModelCall()`, rejects with `this.failure`. */
  fails(): Promise<never>;
  /** `@traceModelCall()`, throws `this.failure` synchronously. */
  failsSync(): never;
}

/** Declares the behaviour tests for one decorator mode. */
export function describeDecoratorBehaviours(
  mode: string,
  make: () => DecoratedClient,
  declareBadClass: () => unknown,
): void {
  describe(`decorators (${mode})`, () => {
    afterEach(() => configure({ capture: 'metadata' }));

    it('async method: same value, this kept, model from the parameter default, context recorded', async () => {
      const store = freshStore();
      const client = make();
      const result = client.generateText('hi');
      expect(result).toBeInstanceOf(Promise);
      await expect(result).resolves.toBe('hi:mistral:latest:instance-model');
      await client.generateText('hi', 'llama3:8b');
      const [explicit, fromDefault] = store.getRecent(2);
      expect(fromDefault!.name).toBe('generateText');
      expect(fromDefault!.attributes['gen_ai.request.model']).toBe('mistral:latest');
      expect(fromDefault!.attributes['llmtrace.context']).toBe('agent_turn');
      expect(explicit!.attributes['gen_ai.request.model']).toBe('llama3:8b');
    });

    it('sync method stays sync; modelParam by index', () => {
      const store = freshStore();
      const value = make().byIndex('p', 'qwen2:7b');
      expect(value).toBe('p/qwen2:7b');
      expect(value).not.toBeInstanceOf(Promise);
      const span = store.getRecent(1)[0]!;
      expect(span.status).toBe('success');
      expect(span.attributes['gen_ai.request.model']).toBe('qwen2:7b');
    });

    it('modelParam by name, from an options object, and from this.model', async () => {
      const store = freshStore();
      const client = make();
      await client.byName('p', 'phi3');
      await client.withOptions('p', { model: 'gpt-4o-mini', temperature: 0 });
      await client.fromThis('p');
      const [fromThis, fromOptions, byName] = store.getRecent(3);
      expect(byName!.attributes['gen_ai.request.model']).toBe('phi3');
      expect(fromOptions!.attributes['gen_ai.request.model']).toBe('gpt-4o-mini');
      expect(fromThis!.attributes['gen_ai.request.model']).toBe('instance-model');
    });

    it('name and kind options; sync method returns its value', () => {
      const store = freshStore();
      expect(make().embed('abcd')).toEqual([4]);
      const span = store.getRecent(1)[0]!;
      expect(span).toMatchObject({ name: 'embed_text', kind: 'embedding', status: 'success' });
      expect(span.attributes['gen_ai.operation.name']).toBe('embeddings');
    });

    it('async generator method: iterable, ends on completion and on early break (cancelled)', async () => {
      const store = freshStore();
      const client = make();
      const all: string[] = [];
      for await (const t of client.stream('p', 3)) all.push(t);
      expect(all).toEqual(['t0', 't1', 't2']);
      for await (const t of client.stream('p', 100)) if (t === 't1') break;
      const [broken, completed] = store.getRecent(2);
      expect(completed!.attributes['llmtrace.stream.end']).toBe('completed');
      expect(broken!.attributes['llmtrace.stream.end']).toBe('cancelled');
      expect(broken!.attributes['llmtrace.stream.chunks']).toBe(2);
      expect(broken!.status).toBe('success');
      expect(store.size).toBe(2);
    });

    it('sync generator method stays a generator and ends its span', () => {
      const store = freshStore();
      const it = make().numbers(3);
      expect(Object.prototype.toString.call(it)).toBe('[object Generator]');
      expect([...it]).toEqual([0, 1, 2]);
      expect(store.getRecent(1)[0]!.attributes['llmtrace.stream.end']).toBe('completed');
    });

    it('rejects and throws the same error object, recorded on the span', async () => {
      const store = freshStore();
      const client = make();
      await expect(client.fails()).rejects.toBe(client.failure);
      expect(() => client.failsSync()).toThrow(client.failure);
      const [sync, async] = store.getRecent(2);
      for (const span of [sync!, async!]) {
        expect(span.status).toBe('error');
        expect(span.error).toEqual({ type: 'Error', message: 'model unavailable' });
      }
      expect(store.getErrors()).toHaveLength(2);
    });

    it('@monitorLLM records metrics but no content, even when full capture is configured', async () => {
      const store = freshStore();
      configure({ capture: 'full' });
      await make().monitored(`secret ${SECRET}`);
      const span = store.getRecent(1)[0]!;
      expect(span.attributes['gen_ai.usage.input_tokens']).toBe(11);
      expect(span.attributes['gen_ai.response.model']).toBe('gpt-4o');
      expect(span.attributes['llmtrace.request.bytes']).toBeUndefined();
      expect(span.attributes['llmtrace.response.bytes']).toBeUndefined();
      expect(span.events.filter((e) => e.name.startsWith('gen_ai.'))).toEqual([]);
      expect(JSON.stringify(span)).not.toContain('secret');
    });

    it("@traceModelCall({ capture: 'full' }) records the redacted, byte-capped prompt and answer as GenAI messages", async () => {
      const store = freshStore();
      const prompt = `Use key ${SECRET} to summarise: ${'ü'.repeat(400)}`;
      await make().full(prompt);
      const span: Span = store.getRecent(1)[0]!;
      const requestText = span.attributes['gen_ai.input.messages'] as string;
      expect(Buffer.byteLength(requestText, 'utf8')).toBeLessThanOrEqual(256);
      const [message] = JSON.parse(requestText) as { role: string; parts: { type: string; content: string }[] }[];
      expect(message!.role).toBe('user');
      expect(message!.parts[0]!.content).toMatch(/^Use key \[REDACTED\] to summarise: ü+$/);
      expect(span.attributes['llmtrace.request.truncated']).toBe(true);
      expect(span.attributes['llmtrace.request.bytes'] as number).toBeGreaterThan(800);
      const answer = JSON.parse(span.attributes['gen_ai.output.messages'] as string) as { parts: { content: string }[] }[];
      expect(answer[0]!.parts[0]!.content).toContain('[REDACTED]');
      expect(span.events.filter((e) => e.name.startsWith('gen_ai.'))).toEqual([]);
      expect(JSON.stringify(span)).not.toContain(SECRET);
      expect(JSON.stringify(span)).not.toContain('AbCdEfGhIjKlMnOp');
    });

    it('@traceModelCall records sizes only by default (metadata capture)', async () => {
      const store = freshStore();
      await make().generateText('hello');
      const span = store.getRecent(1)[0]!;
      expect(span.attributes['llmtrace.request.bytes']).toBe(Buffer.byteLength(JSON.stringify(['hello'])));
      expect(typeof span.attributes['llmtrace.response.bytes']).toBe('number');
      expect(span.attributes['gen_ai.input.messages']).toBeUndefined();
      expect(span.attributes['gen_ai.output.messages']).toBeUndefined();
    });

    it('decorating a non-method throws a clear TypeError', () => {
      expect(declareBadClass).toThrow(TypeError);
      expect(declareBadClass).toThrow(/decorates methods only/);
    });

    it('spans of decorated methods nest under the enclosing span', async () => {
      const store = freshStore();
      const client = make();
      await withSpan('turn', { kind: 'request' }, async () => {
        await Promise.all([client.generateText('a'), client.fromThis('b')]);
      });
      const turn = store.query((s) => s.name === 'turn')[0]!;
      const calls = store.query((s) => s.parentId === turn.id);
      expect(calls.map((s) => s.name).sort()).toEqual(['fromThis', 'generateText']);
      for (const call of calls) {
        expect(call.traceId).toBe(turn.traceId);
        expect(call.scopes.request).toBe(turn.id);
      }
    });
  });
}

/** The shared method bodies, so both test files' classes behave the same. */
export const bodies = {
  stream: async function* (count: number): AsyncGenerator<string> {
    for (let i = 0; i < count; i++) {
      await sleep(1);
      yield `t${i}`;
    }
  },
  numbers: function* (count: number): Generator<number> {
    for (let i = 0; i < count; i++) yield i;
  },
  completion: (prompt: string) => ({
    object: 'chat.completion',
    model: 'gpt-4o',
    choices: [{ message: { content: `echo: ${prompt.slice(0, 40)}` } }],
    usage: { prompt_tokens: 11, completion_tokens: 3 },
  }),
};
