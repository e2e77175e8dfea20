/**
 * Which chunks of a traced function's own stream are read for facts: the first, those that can carry
 * usage or a finish reason, and every chunk once the user registered an extractor.
 */
import { registerExtractor, traced } from '../../../index.js';
import { mayCarryStreamFacts } from '../../../lib/extract/stream-facts.js';
import { freshStore } from '../../helpers/fresh-store.js';

const delta = (i: number) => ({ object: 'chat.completion.chunk', model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content: `t${i}` }, finish_reason: null }] });

describe('mayCarryStreamFacts', () => {
  it('is false for plain content deltas and true for chunks with usage or a finish', () => {
    expect(mayCarryStreamFacts(delta(1))).toBe(false);
    expect(mayCarryStreamFacts({ type: 'content_block_delta', delta: { text: 'x' } })).toBe(false);
    expect(mayCarryStreamFacts({ type: 'text-delta', delta: 'x' })).toBe(false);
    expect(mayCarryStreamFacts({ model: 'llama3', message: { content: 'x' }, done: false })).toBe(false);
    expect(mayCarryStreamFacts('text')).toBe(false);
    expect(mayCarryStreamFacts({ ...delta(2), choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })).toBe(true);
    expect(mayCarryStreamFacts({ object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: 1, completion_tokens: 2 } })).toBe(true);
    expect(mayCarryStreamFacts({ model: 'llama3', done: true, eval_count: 4 })).toBe(true);
    expect(mayCarryStreamFacts({ candidates: [{ content: { parts: [{ text: 'x' }] } }], usageMetadata: { candidatesTokenCount: 1 } })).toBe(true);
    expect(mayCarryStreamFacts({ type: 'finish', usage: { inputTokens: 1 } })).toBe(true);
  });

  it("lets through a Groq chunk with x_groq.usage, with or without a finish reason, but not Groq's first chunk", () => {
    const groqUsage = { id: 'req_1', usage: { prompt_tokens: 18, completion_tokens: 5 } };
    expect(mayCarryStreamFacts({ object: 'chat.completion.chunk', choices: [], x_groq: groqUsage })).toBe(true);
    expect(mayCarryStreamFacts({ ...delta(3), choices: [{ index: 0, delta: {}, finish_reason: null }], x_groq: groqUsage })).toBe(true);
    expect(mayCarryStreamFacts({ ...delta(4), choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], x_groq: groqUsage })).toBe(true);
    expect(mayCarryStreamFacts({ ...delta(0), x_groq: { id: 'req_1' } })).toBe(false);
    expect(mayCarryStreamFacts({ ...delta(5), x_groq: null })).toBe(false);
  });
});

describe('a traced function returning its own stream', () => {
  it('takes the model from the first chunk and usage and finish reason from the chunks that carry them', async () => {
    const store = freshStore();
    const stream = traced(async function* chat() {
      for (let i = 0; i < 5; i++) yield delta(i);
      yield { object: 'chat.completion.chunk', model: 'gpt-4o-mini', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] };
      yield { object: 'chat.completion.chunk', model: 'gpt-4o-mini', choices: [], usage: { prompt_tokens: 9, completion_tokens: 5 } };
    });
    for await (const _ of stream()) void _;
    const [span] = store.getRecent(1);
    expect(span!.attributes).toMatchObject({
      'gen_ai.response.model': 'gpt-4o-mini',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 9,
      'gen_ai.usage.output_tokens': 5,
    });
    expect(span!.attributes['llmtrace.usage.estimated']).toBeUndefined();
  });

  it("reads Groq's usage from x_groq.usage in a chunk of its own after the finish chunk", async () => {
    const store = freshStore();
    const stream = traced(async function* groqChat() {
      const chunk = { id: 'chatcmpl-1', object: 'chat.completion.chunk', model: 'llama-3.3-70b-versatile' };
      yield { ...chunk, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }], x_groq: { id: 'req_1' } };
      for (let i = 0; i < 3; i++) yield { ...chunk, choices: [{ index: 0, delta: { content: `t${i}` }, finish_reason: null }] };
      yield { ...chunk, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] };
      yield { ...chunk, choices: [], x_groq: { id: 'req_1', usage: { prompt_tokens: 12, completion_tokens: 3 } } };
    });
    for await (const _ of stream()) void _;
    const [span] = store.getRecent(1);
    expect(span!.attributes).toMatchObject({
      'gen_ai.provider.name': 'groq',
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 3,
    });
    expect(span!.attributes['llmtrace.cost_usd']).toBeCloseTo((12 * 0.59 + 3 * 0.79) / 1e6, 12);
    expect(span!.attributes['llmtrace.usage.estimated']).toBeUndefined();
  });

  it('hands every chunk to a registered extractor, whose shapes llmtrace cannot know', async () => {
    const store = freshStore();
    const seen: unknown[] = [];
    const remove = registerExtractor((chunk) => {
      seen.push(chunk);
      const c = chunk as { tokensSoFar?: number };
      return typeof c.tokensSoFar === 'number' ? { outputTokens: c.tokensSoFar } : undefined;
    });
    try {
      const stream = traced(async function* custom() {
        for (let i = 1; i <= 4; i++) yield { text: `t${i}`, tokensSoFar: i };
      });
      for await (const _ of stream()) void _;
    } finally {
      remove();
    }
    expect(seen).toHaveLength(4);
    expect(store.getRecent(1)[0]!.attributes['gen_ai.usage.output_tokens']).toBe(4);
  });
});
