/**
 * The GenAI message schema from the request and result shapes of each SDK (payloads as the SDKs'
 * types and docs give them), and the cap that keeps the JSON valid.
 */
import { fitMessages } from '../../lib/messages/fit-messages.js';
import { inputMessagesOf } from '../../lib/messages/input-messages.js';
import { outputMessagesOf } from '../../lib/messages/output-messages.js';
import { expectInputMessages, expectOutputMessages } from '../helpers/message-schema.js';

describe('inputMessagesOf', () => {
  it('reads OpenAI chat messages with content parts, tool calls and tool results, in order', () => {
    const request = {
      model: 'gpt-4o-mini',
      messages: [
        { role: 'developer', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }, { type: 'image_url', image_url: { url: 'https://x.test/p.png' } }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'rainy, 57F' },
      ],
    };
    const found = inputMessagesOf([request], 'gpt-4o-mini')!;
    expectInputMessages(found.messages);
    expect(found.system).toBeUndefined(); // instructions in the history stay there
    expect(found.messages).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'Be brief.' }] },
      { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }, { type: 'uri', modality: 'image', uri: 'https://x.test/p.png' }] },
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }] },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_1', response: 'rainy, 57F' }] },
    ]);
  });

  it('reads Anthropic system apart, blocks, tool use and results; inline images keep no bytes', () => {
    const request = {
      model: 'claude-haiku-4-5',
      max_tokens: 100,
      system: [{ type: 'text', text: 'You are terse.' }],
      messages: [
        { role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } }, { type: 'text', text: 'What is this?' }] },
        { role: 'assistant', content: [{ type: 'thinking', thinking: 'A logo.', signature: 's' }, { type: 'tool_use', id: 'tu_1', name: 'lookup', input: { q: 'logo' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'tu_1', content: [{ type: 'text', text: 'ACME' }] }] },
      ],
    };
    const found = inputMessagesOf([request])!;
    expectInputMessages(found.messages);
    expect(found.system).toEqual([{ type: 'text', content: 'You are terse.' }]);
    expect(found.messages[0]!.parts[0]).toEqual({ type: 'blob', modality: 'image', mime_type: 'image/png', content: '', 'llmtrace.omitted_bytes': 12 });
    expect(found.messages[1]!.parts).toEqual([
      { type: 'reasoning', content: 'A logo.' },
      { type: 'tool_call', id: 'tu_1', name: 'lookup', arguments: { q: 'logo' } },
    ]);
    expect(found.messages[2]!.parts).toEqual([{ type: 'tool_call_response', id: 'tu_1', response: 'ACME' }]);
  });

  it('reads Gemini contents (string, Content list) with systemInstruction, and model role as assistant', () => {
    expect(inputMessagesOf([{ model: 'gemini-2.5-flash', contents: 'Hi' }])).toEqual({ messages: [{ role: 'user', parts: [{ type: 'text', content: 'Hi' }] }] });
    const found = inputMessagesOf([
      {
        model: 'gemini-2.5-flash',
        contents: [
          { role: 'user', parts: [{ text: 'Add 2 and 3' }] },
          { role: 'model', parts: [{ functionCall: { name: 'add', args: { a: 2, b: 3 } } }] },
          { role: 'user', parts: [{ functionResponse: { name: 'add', response: { sum: 5 } } }] },
        ],
        config: { systemInstruction: 'Use tools.' },
      },
    ])!;
    expectInputMessages(found.messages);
    expect(found.system).toEqual([{ type: 'text', content: 'Use tools.' }]);
    expect(found.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(found.messages[1]!.parts).toEqual([{ type: 'tool_call', name: 'add', arguments: { a: 2, b: 3 } }]);
    expect(found.messages[2]!.parts).toEqual([{ type: 'tool_call_response', response: { sum: 5 } }]);
  });

  it('reads Bedrock Converse, OpenAI Responses input and instructions, and AI SDK prompts', () => {
    const converse = inputMessagesOf([{ modelId: 'anthropic.claude-3-haiku', system: [{ text: 'Sys' }], messages: [{ role: 'user', content: [{ text: 'Hello' }] }] }])!;
    expect(converse).toEqual({ system: [{ type: 'text', content: 'Sys' }], messages: [{ role: 'user', parts: [{ type: 'text', content: 'Hello' }] }] });
    const responses = inputMessagesOf([
      { model: 'gpt-5.1', instructions: 'Be kind.', input: [{ role: 'user', content: [{ type: 'input_text', text: 'Hi' }] }, { type: 'function_call_output', call_id: 'c1', output: '42' }] },
    ])!;
    expectInputMessages(responses.messages);
    expect(responses.system).toEqual([{ type: 'text', content: 'Be kind.' }]);
    expect(responses.messages[1]).toEqual({ role: 'tool', parts: [{ type: 'tool_call_response', id: 'c1', response: '42' }] });
    // The AI SDK language-model prompt (what llmtraceMiddleware sees).
    const aiSdk = inputMessagesOf([
      {
        prompt: [
          { role: 'system', content: 'Sys' },
          { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
          { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 't1', toolName: 'search', input: { q: 'x' } }] },
          { role: 'tool', content: [{ type: 'tool-result', toolCallId: 't1', toolName: 'search', output: { type: 'text', value: 'found' } }] },
        ],
      },
    ])!;
    expectInputMessages(aiSdk.messages);
    expect(aiSdk.messages[2]!.parts).toEqual([{ type: 'tool_call', id: 't1', name: 'search', arguments: { q: 'x' } }]);
    expect(aiSdk.messages[3]!.parts).toEqual([{ type: 'tool_call_response', id: 't1', response: { type: 'text', value: 'found' } }]);
  });

  it('reads a decorated method\'s (model, messages) and (prompt) arguments, and LangChain messages', () => {
    expect(inputMessagesOf(['gpt-4o', [{ role: 'user', content: 'Hi' }]], 'gpt-4o')).toEqual({ messages: [{ role: 'user', parts: [{ type: 'text', content: 'Hi' }] }] });
    expect(inputMessagesOf(['gpt-4o', 'Hi'], 'gpt-4o')).toEqual({ messages: [{ role: 'user', parts: [{ type: 'text', content: 'Hi' }] }] });
    expect(inputMessagesOf(['What is 2+2?'])).toEqual({ messages: [{ role: 'user', parts: [{ type: 'text', content: 'What is 2+2?' }] }] });
    // Two strings that could each be the prompt: no guess, the raw capture is used.
    expect(inputMessagesOf(['prompt', 'key'])).toBeUndefined();
    expect(inputMessagesOf([42, { temperature: 1 }])).toBeUndefined();
    class HumanMessage {
      constructor(readonly content: string) {}
      _getType(): string {
        return 'human';
      }
    }
    expect(inputMessagesOf([[[new HumanMessage('Hello')]]])).toEqual({ messages: [{ role: 'user', parts: [{ type: 'text', content: 'Hello' }] }] });
  });

  it('keeps the most recent 64 messages of a long history', () => {
    const messages = Array.from({ length: 100 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: `m${i}` }));
    const found = inputMessagesOf([{ messages }])!;
    expect(found.messages).toHaveLength(64);
    expect(found.messages[63]!.parts).toEqual([{ type: 'text', content: 'm99' }]);
  });
});

describe('outputMessagesOf', () => {
  it('reads OpenAI chat choices with finish reasons and tool calls', () => {
    const out = outputMessagesOf({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      model: 'gpt-4o-mini',
      choices: [
        { index: 0, message: { role: 'assistant', content: 'Paris.' }, finish_reason: 'stop' },
        { index: 1, message: { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }] }, finish_reason: 'tool_calls' },
      ],
    })!;
    expectOutputMessages(out);
    expect(out).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'Paris.' }], finish_reason: 'stop' },
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'c', name: 'f', arguments: {} }], finish_reason: 'tool_calls' },
    ]);
  });

  it('reads Anthropic, Gemini, Bedrock, Ollama, Responses, AI SDK and LangChain results', () => {
    const cases: [unknown, unknown][] = [
      [{ id: 'msg_1', type: 'message', role: 'assistant', content: [{ type: 'text', text: 'Hi' }], stop_reason: 'end_turn' }, [{ role: 'assistant', parts: [{ type: 'text', content: 'Hi' }], finish_reason: 'end_turn' }]],
      [{ candidates: [{ content: { role: 'model', parts: [{ text: 'Hi' }] }, finishReason: 'STOP' }] }, [{ role: 'assistant', parts: [{ type: 'text', content: 'Hi' }], finish_reason: 'STOP' }]],
      [{ output: { message: { role: 'assistant', content: [{ text: 'Hi' }] } }, stopReason: 'end_turn' }, [{ role: 'assistant', parts: [{ type: 'text', content: 'Hi' }], finish_reason: 'end_turn' }]],
      [{ model: 'llama3', message: { role: 'assistant', content: 'Hi', thinking: 'hmm' }, done: true, done_reason: 'stop' }, [{ role: 'assistant', parts: [{ type: 'reasoning', content: 'hmm' }, { type: 'text', content: 'Hi' }], finish_reason: 'stop' }]],
      [{ model: 'llama3', response: 'Hi', done: true, done_reason: 'stop' }, [{ role: 'assistant', parts: [{ type: 'text', content: 'Hi' }], finish_reason: 'stop' }]],
      [
        { object: 'response', status: 'completed', output: [{ type: 'reasoning', summary: [{ type: 'summary_text', text: 'think' }] }, { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hi' }] }] },
        [{ role: 'assistant', parts: [{ type: 'reasoning', content: 'think' }, { type: 'text', content: 'Hi' }], finish_reason: 'stop' }],
      ],
      [{ content: [{ type: 'text', text: 'Hi' }], finishReason: { unified: 'stop', raw: 'stop' }, usage: {} }, [{ role: 'assistant', parts: [{ type: 'text', content: 'Hi' }], finish_reason: 'stop' }]],
      [{ text: 'Hi', finishReason: 'length', toolCalls: [] }, [{ role: 'assistant', parts: [{ type: 'text', content: 'Hi' }], finish_reason: 'length' }]],
      [{ content: 'Hi', tool_calls: [], response_metadata: { finish_reason: 'stop' } }, [{ role: 'assistant', parts: [{ type: 'text', content: 'Hi' }], finish_reason: 'stop' }]],
      ['plain answer', [{ role: 'assistant', parts: [{ type: 'text', content: 'plain answer' }], finish_reason: 'unknown' }]],
    ];
    for (const [result, expected] of cases) {
      const out = outputMessagesOf(result);
      expect(out).toEqual(expected);
      expectOutputMessages(out!);
    }
    expect(outputMessagesOf({ object: 'list', data: [{ embedding: [0.1] }] })).toBeUndefined();
    expect(outputMessagesOf(42)).toBeUndefined();
  });
});

describe('fitMessages', () => {
  const history = Array.from({ length: 40 }, (_, i) => ({ role: 'user', parts: [{ type: 'text', content: `${i} `.padEnd(400, 'é') }] }));

  it('keeps whole recent messages within the cap, as valid JSON', () => {
    const { json, truncated } = fitMessages(history, 4096, 'last');
    expect(truncated).toBe(true);
    expect(Buffer.byteLength(json, 'utf8')).toBeLessThanOrEqual(4096);
    const kept = JSON.parse(json) as typeof history;
    expect(kept.length).toBeGreaterThan(1);
    expect(kept.at(-1)).toEqual(history.at(-1)); // the newest message is whole
    expect(kept[0]!.parts[0]!.content.startsWith(`${40 - kept.length} `)).toBe(true); // in order, a contiguous tail
  });

  it('cuts the text of a single message that alone is over the cap, never splitting a character', () => {
    const big = [{ role: 'assistant', parts: [{ type: 'text', content: 'é'.repeat(10_000) }], finish_reason: 'stop' }];
    const { json, truncated } = fitMessages(big, 1000, 'first');
    expect(truncated).toBe(true);
    expect(Buffer.byteLength(json, 'utf8')).toBeLessThanOrEqual(1000);
    const [message] = JSON.parse(json) as typeof big;
    expect(message!.finish_reason).toBe('stop');
    expect(message!.parts[0]!.content).toMatch(/^é{300,}$/);
  });

  it('leaves a list that fits as it is', () => {
    expect(fitMessages(history.slice(0, 2), 8192, 'last')).toEqual({ json: JSON.stringify(history.slice(0, 2)), truncated: false });
  });
});
