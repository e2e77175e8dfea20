/**
 * Pure reading of what LangChain.js hands its callback handlers: serialized runnables, run
 * metadata (`ls_provider`, `ls_model_name`, LangGraph's `langgraph_node`), `LLMResult`s and
 * retrieved documents. No I/O, no span access; never throws on foreign input. (Token usage of
 * messages and `LLMResult`s is read by lib/extract/langchain.ts.)
 */
import { GenAI } from '../../lib/attributes.js';
import { extractLangChain, langchainProviderName } from '../../lib/extract/langchain.js';
import { asRecord, text, type CallResult } from '../../lib/extract/call-result.js';
import type { Attributes } from '../../lib/span.js';
import { requestParams } from '../internal/adapter-options.js';

/** `llmtrace.langgraph.node`: the LangGraph node a run belongs to. */
export const LANGGRAPH_NODE = 'llmtrace.langgraph.node';
/** `llmtrace.retrieval.documents`: how many documents a retriever returned. */
export const RETRIEVAL_DOCUMENTS = 'llmtrace.retrieval.documents';

/** The name of a run: its `runName`, else the serialized runnable's `name`, else the last part of its `id`. */
export function runName(serialized: unknown, name: unknown, fallback: string): string {
  const given = text(name);
  if (given) return given;
  const s = asRecord(serialized);
  const own = text(s?.name);
  if (own) return own;
  const id = Array.isArray(s?.id) ? (s.id as unknown[]) : [];
  return text(id[id.length - 1]) ?? fallback;
}

/**
 * Request attributes of an LLM/chat model run, from its metadata (`ls_provider`, `ls_model_name`,
 * `ls_max_tokens`, `ls_temperature`, `ls_stop`, LangGraph's `thread_id`) and invocation params.
 */
export function modelRunAttributes(metadata: unknown, extraParams: unknown): Attributes {
  const m = asRecord(metadata) ?? {};
  const invocation = asRecord(asRecord(extraParams)?.invocation_params) ?? {};
  const a = requestParams({
    model: m.ls_model_name ?? invocation.model ?? invocation.model_name,
    maxTokens: m.ls_max_tokens ?? invocation.max_tokens ?? invocation.max_completion_tokens,
    temperature: m.ls_temperature ?? invocation.temperature,
    topP: invocation.top_p,
    stop: m.ls_stop ?? invocation.stop,
    seed: invocation.seed,
    frequencyPenalty: invocation.frequency_penalty,
    presencePenalty: invocation.presence_penalty,
    conversationId: m.thread_id, // LangGraph's checkpointer thread
    stream: invocation.stream === true || invocation.streaming === true,
  });
  const provider = langchainProviderName(text(m.ls_provider));
  if (provider) a[GenAI.PROVIDER_NAME] = provider;
  return a;
}

/** Attributes every run records from its metadata: the LangGraph node, when there is one. */
export function runMetadataAttributes(metadata: unknown): Attributes {
  const node = text(asRecord(metadata)?.langgraph_node);
  return node ? { [LANGGRAPH_NODE]: node } : {};
}

/**
 * Reads an `LLMResult`: the first generation's message (`usage_metadata`, `response_metadata`) when
 * it has usage, else `llmOutput.tokenUsage`. The model and finish reason come from the message
 * either way.
 */
export function llmRunResult(output: unknown): CallResult | undefined {
  const o = asRecord(output);
  if (!o) return undefined;
  const generations = Array.isArray(o.generations) ? (o.generations as unknown[]) : [];
  const first = Array.isArray(generations[0]) ? asRecord((generations[0] as unknown[])[0]) : undefined;
  const message = asRecord(first?.message);
  const fromMessage = message ? extractLangChain(message) : undefined;
  const fromOutput = extractLangChain(o);
  const result: CallResult = { ...(fromOutput ?? {}) };
  for (const [key, value] of Object.entries(fromMessage ?? {})) if (value !== undefined) (result as Record<string, unknown>)[key] = value;
  if (result.finishReasons === undefined) {
    const info = asRecord(first?.generationInfo);
    const reason = text(info?.finish_reason);
    if (reason) result.finishReasons = [reason];
  }
  return Object.values(result).some((v) => v !== undefined) ? result : undefined;
}

function nonEmptyArray(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0;
}

/**
 * Whether a `handleLLMNewToken(token, idx, runId, parentRunId, tags, fields)` call carries generated
 * content: a non-empty `token`, or a `fields.chunk` whose message carries tool-call content
 * (`tool_call_chunks`, or OpenAI's `additional_kwargs.tool_calls` / `function_call`). LangChain also
 * calls it with an empty token for a provider's role-only first chunk, its finish chunk and its
 * usage chunk; those neither time the first token nor count as chunks.
 */
export function newTokenHasContent(token: unknown, fields: unknown): boolean {
  if (typeof token === 'string' && token !== '') return true;
  const message = asRecord(asRecord(asRecord(fields)?.chunk)?.message);
  if (!message) return false;
  const extra = asRecord(message.additional_kwargs);
  return nonEmptyArray(message.tool_call_chunks) || nonEmptyArray(extra?.tool_calls) || asRecord(extra?.function_call) !== undefined;
}
