/**
 * Tokens and cost are counted once: a traced function that wraps a traced model call (a decorated
 * method around an instrumented SDK client) and returns the same response records no usage or cost
 * of its own; the model call does.
 */
import { createLogger, GenAI, LLMTrace, traced, withSpan } from '../../index.js';
import { Aggregator } from '../../lib/extend/index.js';
import { groupErrors, groupStats, statsFromSummaries } from '../../lib/query/index.js';
import { freshStore } from '../helpers/fresh-store.js';

const response = {
  object: 'chat.completion',
  model: 'gpt-4o-mini',
  usage: { prompt_tokens: 1_000, completion_tokens: 500 },
  choices: [{ finish_reason: 'stop' }],
};

describe('usage ownership', () => {
  it('records tokens and cost on the innermost model call only, and marks the wrapper', async () => {
    const store = freshStore();
    const aggregator = new Aggregator({ store, logger: createLogger({ format: 'hidden' }) }).start();
    const sdkCall = traced(async (model: string) => ({ ...response, model }), { name: 'sdk.create' });
    const generateText = traced(async (_prompt: string, model = 'gpt-4o-mini') => sdkCall(model), { name: 'generateText' });
    await withSpan('run', { kind: 'run' }, () => generateText('hi'));
    const summaries = aggregator.stop();

    const inner = store.query((s) => s.name === 'sdk.create')[0]!;
    const outer = store.query((s) => s.name === 'generateText')[0]!;
    const run = store.query((s) => s.name === 'run')[0]!;
    expect(inner.attributes[GenAI.USAGE_INPUT_TOKENS]).toBe(1_000);
    expect(typeof inner.attributes[LLMTrace.COST_USD]).toBe('number');
    expect(outer.attributes[GenAI.RESPONSE_MODEL]).toBe('gpt-4o-mini');
    expect(outer.attributes[GenAI.USAGE_INPUT_TOKENS]).toBeUndefined();
    expect(outer.attributes[LLMTrace.COST_USD]).toBeUndefined();
    expect(outer.attributes[LLMTrace.USAGE_IN_CHILDREN]).toBe(true);
    expect(run.attributes[LLMTrace.USAGE_IN_CHILDREN]).toBe(true);

    const totalInput = summaries.reduce((sum, s) => sum + s.inputTokens, 0);
    const totalCost = summaries.reduce((sum, s) => sum + s.costUsd, 0);
    expect(totalInput).toBe(1_000);
    expect(totalCost).toBeCloseTo(inner.attributes[LLMTrace.COST_USD] as number, 12);
    expect(summaries.reduce((sum, s) => sum + s.unpricedCalls, 0)).toBe(0);
  });

  it('counts one model call per request: a model call made of the model calls below it is marked, succeeding or failing', async () => {
    const store = freshStore();
    const aggregator = new Aggregator({ store, logger: createLogger({ format: 'hidden' }) }).start();
    let fail = false;
    const sdkCall = traced(async (model: string) => {
      if (fail) throw Object.assign(new Error('429 rate limited'), { status: 429 });
      return { ...response, model };
    }, { name: 'sdk.create' });
    const ask = traced(async (model: string) => sdkCall(model), { name: 'ask', modelParam: 'model' });
    const agent = traced(async () => ask('gpt-4o-mini'), { name: 'agent', kind: 'chain' });
    await agent();
    fail = true;
    await expect(agent()).rejects.toThrow('429 rate limited');
    const summaries = aggregator.stop();

    const wrappers = store.query((s) => s.name === 'ask');
    expect(wrappers.map((s) => [s.status, s.attributes[LLMTrace.MODEL_CALL_IN_CHILDREN]]).sort()).toEqual([['error', true], ['success', true]]);
    for (const span of store.query((s) => s.name !== 'ask')) expect(span.attributes[LLMTrace.MODEL_CALL_IN_CHILDREN]).toBeUndefined();
    // Per model: the two SDK calls; per function: every function.
    expect(groupStats(store.getRecent(100).map((s) => s.toJSON()), 'model').map((r) => [r.key, r.calls, r.failures])).toEqual([['gpt-4o-mini', 2, 1]]);
    expect(statsFromSummaries(summaries, 'model').map((r) => [r.key, r.calls, r.failures])).toEqual([['gpt-4o-mini', 2, 1]]);
    expect(statsFromSummaries(summaries, 'function').map((r) => [r.key, r.calls]).sort()).toEqual([['agent', 2], ['ask', 2], ['sdk.create', 2]]);
  });

  it('keeps an llm call that embeds its query first a model call with its own usage: only a call of its own kind below makes it a wrapper', async () => {
    const store = freshStore();
    const embed = traced(async (_text: string) => ({ object: 'list', model: 'text-embedding-3-small', data: [], usage: { prompt_tokens: 3, total_tokens: 3 } }), { name: 'embed', kind: 'embedding' });
    const answer = traced(async (question: string) => {
      await embed(question);
      return { ...response, model: 'gpt-4o-mini' }; // the chat request made here, not through a traced client
    }, { name: 'answer' });
    await answer('what is a span?');
    const [span] = store.query((s) => s.name === 'answer');
    expect(span!.attributes[LLMTrace.MODEL_CALL_IN_CHILDREN]).toBeUndefined();
    // Its own tokens and cost too: the embedding's usage below is another call's.
    expect(span!.attributes[LLMTrace.USAGE_IN_CHILDREN]).toBeUndefined();
    expect(span!.attributes[GenAI.USAGE_INPUT_TOKENS]).toBe(1_000);
    expect(typeof span!.attributes[LLMTrace.COST_USD]).toBe('number');
    expect(groupStats(store.getRecent(10).map((s) => s.toJSON()), 'model').map((r) => [r.key, r.calls]).sort()).toEqual([['gpt-4o-mini', 1], ['text-embedding-3-small', 1]]);
  });

  it('counts a failure once, where it happened: a call failing with the error of a call below it (or one wrapping it) is marked', async () => {
    const store = freshStore();
    const rateLimited = Object.assign(new Error('429 rate limited'), { status: 429 });
    const sdkCall = traced(async () => {
      throw rateLimited;
    }, { name: 'sdk.create' });
    const ask = traced(async () => sdkCall(), { name: 'ask' }); // passes the SDK's error on
    const retrying = traced(async () => {
      try {
        await ask();
      } catch (error) {
        throw new Error('gave up after retries', { cause: error }); // wraps it
      }
    }, { name: 'retrying', kind: 'chain' });
    const own = traced(async () => {
      await ask().catch(() => undefined); // handled: its own failure below is another one
      throw new TypeError('bad tool input');
    }, { name: 'tool', kind: 'tool' });
    // A sibling passing the same error on (a LangChain output parser after its model's failed stream).
    const parse = traced(async (error: unknown) => {
      throw error;
    }, { name: 'parse', kind: 'chain' });
    const pipeline = traced(async () => {
      const failed = await sdkCall().catch((error: unknown) => error);
      await parse(failed);
    }, { name: 'pipeline', kind: 'chain' });
    await expect(retrying()).rejects.toThrow('gave up after retries');
    await expect(own()).rejects.toThrow('bad tool input');
    await expect(pipeline()).rejects.toThrow('429 rate limited');
    expect(store.query((s) => s.name === 'parse' || s.name === 'pipeline').map((s) => s.attributes[LLMTrace.ERROR_IN_CHILDREN])).toEqual([true, true]);
    const marked = (name: string) => store.query((s) => s.name === name).map((s) => s.attributes[LLMTrace.ERROR_IN_CHILDREN] ?? false);
    expect(marked('sdk.create')).toEqual([false, false, false]);
    expect(marked('ask')).toEqual([true, true]);
    expect(marked('retrying')).toEqual([true]);
    expect(marked('tool')).toEqual([false]);
    // llmtrace errors: the two SDK failures and the tool's own, nothing counted twice.
    const groups = groupErrors(store.getRecent(100).map((s) => s.toJSON()));
    expect(groups.map((g) => [g.type, g.count]).sort()).toEqual([['Error', 3], ['TypeError', 1]]);
  });

  it('keeps usage on a traced function that called no traced model below it', async () => {
    const store = freshStore();
    const direct = traced(async () => response, { name: 'direct' });
    await direct();
    const span = store.getRecent(1)[0]!;
    expect(span.attributes[GenAI.USAGE_OUTPUT_TOKENS]).toBe(500);
    expect(span.attributes[LLMTrace.USAGE_IN_CHILDREN]).toBeUndefined();
  });
});
