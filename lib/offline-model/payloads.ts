/**
 * The bodies the offline model server sends, one builder per API shape (OpenAI chat completions,
 * Responses and embeddings; Anthropic messages; Ollama chat, generate and embed; Gemini
 * generateContent, streamGenerateContent and batchEmbedContents), JSON and streamed.
 * Pure: an `Answer` in, strings or objects out. Each streamed token is one chunk, so a client that
 * counts chunks counts the same tokens the usage fields report.
 */

/** What the server decided to answer for one request. */
export interface Answer {
  /** Response id (`chatcmpl-…`, `msg_…`). */
  readonly id: string;
  /** The model the request named (echoed back). */
  readonly model: string;
  /** The answer, one word per output token. */
  readonly tokens: readonly string[];
  /** Prompt tokens (about one per 4 characters of the request's text). */
  readonly inputTokens: number;
  /** Unix seconds. */
  readonly created: number;
}

/** A streamed body: frames sent at once, one frame per token (paced), frames sent after the last token. */
export interface StreamPlan {
  readonly contentType: string;
  readonly head: readonly string[];
  readonly tokens: readonly string[];
  readonly tail: readonly string[];
}

const text = (answer: Answer): string => answer.tokens.join('');
const sse = (data: unknown, event?: string): string =>
  `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
const ndjson = (data: unknown): string => `${JSON.stringify(data)}\n`;

/** OpenAI `chat.completion`. */
export function openAIChat(answer: Answer): object {
  return {
    id: answer.id,
    object: 'chat.completion',
    created: answer.created,
    model: answer.model,
    choices: [{ index: 0, message: { role: 'assistant', content: text(answer), refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage: openAIUsage(answer),
  };
}

function openAIUsage(answer: Answer): object {
  const completion = answer.tokens.length;
  return { prompt_tokens: answer.inputTokens, completion_tokens: completion, total_tokens: answer.inputTokens + completion };
}

/** OpenAI chat completion chunks as SSE; a usage chunk when `includeUsage` (`stream_options.include_usage`). */
export function openAIChatStream(answer: Answer, includeUsage: boolean): StreamPlan {
  const chunk = (delta: object, finish: string | null, extra: object = {}): object => ({
    id: answer.id,
    object: 'chat.completion.chunk',
    created: answer.created,
    model: answer.model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(includeUsage ? { usage: null } : {}),
    ...extra,
  });
  const tail = [sse(chunk({}, 'stop'))];
  if (includeUsage) {
    tail.push(sse({ id: answer.id, object: 'chat.completion.chunk', created: answer.created, model: answer.model, choices: [], usage: openAIUsage(answer) }));
  }
  tail.push(sse('[DONE]'));
  return {
    contentType: 'text/event-stream',
    head: [],
    tokens: answer.tokens.map((token, i) => sse(chunk(i === 0 ? { role: 'assistant', content: token } : { content: token }, null))),
    tail,
  };
}

function responseMessage(answer: Answer, status: 'in_progress' | 'completed', content: readonly object[]): object {
  return { type: 'message', id: `msg_${answer.id}`, status, role: 'assistant', content };
}

function outputText(textValue: string): object {
  return { type: 'output_text', text: textValue, annotations: [] };
}

function responseUsage(answer: Answer): object {
  const output = answer.tokens.length;
  return {
    input_tokens: answer.inputTokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: answer.inputTokens + output,
  };
}

/** OpenAI Responses API `response`. */
export function openAIResponse(answer: Answer): object {
  return {
    id: answer.id,
    object: 'response',
    created_at: answer.created,
    model: answer.model,
    status: 'completed',
    error: null,
    incomplete_details: null,
    output: [responseMessage(answer, 'completed', [outputText(text(answer))])],
    usage: responseUsage(answer),
  };
}

/**
 * The Responses API event stream (`stream: true`), as the API sends it: `response.created`,
 * `response.in_progress`, `response.output_item.added`, `response.content_part.added`, one
 * `response.output_text.delta` per token, then `response.output_text.done`,
 * `response.content_part.done`, `response.output_item.done` and `response.completed` with the full
 * response and its usage. Each SSE message names its type in `event:` and carries a `sequence_number`.
 */
export function openAIResponseStream(answer: Answer): StreamPlan {
  let sequence = 0;
  const event = (type: string, fields: object): string => sse({ type, sequence_number: sequence++, ...fields }, type);
  const inProgress = { ...openAIResponse(answer), status: 'in_progress', output: [], usage: null };
  const part = { item_id: `msg_${answer.id}`, output_index: 0, content_index: 0 };
  const full = text(answer);
  const head = [
    event('response.created', { response: inProgress }),
    event('response.in_progress', { response: inProgress }),
    event('response.output_item.added', { output_index: 0, item: responseMessage(answer, 'in_progress', []) }),
    event('response.content_part.added', { ...part, part: outputText('') }),
  ];
  const tokens = answer.tokens.map((delta) => event('response.output_text.delta', { ...part, delta, logprobs: [] }));
  const tail = [
    event('response.output_text.done', { ...part, text: full, logprobs: [] }),
    event('response.content_part.done', { ...part, part: outputText(full) }),
    event('response.output_item.done', { output_index: 0, item: responseMessage(answer, 'completed', [outputText(full)]) }),
    event('response.completed', { response: openAIResponse(answer) }),
  ];
  return { contentType: 'text/event-stream', head, tokens, tail };
}

/** Deterministic unit-length-ish vectors, one per input. */
export function vectors(count: number, dimensions: number, next: () => number): number[][] {
  return Array.from({ length: count }, () => Array.from({ length: dimensions }, () => Math.round((next() * 2 - 1) * 1e4) / 1e4));
}

/** OpenAI embeddings `list`; base64 when asked (the `openai` SDK asks by default and decodes it). */
export function openAIEmbeddings(model: string, embeddings: number[][], inputTokens: number, base64: boolean): object {
  return {
    object: 'list',
    model,
    data: embeddings.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector,
    })),
    usage: { prompt_tokens: inputTokens, total_tokens: inputTokens },
  };
}

/** Anthropic `message`. */
export function anthropicMessage(answer: Answer): object {
  return {
    id: answer.id,
    type: 'message',
    role: 'assistant',
    model: answer.model,
    content: [{ type: 'text', text: text(answer) }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: answer.inputTokens, output_tokens: answer.tokens.length },
  };
}

/** Anthropic's event stream: message_start at once, one text delta per token, then message_delta with usage. */
export function anthropicStream(answer: Answer): StreamPlan {
  const start = { ...anthropicMessage(answer), content: [], stop_reason: null, usage: { input_tokens: answer.inputTokens, output_tokens: 1 } };
  return {
    contentType: 'text/event-stream',
    head: [
      sse({ type: 'message_start', message: start }, 'message_start'),
      sse({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }, 'content_block_start'),
      sse({ type: 'ping' }, 'ping'),
    ],
    tokens: answer.tokens.map((token) =>
      sse({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: token } }, 'content_block_delta'),
    ),
    tail: [
      sse({ type: 'content_block_stop', index: 0 }, 'content_block_stop'),
      sse(
        { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: answer.tokens.length } },
        'message_delta',
      ),
      sse({ type: 'message_stop' }, 'message_stop'),
    ],
  };
}

/** Ollama's final (`done: true`) fields. */
function ollamaDone(answer: Answer): object {
  return {
    done: true,
    done_reason: 'stop',
    total_duration: 0,
    load_duration: 0,
    prompt_eval_count: answer.inputTokens,
    prompt_eval_duration: 0,
    eval_count: answer.tokens.length,
    eval_duration: 0,
  };
}

/** Ollama `/api/chat` (`kind: 'chat'`) or `/api/generate` (`kind: 'generate'`) JSON response. */
export function ollamaAnswer(answer: Answer, kind: 'chat' | 'generate'): object {
  const content = kind === 'chat' ? { message: { role: 'assistant', content: text(answer) } } : { response: text(answer) };
  return { model: answer.model, created_at: new Date(answer.created * 1000).toISOString(), ...content, ...ollamaDone(answer) };
}

/** Ollama's NDJSON stream: one line per token, then a `done: true` line with the counts. */
export function ollamaStream(answer: Answer, kind: 'chat' | 'generate'): StreamPlan {
  const created_at = new Date(answer.created * 1000).toISOString();
  const piece = (content: string): object =>
    kind === 'chat' ? { message: { role: 'assistant', content } } : { response: content };
  return {
    contentType: 'application/x-ndjson',
    head: [],
    tokens: answer.tokens.map((token) => ndjson({ model: answer.model, created_at, ...piece(token), done: false })),
    tail: [ndjson({ model: answer.model, created_at, ...piece(''), ...ollamaDone(answer) })],
  };
}

/** Ollama `/api/embed`. */
export function ollamaEmbed(model: string, embeddings: number[][], inputTokens: number): object {
  return { model, embeddings, total_duration: 0, load_duration: 0, prompt_eval_count: inputTokens };
}

function geminiUsage(answer: Answer, candidates: number): object {
  return {
    promptTokenCount: answer.inputTokens,
    ...(candidates > 0 ? { candidatesTokenCount: candidates } : {}),
    totalTokenCount: answer.inputTokens + candidates,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: answer.inputTokens }],
  };
}

function geminiCandidate(content: string, finished: boolean): object {
  return { content: { parts: [{ text: content }], role: 'model' }, ...(finished ? { finishReason: 'STOP' } : {}), index: 0 };
}

/** Gemini `generateContent` (`GenerateContentResponse`). */
export function geminiResponse(answer: Answer): object {
  return {
    candidates: [geminiCandidate(text(answer), true)],
    usageMetadata: geminiUsage(answer, answer.tokens.length),
    modelVersion: answer.model,
    responseId: answer.id,
  };
}

/**
 * Gemini `streamGenerateContent?alt=sse`: one chunk per token, each with the running usage (the
 * prompt count); the last one carries `finishReason` and the full counts. Events end in CRLF CRLF,
 * as the Gemini API sends them.
 */
export function geminiStream(answer: Answer): StreamPlan {
  const last = answer.tokens.length - 1;
  const chunk = (token: string, i: number): string =>
    `data: ${JSON.stringify({
      candidates: [geminiCandidate(token, i === last)],
      usageMetadata: geminiUsage(answer, i === last ? answer.tokens.length : 0),
      modelVersion: answer.model,
      responseId: answer.id,
    })}\r\n\r\n`;
  return { contentType: 'text/event-stream', head: [], tokens: answer.tokens.map(chunk), tail: [] };
}

/** Gemini `batchEmbedContents`. */
export function geminiEmbed(embeddings: number[][]): object {
  return { embeddings: embeddings.map((values) => ({ values })) };
}

/** The error body each API family sends. */
export function errorBody(api: 'openai' | 'anthropic' | 'ollama' | 'gemini', status: number, message: string): object {
  if (api === 'ollama') return { error: message };
  if (api === 'gemini') return { error: { code: status, message, status: status === 429 ? 'RESOURCE_EXHAUSTED' : 'INTERNAL' } };
  const type = status === 429 ? 'rate_limit_error' : 'api_error';
  if (api === 'anthropic') return { type: 'error', error: { type, message } };
  return { error: { message, type: status === 429 ? 'rate_limit_exceeded' : 'server_error', param: null, code: null } };
}
