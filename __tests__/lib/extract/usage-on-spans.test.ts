/**
 * What the extractors read lands on spans: tokens, cost and the response's model for each common
 * shape a traced function returns; cache-write and reasoning tokens; a method with no model
 * parameter filed under the model the response names; and one diagnostic per function whose
 * results carry no usage llmtrace can read.
 */
import { createLogger, diagnosticCounts, GenAI, getLogger, LLMTrace, registerExtractor, traced, traceModelCall } from '../../../index.js';
import { Aggregator } from '../../../lib/extend/index.js';
import { freshStore } from '../../helpers/fresh-store.js';

const RESULTS = {
  'OpenAI-compatible without object': { model: 'gpt-4o-mini', usage: { prompt_tokens: 11, completion_tokens: 7 } },
  'AI SDK ai 5+': { text: 'x', finishReason: 'stop', usage: { inputTokens: 11, outputTokens: 7 }, response: { modelId: 'gpt-4o-mini' } },
  'AI SDK ai 4': { text: 'x', finishReason: 'stop', usage: { promptTokens: 11, completionTokens: 7 }, response: { modelId: 'gpt-4o-mini' } },
  'LangChain AIMessage': {
    content: 'x',
    usage_metadata: { input_tokens: 11, output_tokens: 7, total_tokens: 18 },
    response_metadata: { model_name: 'gpt-4o-mini', finish_reason: 'stop' },
  },
  Gemini: {
    candidates: [{ finishReason: 'STOP' }],
    usageMetadata: { promptTokenCount: 11, candidatesTokenCount: 7, totalTokenCount: 18 },
    modelVersion: 'gemini-2.0-flash',
  },
  'Anthropic without type': {
    id: 'msg_1',
    role: 'assistant',
    model: 'claude-3-5-haiku-20241022',
    content: [{ type: 'text', text: 'x' }],
    stop_reason: 'end_turn',
    usage: { input_tokens: 11, output_tokens: 7 },
  },
} as const;

describe('usage from any common shape, on spans', () => {
  it.each(Object.entries(RESULTS))('%s: exact tokens, the response model and a cost', async (_shape, result) => {
    const store = freshStore();
    const call = traced(async (_prompt: string) => result, { name: 'call' });
    await call('hi');
    const a = store.getRecent(1)[0]!.attributes;
    expect(a[GenAI.USAGE_INPUT_TOKENS]).toBe(11);
    expect(a[GenAI.USAGE_OUTPUT_TOKENS]).toBe(7);
    expect(typeof a[GenAI.RESPONSE_MODEL]).toBe('string');
    expect(a[LLMTrace.COST_USD]).toBeGreaterThan(0);
  });

  it('records cache-write and reasoning tokens under the GenAI convention names', async () => {
    const store = freshStore();
    const call = traced(async () => ({
      id: 'msg_2',
      type: 'message',
      model: 'claude-3-5-haiku-20241022',
      content: [],
      usage: { input_tokens: 5, cache_creation_input_tokens: 300, cache_read_input_tokens: 20, output_tokens: 9 },
    }));
    await call();
    const reasoning = traced(async () => ({ ...RESULTS['AI SDK ai 5+'], usage: { inputTokens: 3, outputTokens: 40, reasoningTokens: 32 } }));
    await reasoning();
    const [aiSdk, anthropic] = store.getRecent(2); // newest first
    expect(anthropic!.attributes[GenAI.USAGE_INPUT_TOKENS]).toBe(325);
    expect(anthropic!.attributes[GenAI.USAGE_CACHE_CREATION_INPUT_TOKENS]).toBe(300);
    expect(anthropic!.attributes[GenAI.USAGE_CACHED_INPUT_TOKENS]).toBe(20);
    expect(aiSdk!.attributes[GenAI.USAGE_REASONING_OUTPUT_TOKENS]).toBe(32);
  });

  it('files a method with no model parameter under the model its response names, not the class model', async () => {
    const store = freshStore();
    const aggregator = new Aggregator({ store, logger: createLogger({ format: 'hidden' }) }).start();
    class Assistant {
      model = 'gpt-4o';
      @traceModelCall()
      async summarise(_text: string) {
        return { model: 'gpt-4o-mini-2024-07-18', usage: { prompt_tokens: 1_000_000, completion_tokens: 0 } };
      }
    }
    await new Assistant().summarise('long text');
    const summaries = aggregator.stop();
    const a = store.getRecent(1)[0]!.attributes;
    expect(a[GenAI.RESPONSE_MODEL]).toBe('gpt-4o-mini-2024-07-18');
    expect(summaries.map((s) => s.model)).toEqual(['gpt-4o-mini-2024-07-18']);
    // Priced as gpt-4o-mini ($0.15 per million input tokens), not gpt-4o.
    expect(a[LLMTrace.COST_USD]).toBeCloseTo(0.15, 6);
  });
});

describe('the no-usage diagnostic', () => {
  const count = (name: string): number => diagnosticCounts()[`extract.no-usage:${name}`] ?? 0;

  it('is logged once per llm function, not once per call', async () => {
    freshStore();
    const plain = traced(async (_p: string) => 'just text', { name: 'plain-text-llm' });
    for (let i = 0; i < 5; i++) await plain('hi');
    expect(count('plain-text-llm')).toBe(1);
  });

  it('names the fix: the extractor option or registerExtractor', async () => {
    freshStore();
    const custom = traced(async () => ({ engine: 'mine', generated: 3 }), { name: 'custom-shape-llm' });
    await custom();
    const warnings = getLogger().buffer.query({ minLevel: 'warn' }).map((line) => line.message);
    expect(warnings.filter((m) => m.includes("'custom-shape-llm'"))).toEqual([
      expect.stringMatching(/returned an object with no token usage.*`extractor` option.*registerExtractor/),
    ]);
  });

  it('is not logged for other kinds, for recognised usage, for usage counted below, or once an extractor reads the shape', async () => {
    freshStore();
    await traced(async () => 'x', { name: 'a-chain', kind: 'chain' })();
    await traced(async () => RESULTS.Gemini, { name: 'with-usage' })();
    const inner = traced(async () => RESULTS.Gemini, { name: 'inner-model-call' });
    await traced(async () => (await inner()).candidates, { name: 'outer-wrapper' })();
    await traced(async () => ({ engine: 'mine', generated: 3 }), {
      name: 'own-extractor',
      extractor: (r) => ({ outputTokens: (r as { generated: number }).generated }),
    })();
    const remove = registerExtractor((r) => ((r as { engine?: string }).engine === 'reg' ? { outputTokens: 1 } : undefined));
    try {
      await traced(async () => ({ engine: 'reg' }), { name: 'registered-shape' })();
    } finally {
      remove();
    }
    for (const name of ['a-chain', 'with-usage', 'inner-model-call', 'outer-wrapper', 'own-extractor', 'registered-shape']) {
      expect([name, count(name)]).toEqual([name, 0]);
    }
  });
});
