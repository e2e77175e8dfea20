/**
 * What a finished call keeps of the caller's values: nothing. A 1 MB prompt passed to a traced
 * function can be collected as soon as the caller drops it, whether the call returned, resolved,
 * threw or streamed, although the recorder keeps its last ended call (active-call.ts, `lastEnded`).
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { configure, traced, TraceStore } from '../../../index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** A fresh prompt of about 1 MB, as a chat call takes it. */
function bigMessages(): { role: string; content: string }[] {
  return [{ role: 'user', content: 'x'.repeat(1024 * 1024) + String(Math.random()) }];
}

/** Whether the object behind `ref` was collected (after the current job, so WeakRefs can clear). */
async function collected(ref: WeakRef<object>): Promise<boolean> {
  await nextTurn();
  gc();
  await nextTurn();
  gc();
  return ref.deref() === undefined;
}

beforeEach(() => {
  configure({ store: new TraceStore({ maxSpans: 100 }) });
});

describe('a finished call keeps none of its arguments', () => {
  it('after a sync return', async () => {
    const chat = traced(function chat(model: string, messages: unknown[]) {
      return { model, choices: [], usage: { prompt_tokens: messages.length, completion_tokens: 1 } };
    });
    const ref = ((): WeakRef<object> => {
      const messages = bigMessages();
      chat('gpt-4o-mini', messages);
      return new WeakRef(messages);
    })();
    expect(await collected(ref)).toBe(true);
  });

  it('after a promise resolves', async () => {
    const chat = traced(async function chat(model: string, messages: unknown[]) {
      return { model, choices: [], usage: { prompt_tokens: messages.length, completion_tokens: 1 } };
    });
    const ref = await (async (): Promise<WeakRef<object>> => {
      const messages = bigMessages();
      await chat('gpt-4o-mini', messages);
      return new WeakRef(messages);
    })();
    expect(await collected(ref)).toBe(true);
  });

  it('after a rejection', async () => {
    const chat = traced(async function chat(_model: string, _messages: unknown[]) {
      throw new Error('429 rate limited');
    });
    const ref = await (async (): Promise<WeakRef<object>> => {
      const messages = bigMessages();
      await chat('gpt-4o-mini', messages).catch(() => undefined);
      return new WeakRef(messages);
    })();
    expect(await collected(ref)).toBe(true);
  });

  it('after a stream is read to its end', async () => {
    const chat = traced(async function* chat(_model: string, messages: unknown[]) {
      yield { choices: [{ delta: { content: 'Hi' } }] };
      yield { choices: [{ delta: {}, finish_reason: 'stop' }], usage: { prompt_tokens: messages.length, completion_tokens: 1 } };
    });
    const ref = await (async (): Promise<WeakRef<object>> => {
      const messages = bigMessages();
      for await (const chunk of chat('gpt-4o-mini', messages)) void chunk;
      return new WeakRef(messages);
    })();
    expect(await collected(ref)).toBe(true);
  });
});
