/**
 * A streamed chat completion with n > 1 choices finishes each choice in its own chunk: the span
 * keeps one finish reason per choice, in choice order, however the chunks interleave.
 */
import { describe, expect, it } from '@jest/globals';
import { traced } from '../../../index.js';
import { freshStore } from '../../helpers/fresh-store.js';

function chunk(choices: object[], extra: object = {}): object {
  return { id: 'chatcmpl-n2', object: 'chat.completion.chunk', model: 'gpt-4o-mini', choices, ...extra };
}

async function finishReasonsOf(chunks: object[]): Promise<unknown> {
  const store = freshStore();
  const stream = traced(async function* (_model: string) {
    yield* chunks;
  }, { name: 'ask' });
  for await (const item of stream('gpt-4o-mini')) void item;
  const [span] = store.getRecent(1);
  return span!.attributes['gen_ai.response.finish_reasons'];
}

describe('streamed finish reasons', () => {
  it('n = 2: each choice keeps its own reason, in choice order', async () => {
    const reasons = await finishReasonsOf([
      chunk([{ index: 0, delta: { content: 'a' } }, { index: 1, delta: { content: 'b' } }]),
      chunk([{ index: 1, delta: {}, finish_reason: 'length' }]),
      chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]),
      chunk([], { usage: { prompt_tokens: 3, completion_tokens: 9 } }),
    ]);
    expect(reasons).toEqual(['stop', 'length']);
  });

  it('n = 2 finishing in one chunk, and n = 1', async () => {
    expect(
      await finishReasonsOf([
        chunk([{ index: 0, delta: { content: 'a' } }]),
        chunk([{ index: 0, delta: {}, finish_reason: 'tool_calls' }, { index: 1, delta: {}, finish_reason: 'stop' }]),
      ]),
    ).toEqual(['tool_calls', 'stop']);
    expect(await finishReasonsOf([chunk([{ index: 0, delta: { content: 'a' } }]), chunk([{ index: 0, delta: {}, finish_reason: 'stop' }])])).toEqual(['stop']);
  });
});
