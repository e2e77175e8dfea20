/**
 * Reading back a model call's prompt and answer from what its span captured (`capture: 'full'`:
 * the `gen_ai.request` / `gen_ai.response` events hold the redacted JSON of the call's arguments
 * and result). Pure. Understands the chat shapes llmtrace's extractors know: a `messages` array
 * (OpenAI chat, Anthropic, Ollama chat), `input` / `prompt` text (OpenAI responses, Ollama
 * generate, llama.cpp), and answers as `choices[0].message.content`, `output_text`, Anthropic
 * `content` blocks, Ollama `message.content` / `response`, llama.cpp `content`, or plain text. A
 * capture cut short (`llmtrace.content.truncated`) is not used: half a sample is worse than none.
 */
import { LLMTrace, SpanEvents } from '../attributes.js';
import type { SpanData } from '../span.js';
import type { ChatMessage } from './types.js';

/** What a span's capture says about its call. */
export interface SpanContent {
  /** The prompt as chat messages (system prompt first when the call had one apart). */
  prompt?: ChatMessage[];
  /** The answer text. */
  response?: string;
}

/** The captured prompt and answer of a model call's span; fields are absent when not captured. */
export function spanContent(span: Pick<SpanData, 'events'>): SpanContent {
  const out: SpanContent = {};
  const request = capturedJson(span, SpanEvents.REQUEST, 'gen_ai.input.messages');
  const prompt = request === undefined ? undefined : promptOf(request);
  if (prompt && prompt.length > 0) out.prompt = prompt;
  const result = capturedJson(span, SpanEvents.RESPONSE, 'gen_ai.output.messages');
  const response = result === undefined ? undefined : answerOf(result);
  if (response !== undefined && response !== '') out.response = response;
  return out;
}

function capturedJson(span: Pick<SpanData, 'events'>, event: string, key: string): unknown {
  const found = span.events.find((e) => e.name === event);
  const text = found?.attributes[key];
  if (typeof text !== 'string' || found!.attributes[LLMTrace.CONTENT_TRUNCATED] === true) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The prompt in a call's captured arguments (an array of arguments, or one value). */
function promptOf(args: unknown): ChatMessage[] | undefined {
  for (const arg of Array.isArray(args) ? args : [args]) {
    if (typeof arg === 'string' && arg !== '') return [{ role: 'user', content: arg }];
    if (!isObject(arg)) continue;
    const messages = messagesOf(arg.messages);
    if (messages) {
      const system = textOf(arg.system);
      return system ? [{ role: 'system', content: system }, ...messages] : messages;
    }
    const input = arg.input ?? arg.prompt;
    if (typeof input === 'string' && input !== '') return [{ role: 'user', content: input }];
    const inputMessages = messagesOf(input);
    if (inputMessages) return inputMessages;
  }
  return undefined;
}

function messagesOf(value: unknown): ChatMessage[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const out: ChatMessage[] = [];
  for (const m of value) {
    if (!isObject(m) || typeof m.role !== 'string') return undefined;
    const content = textOf(m.content);
    if (content === undefined) return undefined;
    out.push({ role: m.role, content });
  }
  return out;
}

/** The answer text in a call's captured result. */
function answerOf(result: unknown): string | undefined {
  if (typeof result === 'string') return result;
  if (!isObject(result)) return undefined;
  if (Array.isArray(result.choices)) {
    const first: unknown = result.choices[0];
    if (isObject(first)) return (isObject(first.message) ? textOf(first.message.content) : undefined) ?? textOf(first.text);
  }
  if (typeof result.output_text === 'string') return result.output_text;
  if (isObject(result.message)) return textOf(result.message.content);
  if (Array.isArray(result.content)) return textOf(result.content);
  for (const key of ['response', 'content', 'text'] as const) if (typeof result[key] === 'string') return result[key];
  return undefined;
}

/** Text of a content value: a string, or the `text` parts of a content-block array. */
function textOf(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  const parts = content.flatMap((p: unknown) => (isObject(p) && typeof p.text === 'string' ? [p.text] : typeof p === 'string' ? [p] : []));
  return parts.length > 0 ? parts.join('') : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
