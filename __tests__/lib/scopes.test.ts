/** withSpan scopes: a scope's own span records the block, not the model response the block returns. */
import { configure, createLogger, traced, withModel, withSpan } from '../../index.js';
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

  it('refuses options given after the function instead of silently ignoring them', () => {
    let ran = false;
    expect(() => (withSpan as (...a: unknown[]) => unknown)('x', () => (ran = true), { kind: 'run' })).toThrow(
      'llmtrace: withSpan takes (name, fn) or (name, options, fn): put the options before the function',
    );
    expect(ran).toBe(false);
  });
});

describe('withModel', () => {
  it('puts the model scope\'s id on every span and log line inside it', async () => {
    const store = freshStore();
    const { log, buffer } = createLogger({ format: 'hidden', minLevel: 'debug' });
    const ask = traced(async (question: string) => {
      log.info('asking', { question });
      return 'answer';
    }, { name: 'ask', kind: 'chain' });
    const value = await withModel('gpt-4o', async () => ask('Capital of France?'));
    expect(value).toBe('answer');
    const [scope, call] = store.getRecent(2); // newest first: the scope ends last
    expect(scope!.kind).toBe('model');
    expect(scope!.name).toBe('model gpt-4o');
    expect(scope!.attributes['llmtrace.model_scope']).toBe('gpt-4o');
    expect(scope!.attributes['llmtrace.cost_usd']).toBeUndefined(); // a scope is not a model call
    expect(call!.scopes.model).toBe(scope!.id);
    expect(call!.parentId).toBe(scope!.id);
    expect(buffer.query().find((e) => e.message === 'asking')!.fields.model_id).toBe(scope!.id);
    expect(() => withModel('', () => 1)).toThrow('llmtrace: withModel needs a non-empty model name, got  (string)');
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
