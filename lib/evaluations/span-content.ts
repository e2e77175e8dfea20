/**
 * Reading back a model call's prompt and answer from what its span captured (`capture: 'full'`).
 * Pure. The GenAI message attributes (`gen_ai.system_instructions`, `gen_ai.input.messages`,
 * `gen_ai.output.messages`) give the prompt as chat messages (text parts joined; a message without
 * text, a tool call say, as the JSON of its parts) and the first choice's text. A raw capture (a
 * shape llmtrace has no message mapping for, or a span stored by llmtrace 0.1) is read for the chat
 * shapes llmtrace's extractors know: a `messages` array (OpenAI chat, Anthropic, Ollama chat),
 * `input` / `prompt` text (OpenAI responses, Ollama generate, llama.cpp), and answers as
 * `choices[0].message.content`, `output_text`, Anthropic `content` blocks, Ollama `message.content`
 * / `response`, llama.cpp `content`, or plain text. A capture cut short is not used: half a sample
 * is worse than none.
 */
import { capturedSystemInstructions, capturedText } from '../messages/captured-content.js';
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
export function spanContent(span: Pick<SpanData, 'attributes' | 'events'>): SpanContent {
  const out: SpanContent = {};
  const prompt = promptOfSpan(span);
  if (prompt && prompt.length > 0) out.prompt = prompt;
  const response = answerOfSpan(span);
  if (response !== undefined && response !== '') out.response = response;
  return out;
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function promptOfSpan(span: Pick<SpanData, 'attributes' | 'events'>): ChatMessage[] | undefined {
  const request = capturedText(span, 'request');
  if (!request || request.truncated) return undefined;
  const value = parsed(request.text);
  if (request.form === 'raw') return value === undefined ? undefined : promptOf(value);
  const messages = schemaMessages(value);
  if (!messages) return undefined;
  const systemText = capturedSystemInstructions(span);
  const system = systemText === undefined ? undefined : partsText(parsed(systemText));
  return system ? [{ role: 'system', content: system }, ...messages] : messages;
}

function answerOfSpan(span: Pick<SpanData, 'attributes' | 'events'>): string | undefined {
  const response = capturedText(span, 'response');
  if (!response || response.truncated) return undefined;
  const value = parsed(response.text);
  if (response.form === 'raw') return value === undefined ? undefined : answerOf(value);
  const first: unknown = Array.isArray(value) ? value[0] : undefined;
  return isObject(first) ? partsText(first.parts) : undefined;
}

/** Message-schema messages as chat messages. */
function schemaMessages(value: unknown): ChatMessage[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: ChatMessage[] = [];
  for (const m of value) {
    if (!isObject(m) || typeof m.role !== 'string') return undefined;
    out.push({ role: m.role, content: partsText(m.parts) ?? JSON.stringify(m.parts ?? []) });
  }
  return out;
}

/** The text parts of a part list, joined; undefined when there are none. */
function partsText(parts: unknown): string | undefined {
  if (!Array.isArray(parts)) return undefined;
  const texts = parts.flatMap((p: unknown) => (isObject(p) && p.type === 'text' && typeof p.content === 'string' ? [p.content] : []));
  return texts.length > 0 ? texts.join('') : undefined;
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
