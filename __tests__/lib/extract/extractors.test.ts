/** Result extraction: pure readers of provider response shapes, and the user-extensible registry. */
import { registerExtractor } from '../../../index.js';
import { extractAnthropicMessage, extractCallResult, extractLlamaCpp, extractOllama, extractOpenAIChat, extractOpenAIEmbedding, extractOpenAIResponse } from '../../../lib/extend/index.js';

const openAIChat = {
  id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
  object: 'chat.completion',
  created: 1741569952,
  model: 'gpt-4o-2024-08-06',
  choices: [
    { index: 0, message: { role: 'assistant', content: 'Hello!', refusal: null }, logprobs: null, finish_reason: 'stop' },
    { index: 1, message: { role: 'assistant', content: 'Hi' }, logprobs: null, finish_reason: 'length' },
  ],
  usage: {
    prompt_tokens: 1117,
    completion_tokens: 46,
    total_tokens: 1163,
    prompt_tokens_details: { cached_tokens: 1024, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
  },
  service_tier: 'default',
  system_fingerprint: 'fp_fc9f1d7035',
};

const openAIResponse = {
  id: 'resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b',
  object: 'response',
  created_at: 1741476542,
  status: 'completed',
  incomplete_details: null,
  model: 'gpt-4.1-2025-04-14',
  output: [{ type: 'message', id: 'msg_1', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Hi' }] }],
  usage: {
    input_tokens: 36,
    input_tokens_details: { cached_tokens: 12 },
    output_tokens: 87,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 123,
  },
};

const openAIEmbedding = {
  object: 'list',
  data: [{ object: 'embedding', index: 0, embedding: [0.0023, -0.0093] }],
  model: 'text-embedding-3-small',
  usage: { prompt_tokens: 8, total_tokens: 8 },
};

const anthropicMessage = {
  id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-20250514',
  content: [{ type: 'text', text: 'Hello!' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: {
    input_tokens: 21,
    cache_creation_input_tokens: 100,
    cache_read_input_tokens: 2048,
    output_tokens: 12,
    service_tier: 'standard',
  },
};

const ollamaChat = {
  model: 'mistral:latest',
  created_at: '2025-01-01T00:00:00.000Z',
  message: { role: 'assistant', content: 'Hello' },
  done_reason: 'stop',
  done: true,
  total_duration: 5191566416,
  load_duration: 2154458,
  prompt_eval_count: 26,
  prompt_eval_duration: 383809000,
  eval_count: 298,
  eval_duration: 4799921000,
};

const ollamaGenerate = {
  model: 'llama3.2',
  created_at: '2025-01-01T00:00:00.000Z',
  response: 'The sky is blue because...',
  done: true,
  done_reason: 'length',
  context: [1, 2, 3],
  prompt_eval_count: 15,
  eval_count: 128,
};

const ollamaEmbed = {
  model: 'all-minilm',
  embeddings: [[0.010071029, -0.0017594862]],
  total_duration: 14143917,
  load_duration: 1019500,
  prompt_eval_count: 8,
};

const llamaCppCompletion = {
  content: ' Paris.',
  id_slot: 0,
  stop: true,
  model: 'gpt-3.5-turbo',
  tokens_predicted: 3,
  tokens_evaluated: 10,
  generation_settings: { n_predict: 16 },
  prompt: 'The capital of France is',
  stop_type: 'eos',
  stopping_word: '',
  tokens_cached: 9,
  timings: { prompt_n: 10, prompt_ms: 12.3, predicted_n: 3, predicted_ms: 40.1 },
};

describe('built-in extractors', () => {
  it('OpenAI chat completion, with cached tokens and one finish reason per choice', () => {
    expect(extractOpenAIChat(openAIChat)).toEqual({
      provider: 'openai',
      model: 'gpt-4o-2024-08-06',
      responseId: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
      inputTokens: 1117,
      outputTokens: 46,
      cachedInputTokens: 1024,
      reasoningTokens: 0,
      finishReasons: ['stop', 'length'],
    });
  });

  it('OpenAI Responses API result', () => {
    expect(extractOpenAIResponse(openAIResponse)).toEqual({
      provider: 'openai',
      model: 'gpt-4.1-2025-04-14',
      responseId: 'resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b',
      inputTokens: 36,
      outputTokens: 87,
      cachedInputTokens: 12,
      reasoningTokens: 0,
      finishReasons: ['completed'],
    });
    const incomplete = { ...openAIResponse, status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
    expect(extractOpenAIResponse(incomplete)?.finishReasons).toEqual(['max_output_tokens']);
  });

  it('OpenAI embeddings', () => {
    expect(extractOpenAIEmbedding(openAIEmbedding)).toEqual({
      provider: 'openai',
      model: 'text-embedding-3-small',
      inputTokens: 8,
    });
  });

  it('Anthropic message: input tokens include cache reads and writes; cache reads are the cached count', () => {
    expect(extractAnthropicMessage(anthropicMessage)).toEqual({
      provider: 'anthropic',
      model: 'claude-sonnet-4-20250514',
      responseId: 'msg_01XFDUDYJgAACzvnptvVoYEL',
      inputTokens: 21 + 100 + 2048,
      outputTokens: 12,
      cachedInputTokens: 2048,
      cacheWriteInputTokens: 100,
      finishReasons: ['end_turn'],
    });
  });

  it('Ollama chat, generate and embed with prompt_eval_count / eval_count', () => {
    expect(extractOllama(ollamaChat)).toEqual({
      provider: 'ollama',
      model: 'mistral:latest',
      inputTokens: 26,
      outputTokens: 298,
      finishReasons: ['stop'],
    });
    expect(extractOllama(ollamaGenerate)).toEqual({
      provider: 'ollama',
      model: 'llama3.2',
      inputTokens: 15,
      outputTokens: 128,
      finishReasons: ['length'],
    });
    expect(extractOllama(ollamaEmbed)).toEqual({ provider: 'ollama', model: 'all-minilm', inputTokens: 8 });
    // A streaming chunk that is not the final one carries no usage.
    expect(extractOllama({ model: 'mistral', message: { content: 'He' }, done: false })).toBeUndefined();
  });

  it('llama.cpp /completion', () => {
    expect(extractLlamaCpp(llamaCppCompletion)).toEqual({
      provider: 'llama.cpp',
      model: 'gpt-3.5-turbo',
      inputTokens: 10,
      outputTokens: 3,
      cachedInputTokens: 9,
      finishReasons: ['eos'],
    });
    expect(extractLlamaCpp({ content: 'x', timings: { prompt_n: 4, predicted_n: 2 }, stopped_limit: true })).toEqual({
      provider: 'llama.cpp',
      inputTokens: 4,
      outputTokens: 2,
      finishReasons: ['limit'],
    });
  });

  it('each extractor returns undefined for foreign shapes and junk', () => {
    const shapes = [openAIChat, openAIResponse, openAIEmbedding, anthropicMessage, ollamaChat, llamaCppCompletion];
    const extractors = [
      extractOpenAIChat,
      extractOpenAIResponse,
      extractOpenAIEmbedding,
      extractAnthropicMessage,
      extractOllama,
      extractLlamaCpp,
    ];
    extractors.forEach((extract, own) => {
      shapes.forEach((shape, i) => {
        if (i !== own) expect(extract(shape)).toBeUndefined();
      });
      for (const junk of [undefined, null, 42, 'text', [], {}, { usage: 'nope' }]) expect(extract(junk)).toBeUndefined();
    });
  });

  it('ignores negative, non-finite or non-numeric token counts', () => {
    const bad = { ...openAIChat, usage: { prompt_tokens: -1, completion_tokens: Number.NaN, prompt_tokens_details: { cached_tokens: '5' } } };
    const result = extractOpenAIChat(bad)!;
    expect(result.inputTokens).toBeUndefined();
    expect(result.outputTokens).toBeUndefined();
    expect(result.cachedInputTokens).toBeUndefined();
  });
});

describe('extractor registry', () => {
  it('picks the right built-in for each shape and returns undefined for unknown ones', () => {
    expect(extractCallResult(anthropicMessage)?.provider).toBe('anthropic');
    expect(extractCallResult(ollamaEmbed)?.provider).toBe('ollama');
    expect(extractCallResult(llamaCppCompletion)?.provider).toBe('llama.cpp');
    expect(extractCallResult({ foo: 1 })).toBeUndefined();
    expect(extractCallResult('plain text')).toBeUndefined();
  });

  it('a registered extractor wins over the built-ins and can be removed', () => {
    const remove = registerExtractor((r) =>
      (r as { object?: string }).object === 'chat.completion' ? { model: 'mine', outputTokens: 1 } : undefined,
    );
    try {
      expect(extractCallResult(openAIChat)).toEqual({ model: 'mine', outputTokens: 1 });
      expect(extractCallResult(anthropicMessage)?.provider).toBe('anthropic');
    } finally {
      remove();
    }
    expect(extractCallResult(openAIChat)?.model).toBe('gpt-4o-2024-08-06');
  });

  it('a throwing registered extractor counts as "not mine"', () => {
    const remove = registerExtractor(() => {
      throw new Error('bug');
    });
    try {
      expect(extractCallResult(openAIChat)?.provider).toBe('openai');
    } finally {
      remove();
    }
  });

  it('rejects a non-function with a TypeError', () => {
    expect(() => registerExtractor('x' as never)).toThrow(/^llmtrace: registerExtractor needs a function, got string/);
  });
});
