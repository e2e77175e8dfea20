/**
 * A call's result to the choices the model returned, in the GenAI message schema: one output message
 * per choice (candidate), with its finish reason. Understands OpenAI chat completions, legacy
 * completions and Responses, Anthropic messages, Gemini, Bedrock Converse, Ollama (chat, generate),
 * Cohere v2, Mistral, Vercel AI SDK results (generateText and the language-model result), LangChain
 * messages, and plain text. Pure; undefined when the result carries no answer (the raw capture is
 * used then).
 */
import { isObj, partsOf, toolCallParts } from './parts.js';
import type { MessagePart, OutputMessage } from './types.js';

type Obj = Record<string, unknown>;

/** Choices kept from a result with more (OpenAI `n`, Gemini `candidateCount`). */
const MAX_CAPTURED_CHOICES = 16;

/** `finish_reason` when the result does not say why generation stopped. */
export const UNKNOWN_FINISH_REASON = 'unknown';

function reasonOf(...values: unknown[]): string {
  for (const v of values) {
    if (typeof v === 'string' && v !== '') return v;
    if (isObj(v) && typeof v.unified === 'string') return v.unified; // AI SDK 6: { unified, raw }
  }
  return UNKNOWN_FINISH_REASON;
}

function output(role: unknown, parts: MessagePart[], finishReason: string): OutputMessage {
  return { role: typeof role === 'string' && role !== 'model' ? role : 'assistant', parts, finish_reason: finishReason };
}

/** An OpenAI-style message: content, reasoning (`reasoning_content`, Ollama `thinking`), tool calls. */
function chatMessageParts(m: Obj): MessagePart[] {
  const parts: MessagePart[] = [];
  const reasoning = m.reasoning_content ?? m.reasoning ?? m.thinking;
  if (typeof reasoning === 'string' && reasoning !== '') parts.push({ type: 'reasoning', content: reasoning });
  parts.push(...partsOf(m.content));
  if (typeof m.refusal === 'string' && m.refusal !== '') parts.push({ type: 'text', content: m.refusal });
  parts.push(...toolCallParts(m.tool_calls ?? m.toolCalls));
  return parts;
}

function openAIChoices(choices: unknown[]): OutputMessage[] {
  return choices.slice(0, MAX_CAPTURED_CHOICES).flatMap((c) => {
    if (!isObj(c)) return [];
    if (isObj(c.message)) return [output(c.message.role, chatMessageParts(c.message), reasonOf(c.finish_reason))];
    if (typeof c.text === 'string') return [output('assistant', partsOf(c.text), reasonOf(c.finish_reason))];
    return [];
  });
}

function geminiCandidates(candidates: unknown[]): OutputMessage[] {
  return candidates.slice(0, MAX_CAPTURED_CHOICES).flatMap((c) => {
    if (!isObj(c)) return [];
    const content = isObj(c.content) ? c.content : {};
    return [output(content.role, partsOf(content.parts), reasonOf(c.finishReason))];
  });
}

/** OpenAI Responses `output` items: messages, function calls and reasoning, as one assistant message. */
function responsesOutput(result: Obj, items: unknown[]): OutputMessage[] {
  const parts: MessagePart[] = [];
  for (const item of items) {
    if (!isObj(item)) continue;
    if (item.type === 'message') parts.push(...partsOf(item.content));
    else if (item.type === 'reasoning' && Array.isArray(item.summary)) {
      for (const s of item.summary) if (isObj(s) && typeof s.text === 'string') parts.push({ type: 'reasoning', content: s.text });
    } else if (item.type === 'function_call') parts.push(...partsOf([item]));
    else if (typeof item.type === 'string') parts.push({ type: item.type });
  }
  const incomplete = isObj(result.incomplete_details) ? result.incomplete_details.reason : undefined;
  const reason = incomplete ?? (result.status === 'completed' ? (parts.some((p) => p.type === 'tool_call') ? 'tool_calls' : 'stop') : result.status);
  return [output('assistant', parts, reasonOf(reason))];
}

/** LangChain's AIMessage (a class instance with `content`, `tool_calls`, `response_metadata`). */
function langchainMessage(m: Obj): OutputMessage[] | undefined {
  const meta = isObj(m.response_metadata) ? m.response_metadata : undefined;
  if (!meta && !Array.isArray(m.tool_calls)) return undefined;
  const parts = [...partsOf(m.content), ...toolCallParts(m.tool_calls)];
  return [output('assistant', parts, reasonOf(meta?.finish_reason, meta?.stop_reason, meta?.done_reason))];
}

/** The choices in a call's result; undefined when it carries no answer this module understands. */
export function outputMessagesOf(result: unknown): OutputMessage[] | undefined {
  if (typeof result === 'string') return result === '' ? undefined : [output('assistant', partsOf(result), UNKNOWN_FINISH_REASON)];
  if (!isObj(result)) return undefined;
  if (Array.isArray(result.choices)) return nonEmpty(openAIChoices(result.choices));
  if (Array.isArray(result.candidates)) return nonEmpty(geminiCandidates(result.candidates));
  if (result.object === 'response' && Array.isArray(result.output)) return responsesOutput(result, result.output);
  if (isObj(result.output) && isObj(result.output.message)) {
    // Bedrock Converse
    return [output(result.output.message.role, partsOf(result.output.message.content), reasonOf(result.stopReason))];
  }
  if (isObj(result.message)) {
    // Ollama chat, Cohere v2
    return [output(result.message.role, chatMessageParts(result.message), reasonOf(result.done_reason, result.finish_reason))];
  }
  if (Array.isArray(result.content) && (result.type === 'message' || result.role === 'assistant' || 'stop_reason' in result)) {
    return [output(result.role, partsOf(result.content), reasonOf(result.stop_reason))]; // Anthropic
  }
  if (Array.isArray(result.content) && 'finishReason' in result) {
    return [output('assistant', partsOf(result.content), reasonOf(result.finishReason))]; // AI SDK results
  }
  if (typeof result.text === 'string' && 'finishReason' in result) {
    const parts = [...partsOf(result.text), ...partsOf(Array.isArray(result.toolCalls) ? result.toolCalls : [])];
    return [output('assistant', parts, reasonOf(result.finishReason))]; // AI SDK generateText, older shape
  }
  const langchain = langchainMessage(result);
  if (langchain) return langchain;
  if (typeof result.response === 'string' && 'done' in result) {
    return [output('assistant', partsOf(result.response), reasonOf(result.done_reason))]; // Ollama generate
  }
  if (typeof result.output_text === 'string') return [output('assistant', partsOf(result.output_text), UNKNOWN_FINISH_REASON)];
  return undefined;
}

function nonEmpty(messages: OutputMessage[]): OutputMessage[] | undefined {
  return messages.length > 0 ? messages : undefined;
}
