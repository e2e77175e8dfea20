/**
 * How one streamed item of a provider's own stream reads: whether it is content (it times the first
 * token and counts as a chunk) and which facts it carries.
 */
import { describe, expect, it } from '@jest/globals';
import { readProviderStreamItem } from '../../../lib/extract/stream-events.js';

const ollama = (fields: Record<string, unknown>) => ({ model: 'llama3.2', created_at: '2025-06-01T10:00:00Z', done: false, ...fields });

describe('readProviderStreamItem on Ollama stream items', () => {
  it('counts text, thinking and tool calls as content, not an empty item', () => {
    expect(readProviderStreamItem(ollama({ message: { role: 'assistant', content: 'Hi' } }))).toEqual({ content: true });
    expect(readProviderStreamItem(ollama({ message: { role: 'assistant', content: '', thinking: 'Hmm' } }))).toEqual({ content: true });
    const toolCall = { function: { name: 'weather', arguments: { city: 'Paris' } } };
    expect(readProviderStreamItem(ollama({ message: { role: 'assistant', content: '', tool_calls: [toolCall] } }))).toEqual({ content: true });
    expect(readProviderStreamItem(ollama({ response: 'Once' }))).toEqual({ content: true });
    expect(readProviderStreamItem(ollama({ message: { role: 'assistant', content: '' } }))).toEqual({ content: false });
  });

  it('reads the counts and done reason of the empty done item without counting it', () => {
    const done = ollama({ message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', prompt_eval_count: 26, eval_count: 298 });
    expect(readProviderStreamItem(done)).toMatchObject({
      content: false,
      result: { provider: 'ollama', model: 'llama3.2', inputTokens: 26, outputTokens: 298, finishReasons: ['stop'] },
    });
  });

  it('leaves other shapes with a done field to the extractor registry', () => {
    expect(readProviderStreamItem({ done: true, eval_count: 4 })).toBeUndefined();
  });
});
