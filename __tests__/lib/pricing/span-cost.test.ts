import { configure, diagnosticCounts, LLMTrace, traced } from '../../../index.js';
import { freshStore } from '../../helpers/fresh-store.js';

function completion(model: string, prompt: number, completionTokens: number, cached = 0) {
  return {
    object: 'chat.completion',
    id: 'c1',
    model,
    choices: [{ finish_reason: 'stop', message: { content: 'hi' } }],
    usage: { prompt_tokens: prompt, completion_tokens: completionTokens, prompt_tokens_details: { cached_tokens: cached } },
  };
}

describe('cost on spans', () => {
  afterEach(() => configure({ pricing: {} }));

  it('records llmtrace.cost_usd for a priced model, from the response model', async () => {
    const store = freshStore();
    const call = traced(async () => completion('gpt-4o-mini-2024-07-18', 10_000, 1_000), { name: 'ask' });
    await call();
    // 10k input at $0.15/M + 1k output at $0.60/M
    expect(store.getRecent(1)[0]!.attributes[LLMTrace.COST_USD]).toBeCloseTo(0.0015 + 0.0006, 12);
  });

  it('records null for a stream that stopped before reporting its output tokens (the count is then a chunk estimate), a price once it reported them', async () => {
    const store = freshStore();
    async function* events(report: boolean) {
      yield { type: 'message_start', message: { id: 'msg_1', type: 'message', model: 'claude-sonnet-4-5', usage: { input_tokens: 1_000, output_tokens: 1 } } };
      for (let i = 0; i < 3; i++) yield { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: `t${i}` } };
      if (report) yield { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 40 } };
      yield { type: 'message_stop' };
    }
    const stream = traced(events, { name: 'messages' });
    for await (const event of stream(false)) if (event.type === 'content_block_delta') break;
    for await (const _event of stream(true));
    const [whole, cancelled] = store.getRecent(2);
    expect(cancelled!.attributes).toMatchObject({ [LLMTrace.STREAM_END]: 'cancelled', [LLMTrace.USAGE_ESTIMATED]: true, [LLMTrace.COST_USD]: null });
    expect(whole!.attributes[LLMTrace.USAGE_ESTIMATED]).toBeUndefined();
    expect(typeof whole!.attributes[LLMTrace.COST_USD]).toBe('number');
  });

  it('records null and warns once per unknown model, never a silent $0', async () => {
    const store = freshStore();
    const call = traced(async () => completion('mystery-model-x', 100, 10), { name: 'ask' });
    await call();
    await call();
    for (const span of store.getRecent(2)) expect(span.attributes[LLMTrace.COST_USD]).toBeNull();
    expect(diagnosticCounts()['cost.unknown-model:mystery-model-x']).toBe(2);
  });

  it('records 0 for cache hits and local models', async () => {
    const store = freshStore();
    const cachedCall = traced(async () => completion('gpt-4o', 100, 10), {
      name: 'ask',
      attributes: () => ({ [LLMTrace.CACHED]: true }),
    });
    await cachedCall();
    const local = traced(async (model: string) => ({ model, prompt_eval_count: 50, eval_count: 5, done: true }), { name: 'local' });
    await local('llama3.1:8b');
    const [localSpan, cachedSpan] = store.getRecent(2);
    expect(cachedSpan!.attributes[LLMTrace.COST_USD]).toBe(0);
    expect(localSpan!.attributes[LLMTrace.COST_USD]).toBe(0);
  });

  it('records null and warns for a local-family model a hosted provider or public server served, never a silent $0', async () => {
    const store = freshStore();
    const groq = traced(async () => ({ ...completion('llama-9-400b-versatile', 100, 10), x_groq: { id: 'req_1' } }), { name: 'ask' });
    await groq();
    const hosted = traced(async () => completion('llama3-hosted-70b', 100, 10), {
      name: 'ask',
      attributes: () => ({ 'server.address': 'api.deepinfra.com' }),
    });
    await hosted();
    const onLan = traced(async () => completion('llama3-lan-70b', 100, 10), {
      name: 'ask',
      attributes: () => ({ 'server.address': '192.168.1.20' }),
    });
    await onLan();
    const [lan, publicServer, groqSpan] = store.getRecent(3);
    expect(groqSpan!.attributes['gen_ai.provider.name']).toBe('groq');
    expect(groqSpan!.attributes[LLMTrace.COST_USD]).toBeNull();
    expect(publicServer!.attributes[LLMTrace.COST_USD]).toBeNull();
    expect(lan!.attributes[LLMTrace.COST_USD]).toBe(0);
    expect(diagnosticCounts()['cost.unknown-model:llama-9-400b-versatile']).toBe(1);
    expect(diagnosticCounts()['cost.unknown-model:llama3-hosted-70b']).toBe(1);
  });

  it('uses configured overrides, per 1K tokens', async () => {
    const store = freshStore();
    configure({ pricing: { 'house-model': { input: 0.01, output: 0.02, per: '1K' } } });
    const call = traced(async () => completion('house-model', 1_000, 1_000), { name: 'ask' });
    await call();
    expect(store.getRecent(1)[0]!.attributes[LLMTrace.COST_USD]).toBeCloseTo(0.03, 12);
  });

  it('records null for a successful priced call that reported no usage, 0 for a failed one', async () => {
    const store = freshStore();
    const ok = traced(async (model: string) => `text from ${model}`, { name: 'ask' });
    const bad = traced(
      async (model: string) => {
        throw new Error(`down: ${model}`);
      },
      { name: 'ask' },
    );
    await ok('gpt-4o');
    await expect(bad('gpt-4o')).rejects.toThrow('down');
    const [failed, succeeded] = store.getRecent(2);
    expect(succeeded!.attributes[LLMTrace.COST_USD]).toBeNull();
    expect(failed!.attributes[LLMTrace.COST_USD]).toBe(0);
  });

  it('records null when usage is partial (input tokens known, output never reported), never a partial price', async () => {
    const store = freshStore();
    // What a stream cancelled after its first event leaves: the prompt size, no output count.
    const call = traced(async (model: string) => `partial text from ${model}`, {
      name: 'stream',
      attributes: () => ({ 'gen_ai.usage.input_tokens': 5_000 }),
    });
    await call('claude-sonnet-4-6');
    const span = store.getRecent(1)[0]!;
    expect(span.attributes['gen_ai.usage.input_tokens']).toBe(5_000);
    expect(span.attributes[LLMTrace.COST_USD]).toBeNull();
  });

  it('prices cache writes from gen_ai.usage.cache_creation.input_tokens at the cache-write price', async () => {
    const store = freshStore();
    const call = traced(
      async (model: string) => ({
        type: 'message',
        model,
        content: [{ type: 'text', text: 'ok' }],
        stop_reason: 'end_turn',
        usage: { input_tokens: 0, output_tokens: 0 },
      }),
      { name: 'ask', attributes: () => ({ 'gen_ai.usage.input_tokens': 10_000, 'gen_ai.usage.output_tokens': 0, 'gen_ai.usage.cache_creation.input_tokens': 10_000 }) },
    );
    await call('claude-opus-4-6');
    // claude-opus-4-6 writes to the cache at $6.25 per million tokens (input $5).
    expect(store.getRecent(1)[0]!.attributes[LLMTrace.COST_USD]).toBeCloseTo(0.0625, 9);
  });

  it('prices nothing on scope spans and spans without model or usage', async () => {
    const store = freshStore();
    await traced(async () => 1, { name: 'tool', kind: 'tool' })();
    expect(store.getRecent(1)[0]!.attributes).not.toHaveProperty(LLMTrace.COST_USD);
  });

  it('rejects bad pricing in configure before changing anything', () => {
    expect(() => configure({ pricing: { m: { input: 1, output: -2 } } })).toThrow(
      'llmtrace: configure: pricing["m"].output must be a non-negative number (USD per 1M tokens), got -2 (number)',
    );
  });
});
