/**
 * A call's arguments to its prompt in the GenAI message schema: system instructions given apart and
 * the chat history, in order. Understands the request shapes of OpenAI (chat, Responses, legacy
 * completions), Anthropic, Gemini, Bedrock Converse, Ollama (chat, generate), Mistral, Cohere, the
 * Vercel AI SDK (call options and the language-model prompt), LangChain messages, and the arguments
 * of a decorated method (`(model, messages)`, `(prompt)`). Pure; undefined when nothing in the
 * arguments looks like a prompt (the raw capture is used then).
 */
import { isObj, partsOf, toolCallParts } from './parts.js';
import type { InputCapture, InputMessage, MessagePart } from './types.js';

type Obj = Record<string, unknown>;

/** Messages kept from a longer history: the most recent ones (what a reader debugging a turn wants). */
export const MAX_CAPTURED_MESSAGES = 64;

const LANGCHAIN_ROLES: Record<string, string> = { human: 'user', ai: 'assistant', system: 'system', tool: 'tool', generic: 'user' };

/** A LangChain message's role (`_getType()`/`getType()`/`type`), or undefined for other objects. */
function langchainRole(m: Obj): string | undefined {
  for (const method of ['_getType', 'getType'] as const) {
    const fn = m[method];
    if (typeof fn === 'function') {
      try {
        const type: unknown = fn.call(m);
        if (typeof type === 'string') return LANGCHAIN_ROLES[type] ?? type;
      } catch {
        return undefined;
      }
    }
  }
  return typeof m.type === 'string' && m.content !== undefined ? LANGCHAIN_ROLES[m.type] : undefined;
}

/** One message of any chat shape; undefined when `m` is not one. */
function messageOf(m: unknown): InputMessage | undefined {
  if (typeof m === 'string') return { role: 'user', parts: partsOf(m) };
  if (!isObj(m)) return undefined;
  if (m.type === 'function_call' || m.type === 'function_call_output') {
    // OpenAI Responses input items that are not messages.
    return { role: m.type === 'function_call' ? 'assistant' : 'tool', parts: partsOf([m]) };
  }
  const rawRole = typeof m.role === 'string' ? m.role : langchainRole(m);
  if (rawRole === undefined) return undefined;
  const role = rawRole === 'model' ? 'assistant' : rawRole === 'developer' ? 'system' : rawRole;
  const parts: MessagePart[] = [];
  if (role === 'tool' && (typeof m.tool_call_id === 'string' || typeof m.tool_call_id === 'number')) {
    parts.push({ type: 'tool_call_response', id: String(m.tool_call_id), response: textOrValue(m.content) });
  } else {
    parts.push(...partsOf(m.content ?? m.parts));
  }
  parts.push(...toolCallParts(m.tool_calls ?? m.toolCalls));
  const message: InputMessage = { role, parts };
  return typeof m.name === 'string' && m.name !== '' && role !== 'tool' ? { ...message, name: m.name } : message;
}

function textOrValue(content: unknown): unknown {
  if (!Array.isArray(content)) return content;
  const parts = partsOf(content);
  return parts.length === 1 && parts[0]!.type === 'text' ? (parts[0] as { content: string }).content : content;
}

/** A list of messages (the most recent MAX_CAPTURED_MESSAGES); undefined when any item is not a message. */
function messagesOf(value: unknown): InputMessage[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const from = Math.max(0, value.length - MAX_CAPTURED_MESSAGES);
  const out: InputMessage[] = [];
  for (let i = from; i < value.length; i++) {
    const message = messageOf(value[i]);
    if (!message) return undefined;
    out.push(message);
  }
  return out;
}

/** Gemini `contents`: a string, one Content, a list of Contents, or a list of parts. */
function geminiContents(contents: unknown): InputMessage[] | undefined {
  if (typeof contents === 'string') return [{ role: 'user', parts: partsOf(contents) }];
  if (isObj(contents) && Array.isArray(contents.parts)) return messagesOf([contents]);
  if (!Array.isArray(contents)) return undefined;
  const asMessages = contents.every((c) => isObj(c) && Array.isArray(c.parts));
  if (asMessages) return messagesOf(contents.map((c: Obj) => ({ role: c.role ?? 'user', parts: c.parts })));
  const parts = partsOf(contents);
  return parts.length > 0 ? [{ role: 'user', parts }] : undefined;
}

/** System instructions given apart from the history (Anthropic `system`, Responses `instructions`, Gemini `systemInstruction`, ...). */
function systemOf(request: Obj): MessagePart[] | undefined {
  const config = isObj(request.config) ? request.config : undefined;
  const raw = request.system ?? request.instructions ?? request.systemInstruction ?? config?.systemInstruction;
  if (raw === undefined || raw === null) return undefined;
  const parts = isObj(raw) && Array.isArray(raw.parts) ? partsOf(raw.parts) : partsOf(raw);
  return parts.length > 0 ? parts : undefined;
}

/** The prompt in one request object, or undefined. */
function fromRequest(request: Obj): InputCapture | undefined {
  const system = systemOf(request);
  const messages =
    messagesOf(request.messages) ??
    (request.contents !== undefined ? geminiContents(request.contents) : undefined) ??
    promptOf(request.input) ??
    promptOf(request.prompt) ??
    (typeof request.message === 'string' ? [{ role: 'user', parts: partsOf(request.message) }] : undefined); // Cohere v1
  if (!messages) return undefined;
  return system ? { system, messages } : { messages };
}

/** A `prompt`/`input` value: text, or a list of messages (AI SDK prompt, Responses input items). */
function promptOf(value: unknown): InputMessage[] | undefined {
  if (typeof value === 'string') return value === '' ? undefined : [{ role: 'user', parts: partsOf(value) }];
  return messagesOf(value);
}

/**
 * The prompt in a call's arguments: the first argument that is a request object with messages
 * (or `contents`, `input`, `prompt`), else the first that is a list of messages, else the one
 * string argument that is not the model (`(model, prompt)`, `(prompt)`). Undefined when none is,
 * or when several strings could be the prompt (llmtrace does not guess).
 */
export function inputMessagesOf(args: readonly unknown[], model?: string): InputCapture | undefined {
  for (const arg of args) {
    if (isObj(arg) && !langchainRole(arg) && typeof arg.role !== 'string') {
      const found = fromRequest(arg);
      if (found) return found;
    }
  }
  for (const arg of args) {
    if (Array.isArray(arg)) {
      const list = Array.isArray(arg[0]) ? arg[0] : arg; // LangChain handleChatModelStart: messages[][]
      const messages = messagesOf(list);
      if (messages) return { messages };
    }
  }
  const prompts = args.filter((arg): arg is string => typeof arg === 'string' && arg !== '' && arg !== model);
  if (prompts.length === 1) return { messages: [{ role: 'user', parts: partsOf(prompts[0]) }] };
  return undefined;
}
