/**
 * Test helper: records one multi-span trace through the public API: a `run` scope containing a
 * successful chat call (content captured, usage extracted), a failing tool call (an exception
 * event), and a custom event on the run. Returns the finished spans by name.
 */
import { addEvent, traced, withSpan, type Span, type TraceStore } from '../../index.js';

/** A chat completion as OpenAI returns it. */
export const CHAT_RESPONSE = {
  object: 'chat.completion',
  id: 'chatcmpl-42',
  model: 'gpt-4o-mini-2024-07-18',
  choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Paris.' } }],
  usage: { prompt_tokens: 12, completion_tokens: 3 },
};

/** The error the tool call throws. */
export class LookupTimeoutError extends Error {}

/** The spans of the sample trace. */
export interface SampleTrace {
  run: Span;
  chat: Span;
  lookup: Span;
}

/** Records the sample trace into `store` (which must be the configured default or named here). */
export async function recordSampleTrace(store: TraceStore): Promise<SampleTrace> {
  const chat = traced(async (_prompt: string, _model: string) => CHAT_RESPONSE, {
    name: 'chat',
    modelParam: 1,
    capture: 'full',
    store,
    attributes: () => ({ 'app.unpriced': null, 'app.tags': ['geo', 'quiz'] }),
  });
  const lookup = traced(
    async (_city: string) => {
      throw new LookupTimeoutError('lookup timed out');
    },
    { name: 'lookup', kind: 'tool', store },
  );
  await withSpan('agent_run', { kind: 'run', attributes: { 'app.user': 'u-1' }, store }, async () => {
    await chat('Capital of France?', 'gpt-4o-mini');
    await lookup('Paris').catch(() => undefined);
    addEvent('checkpoint', { step: 2 });
  });
  const byName = (name: string): Span => store.query((s) => s.name === name)[0]!;
  return { run: byName('agent_run'), chat: byName('chat'), lookup: byName('lookup') };
}
