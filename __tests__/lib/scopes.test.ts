/** withSpan scopes: a scope's own span records the block, not the model response the block returns. */
import { configure, withSpan } from '../../index.js';
import { freshStore } from '../helpers/fresh-store.js';

describe('withSpan', () => {
  it('does not read model or usage from the value the block returns', async () => {
    const store = freshStore();
    const response = { object: 'chat.completion', model: 'gpt-4o', usage: { prompt_tokens: 3, completion_tokens: 4 }, choices: [] };
    const value = await withSpan('quiz_round', { kind: 'iteration' }, async () => response);
    expect(value).toBe(response);
    const [span] = store.getRecent(1);
    expect(span!.name).toBe('quiz_round');
    expect(span!.attributes['gen_ai.response.model']).toBeUndefined();
    expect(span!.attributes['gen_ai.usage.input_tokens']).toBeUndefined();
  });

  it('rejects a missing block or name with a TypeError naming the argument', () => {
    expect(() => withSpan('x', undefined as never)).toThrow(/withSpan needs a function/);
    expect(() => withSpan('', () => 1)).toThrow(/withSpan needs a non-empty name/);
  });
});

describe('withSpan with tracing turned off', () => {
  test('inside a live span, the block gets a detached span: its writes never reach the enclosing span', async () => {
    const store = freshStore();
    await withSpan('outer', async () => {
      configure({ enabled: false });
      try {
        withSpan('inner', (span) => {
          span.setAttribute('written.by', 'inner');
          span.addEvent('inner.event');
        });
      } finally {
        configure({ enabled: true });
      }
    });
    const [outer] = store.getRecent(1);
    expect(outer!.name).toBe('outer');
    expect(outer!.attributes['written.by']).toBeUndefined();
    expect(outer!.events.map((e) => e.name)).toEqual([]);
  });
});
