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
    expect(mayCarryStreamFacts({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 3 } })).toBe(true);
    expect(mayCarryStreamFacts({ type: 'message_start', message: { model: 'claude' } })).toBe(true);
    expect(mayCarryStreamFacts({ model: 'llama3', done: true, eval_count: 4 })).toBe(true);
    expect(mayCarryStreamFacts({ candidates: [{ content: { parts: [{ text: 'x' }] } }], usageMetadata: { candidatesTokenCount: 1 } })).toBe(true);
    expect(mayCarryStreamFacts({ type: 'finish', usage: { inputTokens: 1 } })).toBe(true);
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
