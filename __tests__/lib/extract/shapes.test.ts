/**
 * The response shapes beyond the typed OpenAI/Anthropic/Ollama objects: each payload below follows the
 * SDK's own types or the provider's documented example (named per payload), and each is read with the
 * provider's exact counts, the response's model, and reasoning and cache tokens where reported.
 */
import { extractAISdkResult, extractAnthropicMessage, extractBedrockConverse, extractCallResult, extractCohere, extractGemini, extractLangChain, extractOpenAICompatible, extractOpenAIChat } from '../../../lib/extend/index.js';

/** LiteLLM proxy `ModelResponse` as a wrapper returns it after dropping `object` (LiteLLM docs, "Response format"). */
const liteLLM = {
  id: 'chatcmpl-565d891b-a42e-4c39-8d14-82a1f5208885',
  created: 1734366691,
  model: 'claude-3-sonnet-20240229',
  choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Hello!' } }],
  usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 },
};

/** groq-sdk `ChatCompletion` (`x_groq`, Groq's timing fields in `usage`). */
const groq = {
  id: 'chatcmpl-f51b2cd2-bef7-417e-964e-a08f0b513c22',
  object: 'chat.completion',
  created: 1730241104,
  model: 'llama-3.3-70b-versatile',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Fast.' }, logprobs: null, finish_reason: 'stop' }],
  usage: {
    queue_time: 0.037493756,
    prompt_tokens: 18,
    prompt_time: 0.000680594,
    completion_tokens: 556,
    completion_time: 0.463333333,
    total_tokens: 574,
    total_time: 0.464013927,
  },
  system_fingerprint: 'fp_179b0f92c9',
  x_groq: { id: 'req_01jbd6g2qdfw2adyrt2az8hz4w' },
};

/** @mistralai/mistralai `ChatCompletionResponse` (the SDK converts wire names to camelCase). */
const mistral = {
  id: 'cf79f7daaee244b1a0ae5c7b1444424a',
  object: 'chat.completion',
  model: 'mistral-small-latest',
  usage: { promptTokens: 9, completionTokens: 25, totalTokens: 34 },
  created: 1725979580,
  choices: [{ index: 0, message: { role: 'assistant', content: 'Bonjour' }, finishReason: 'stop' }],
};

/** ai@6 `generateText` result (`LanguageModelUsage` with token details; `response.modelId`). */
const aiSdk6 = {
  text: 'Hello!',
  finishReason: 'stop',
  usage: {
    inputTokens: 1200,
    inputTokenDetails: { noCacheTokens: 176, cacheReadTokens: 1024, cacheWriteTokens: undefined },
    outputTokens: 310,
    outputTokenDetails: { textTokens: 54, reasoningTokens: 256 },
    totalTokens: 1510,
    reasoningTokens: 256,
    cachedInputTokens: 1024,
  },
  totalUsage: {
    inputTokens: 2400,
    inputTokenDetails: { noCacheTokens: 352, cacheReadTokens: 2048, cacheWriteTokens: 0 },
    outputTokens: 620,
    outputTokenDetails: { textTokens: 108, reasoningTokens: 512 },
    totalTokens: 3020,
  },
  response: { id: 'resp_abc123', modelId: 'gpt-5-mini-2025-08-07', timestamp: new Date(0), headers: {} },
  steps: [{}, {}],
  providerMetadata: { openai: { reasoningTokens: 512 } },
};

/** ai@4 `generateText` result (`LanguageModelUsage` was `promptTokens/completionTokens`). */
const aiSdk4 = {
  text: 'Hi',
  finishReason: 'length',
  usage: { promptTokens: 14, completionTokens: 100, totalTokens: 114 },
  response: { id: 'chatcmpl-9', modelId: 'gpt-4o-mini-2024-07-18', timestamp: new Date(0) },
  warnings: [],
};

/** ai `embedMany` result (`usage: { tokens }`; the model is not in the result). */
const aiSdkEmbed = { values: ['a', 'b'], embeddings: [[0.1], [0.2]], usage: { tokens: 6 } };

/** @langchain/anthropic `AIMessage` (`usage_metadata` with cache details, `response_metadata` from the message). */
const langChainAnthropic = {
  id: 'msg_01QwhXkyfCL4ZJKjt9bSpF8d',
  content: 'Hello!',
  additional_kwargs: {},
  response_metadata: {
    id: 'msg_01QwhXkyfCL4ZJKjt9bSpF8d',
    model: 'claude-3-5-haiku-20241022',
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 12, output_tokens: 9, cache_creation_input_tokens: 300, cache_read_input_tokens: 1500 },
    type: 'message',
    role: 'assistant',
    model_provider: 'anthropic',
  },
  tool_calls: [],
  invalid_tool_calls: [],
  usage_metadata: {
    input_tokens: 1812,
    output_tokens: 9,
    total_tokens: 1821,
    input_token_details: { cache_creation: 300, cache_read: 1500 },
  },
};

/** @langchain/openai `AIMessage` (`model_name`, `finish_reason`, reasoning in `output_token_details`). */
const langChainOpenAI = {
  id: 'chatcmpl-BHuUVfQeZ7s8bJ1QkbTCmp5Twn1Jf',
  content: '4',
  response_metadata: {
    tokenUsage: { promptTokens: 13, completionTokens: 210, totalTokens: 223 },
    finish_reason: 'stop',
    model_name: 'o4-mini-2025-04-16',
    model_provider: 'openai',
  },
  usage_metadata: {
    input_tokens: 13,
    output_tokens: 210,
    total_tokens: 223,
    input_token_details: { audio: 0, cache_read: 0 },
    output_token_details: { audio: 0, reasoning: 192 },
  },
};

/** @google/genai `GenerateContentResponse` (a thinking model: `thoughtsTokenCount`, cached content). */
const gemini = {
  candidates: [
    { content: { parts: [{ text: 'Paris.' }], role: 'model' }, finishReason: 'STOP', index: 0 },
  ],
  usageMetadata: {
    promptTokenCount: 2100,
    candidatesTokenCount: 12,
    totalTokenCount: 2515,
    cachedContentTokenCount: 2048,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: 2100 }],
    cacheTokensDetails: [{ modality: 'TEXT', tokenCount: 2048 }],
    thoughtsTokenCount: 403,
  },
  modelVersion: 'gemini-2.5-flash',
  responseId: 'mAitaLmkHPPlz7IPvtfUqQ4',
};

/** @aws-sdk/client-bedrock-runtime `ConverseCommandOutput` with prompt caching (AWS prompt-caching guide). */
const bedrock = {
  $metadata: { httpStatusCode: 200, requestId: '1f1a8b0c-6f7e-4b8a-9a2e-2b9e1a1d3c4f', attempts: 1, totalRetryDelay: 0 },
  output: { message: { role: 'assistant', content: [{ text: 'Done.' }] } },
  stopReason: 'end_turn',
  usage: { inputTokens: 10, outputTokens: 329, totalTokens: 2386, cacheReadInputTokens: 2047, cacheWriteInputTokens: 0 },
  metrics: { latencyMs: 3622 },
};

/** Cohere v2 `/v2/chat` wire response (Cohere API reference). */
const cohereWire = {
  id: 'c14c80c3-18eb-4519-9460-6c92edd8cfb4',
  finish_reason: 'COMPLETE',
  message: { role: 'assistant', content: [{ type: 'text', text: 'LLMs are...' }] },
  usage: { billed_units: { input_tokens: 17, output_tokens: 12 }, tokens: { input_tokens: 215, output_tokens: 12 }, cached_tokens: 0 },
};

/** cohere-ai `V2ChatResponse` (the SDK returns camelCase: `finishReason`, `usage.billedUnits`). */
const cohereSdk = {
  id: '5a50480a-cf52-46f0-af01-53d18539bd31',
  finishReason: 'MAX_TOKENS',
  message: { role: 'assistant', content: [{ type: 'text', text: '...' }] },
  usage: { billedUnits: { inputTokens: 5, outputTokens: 20 }, tokens: { inputTokens: 71, outputTokens: 20 } },
};

/** An Anthropic `Message` after a wrapper dropped `type: 'message'`. */
const anthropicUntyped = {
  id: 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
  role: 'assistant',
  model: 'claude-sonnet-4-5-20250929',
  content: [{ type: 'text', text: 'Hi!' }],
  stop_reason: 'max_tokens',
  stop_sequence: null,
  usage: { input_tokens: 2095, output_tokens: 503, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
};

describe('OpenAI-compatible JSON', () => {
  it('reads a record without `object` (LiteLLM, vLLM, Together style) with the response model and no guessed provider', () => {
    expect(extractOpenAICompatible(liteLLM)).toEqual({
      model: 'claude-3-sonnet-20240229',
      responseId: 'chatcmpl-565d891b-a42e-4c39-8d14-82a1f5208885',
      inputTokens: 11,
      outputTokens: 7,
      finishReasons: ['stop'],
    });
    expect(extractCallResult({ model: 'm', usage: { prompt_tokens: 11, completion_tokens: 7 } })).toEqual({
      model: 'm',
      inputTokens: 11,
      outputTokens: 7,
    });
  });

  it('files Groq responses under groq, with the counts Groq reports', () => {
    expect(extractCallResult(groq)).toEqual({
      provider: 'groq',
      model: 'llama-3.3-70b-versatile',
      responseId: 'chatcmpl-f51b2cd2-bef7-417e-964e-a08f0b513c22',
      inputTokens: 18,
      outputTokens: 556,
      finishReasons: ['stop'],
    });
    const { object: _object, ...withoutObject } = groq;
    expect(extractCallResult(withoutObject)?.provider).toBe('groq');
  });

  it("reads a Groq stream's usage from its last chunk's x_groq.usage; a top-level usage wins", () => {
    const last = {
      id: 'chatcmpl-f51b2cd2',
      object: 'chat.completion.chunk',
      model: 'llama-3.3-70b-versatile',
      choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }],
      x_groq: { id: 'req_01jbd6g2qd', usage: groq.usage },
    };
    expect(extractCallResult(last)).toMatchObject({ provider: 'groq', model: 'llama-3.3-70b-versatile', inputTokens: 18, outputTokens: 556, finishReasons: ['stop'] });
    expect(extractCallResult({ ...last, usage: { prompt_tokens: 3, completion_tokens: 4 } })).toMatchObject({ inputTokens: 3, outputTokens: 4 });
    expect(extractCallResult({ ...last, usage: null })).toMatchObject({ inputTokens: 18, outputTokens: 556 });
  });

  it("reads Mistral's camelCase SDK records", () => {
    expect(extractOpenAIChat(mistral)).toMatchObject({ model: 'mistral-small-latest', inputTokens: 9, outputTokens: 25, finishReasons: ['stop'] });
    const { object: _object, ...withoutObject } = mistral;
    expect(extractCallResult(withoutObject)).toMatchObject({ model: 'mistral-small-latest', inputTokens: 9, outputTokens: 25 });
  });
});

describe('Vercel AI SDK results', () => {
  it('ai 5+: total usage of all steps wins over the last step, with cache and reasoning details', () => {
    expect(extractAISdkResult(aiSdk6)).toEqual({
      model: 'gpt-5-mini-2025-08-07',
      responseId: 'resp_abc123',
      inputTokens: 2400,
      outputTokens: 620,
      cachedInputTokens: 2048,
      cacheWriteInputTokens: 0,
      reasoningTokens: 512,
      finishReasons: ['stop'],
    });
    const { totalUsage: _total, ...oneStep } = aiSdk6;
    expect(extractCallResult(oneStep)).toMatchObject({ inputTokens: 1200, outputTokens: 310, cachedInputTokens: 1024, reasoningTokens: 256 });
  });

  it('ai 4: promptTokens/completionTokens', () => {
    expect(extractCallResult(aiSdk4)).toEqual({
      model: 'gpt-4o-mini-2024-07-18',
      responseId: 'chatcmpl-9',
      inputTokens: 14,
      outputTokens: 100,
      finishReasons: ['length'],
    });
  });

  it('embed and embedMany: usage.tokens as input tokens', () => {
    expect(extractCallResult(aiSdkEmbed)).toEqual({ inputTokens: 6 });
  });

  it('never reads the lazy promise fields of a streamText/streamObject result', () => {
    const touched: string[] = [];
    const result = Object.create({
      get textStream() {
        touched.push('textStream');
        return undefined;
      },
    }) as Record<string, unknown>;
    for (const key of ['usage', 'totalUsage', 'finishReason', 'response', 'object', 'text']) {
      Object.defineProperty(result, key, {
        get() {
          touched.push(key);
          return Promise.reject(new Error('stream failed'));
        },
      });
    }
    expect(extractCallResult(result)).toBeUndefined();
    expect(touched).toEqual([]);
  });
});

describe('LangChain messages', () => {
  it('Anthropic-backed AIMessage: usage_metadata counts (cache included), model and stop reason from response_metadata', () => {
    expect(extractLangChain(langChainAnthropic)).toEqual({
      provider: 'anthropic',
      model: 'claude-3-5-haiku-20241022',
      responseId: 'msg_01QwhXkyfCL4ZJKjt9bSpF8d',
      inputTokens: 1812,
      outputTokens: 9,
      cachedInputTokens: 1500,
      cacheWriteInputTokens: 300,
      finishReasons: ['end_turn'],
    });
  });

  it('OpenAI-backed AIMessage: model_name, finish_reason and reasoning tokens', () => {
    expect(extractCallResult(langChainOpenAI)).toEqual({
      provider: 'openai',
      model: 'o4-mini-2025-04-16',
      responseId: 'chatcmpl-BHuUVfQeZ7s8bJ1QkbTCmp5Twn1Jf',
      inputTokens: 13,
      outputTokens: 210,
      cachedInputTokens: 0,
      reasoningTokens: 192,
      finishReasons: ['stop'],
    });
  });

  it('LLMResult: llmOutput.tokenUsage', () => {
    const llmResult = { generations: [[{ text: 'x' }]], llmOutput: { tokenUsage: { promptTokens: 5, completionTokens: 2, totalTokens: 7 } } };
    expect(extractCallResult(llmResult)).toEqual({ inputTokens: 5, outputTokens: 2 });
  });
});

describe('Gemini', () => {
  it('generateContent: thinking tokens are output (and reasoning), cached content is part of the prompt', () => {
    expect(extractGemini(gemini)).toEqual({
      provider: 'gcp.gemini',
      model: 'gemini-2.5-flash',
      responseId: 'mAitaLmkHPPlz7IPvtfUqQ4',
      inputTokens: 2100,
      outputTokens: 12 + 403,
      cachedInputTokens: 2048,
      reasoningTokens: 403,
      finishReasons: ['STOP'],
    });
    expect(extractCallResult(gemini)?.outputTokens).toBe(415);
  });

  it('a stream chunk without usage still names the model; @google/generative-ai results wrap the response', () => {
    expect(extractCallResult({ candidates: [{ content: { parts: [{ text: 'Pa' }] } }], modelVersion: 'gemini-2.0-flash' })).toEqual({
      provider: 'gcp.gemini',
      model: 'gemini-2.0-flash',
    });
    expect(extractCallResult({ response: gemini })?.inputTokens).toBe(2100);
  });

  it('embedContent: token counts from Vertex statistics, nothing invented on the Gemini API', () => {
    const vertex = { embeddings: [{ values: [0.1], statistics: { tokenCount: 4, truncated: false } }, { values: [0.2], statistics: { tokenCount: 6 } }] };
    expect(extractCallResult(vertex)).toEqual({ provider: 'gcp.vertex_ai', inputTokens: 10 });
    expect(extractCallResult({ embeddings: [{ values: [0.1] }] })).toEqual({ provider: 'gcp.gemini' });
  });

  it('names the backend as the conventions do: gcp.gemini for the Gemini API, gcp.vertex_ai for a response with Vertex-only fields', () => {
    expect(extractCallResult(gemini)?.provider).toBe('gcp.gemini');
    const vertex = { ...gemini, createTime: '2025-06-01T10:00:00.123456Z' };
    expect(extractCallResult(vertex)?.provider).toBe('gcp.vertex_ai');
    const withTrafficType = { ...gemini, usageMetadata: { ...gemini.usageMetadata, trafficType: 'ON_DEMAND' } };
    expect(extractCallResult(withTrafficType)?.provider).toBe('gcp.vertex_ai');
  });
});

describe('Bedrock Converse', () => {
  it('input tokens include cache reads and writes, which Bedrock reports apart', () => {
    expect(extractBedrockConverse(bedrock)).toEqual({
      provider: 'aws.bedrock',
      inputTokens: 10 + 2047,
      outputTokens: 329,
      cachedInputTokens: 2047,
      cacheWriteInputTokens: 0,
      finishReasons: ['end_turn'],
    });
    expect(extractCallResult(bedrock)?.provider).toBe('aws.bedrock');
  });

  it('reads the usage of a ConverseStream metadata event', () => {
    expect(extractCallResult({ metadata: { usage: { inputTokens: 3, outputTokens: 4, totalTokens: 7 }, metrics: { latencyMs: 5 } } })).toEqual({
      provider: 'aws.bedrock',
      inputTokens: 3,
      outputTokens: 4,
    });
  });
});

describe('Cohere', () => {
  it('v2 wire response: billed units (what is charged), cached tokens, finish reason', () => {
    expect(extractCohere(cohereWire)).toEqual({
      provider: 'cohere',
      responseId: 'c14c80c3-18eb-4519-9460-6c92edd8cfb4',
      inputTokens: 17,
      outputTokens: 12,
      cachedInputTokens: 0,
      finishReasons: ['COMPLETE'],
    });
  });

  it('cohere-ai SDK camelCase response', () => {
    expect(extractCallResult(cohereSdk)).toEqual({
      provider: 'cohere',
      responseId: '5a50480a-cf52-46f0-af01-53d18539bd31',
      inputTokens: 5,
      outputTokens: 20,
      finishReasons: ['MAX_TOKENS'],
    });
  });
});

describe('Anthropic message without type', () => {
  it('is read like a typed one', () => {
    expect(extractAnthropicMessage(anthropicUntyped)).toEqual({
      provider: 'anthropic',
      model: 'claude-sonnet-4-5-20250929',
      responseId: 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
      inputTokens: 2095,
      outputTokens: 503,
      cachedInputTokens: 0,
      cacheWriteInputTokens: 0,
      finishReasons: ['max_tokens'],
    });
    expect(extractCallResult(anthropicUntyped)?.provider).toBe('anthropic');
  });
});

describe('telling the shapes apart', () => {
  const shapes = { liteLLM, aiSdk6, aiSdk4, langChainAnthropic, gemini, bedrock, cohereWire, anthropicUntyped };
  const owners: Record<keyof typeof shapes, (r: unknown) => unknown> = {
    liteLLM: extractOpenAICompatible,
    aiSdk6: extractAISdkResult,
    aiSdk4: extractAISdkResult,
    langChainAnthropic: extractLangChain,
    gemini: extractGemini,
    bedrock: extractBedrockConverse,
    cohereWire: extractCohere,
    anthropicUntyped: extractAnthropicMessage,
  };

  it('each extractor reads only its own shape', () => {
    for (const [owner, extract] of Object.entries(owners)) {
      for (const [name, shape] of Object.entries(shapes)) {
        const mine = extract === owners[name as keyof typeof shapes];
        expect([owner, name, extract(shape) !== undefined]).toEqual([owner, name, mine]);
      }
    }
  });

  it('junk is nobody’s', () => {
    for (const extract of new Set(Object.values(owners))) {
      for (const junk of [undefined, null, 42, 'text', [], {}, { usage: 'nope' }, { usage: {} }, { usageMetadata: 1 }]) {
        expect(extract(junk)).toBeUndefined();
      }
    }
  });
});
