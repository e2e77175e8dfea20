/**
 * `LLMTraceCallbackHandler`: a LangChain.js callback handler that turns the runs LangChain reports
 * into llmtrace spans, nested as LangChain nests them (by `parentRunId`): chains (LangGraph graphs
 * and nodes included) as `chain` spans (`agent` for agent executors), LLM and chat model calls as
 * `llm` spans with tokens from `usage_metadata` (or `llmOutput.tokenUsage`) and cost, streaming
 * time to first token from `handleLLMNewToken`, tools as `tool` spans, retrievers as `retrieval`
 * spans, errors on the run that failed. A top-level run becomes a child of the llmtrace span
 * around it (a `withSpan`, a traced function), when LangChain calls the handler in its context.
 *
 * Every handler method is an own property (not a prototype method), so LangChain's
 * `BaseCallbackHandler.fromMethods` (how it adopts a handler object that is not its own class)
 * copies them; llmtrace never imports LangChain.
 */
import type { ActiveCall } from '../../lib/record/active-call.js';
import { compilePlan, type CallPlan, type RecorderHooks } from '../../lib/record/call-plan.js';
import { getState } from '../../lib/config.js';
import { activeValue } from '../../lib/context.js';
import { reportInternalError } from '../../lib/internal/diagnostics.js';
import { checkOptions } from '../../lib/internal/option-schemas.js';
import { startCall } from '../../lib/record/recorder.js';
import type { Attributes, SpanKind } from '../../lib/span.js';
import { checkAdapterOptions, traceOptions, type AdapterOptions } from '../internal/adapter-options.js';
import { llmRunResult, modelRunAttributes, newTokenHasContent, RETRIEVAL_DOCUMENTS, runMetadataAttributes, runName } from './parse.js';

/** Options of `LLMTraceCallbackHandler` (those every adapter takes). */
export type LangChainHandlerOptions = AdapterOptions;

/** One run in flight. */
interface Run {
  readonly call: ActiveCall;
  /** Whether LangChain reported any streamed token (content or not): the run ends as a stream. */
  streamed: boolean;
}

/** Runs kept at most (a run whose end never comes is dropped, oldest first, past this). */
const MAX_OPEN_RUNS = 10_000;
/** Distinct span names a handler compiles plans for (further names share one plan per kind). */
const MAX_PLANS = 1_000;

const LLM_HOOKS: RecorderHooks = { chunkResult: () => undefined };

function placeholder(): void {}

/**
 * A LangChain.js callback handler that records llmtrace spans. Pass it where LangChain takes
 * callbacks: per call (`chain.invoke(input, { callbacks: [handler] })`) or on a model, chain or
 * graph (`new ChatOpenAI({ callbacks: [handler] })`). Throws a TypeError naming the option when
 * one is invalid.
 * @example
 * import { LLMTraceCallbackHandler } from 'llmtrace/langchain';
 * const handler = new LLMTraceCallbackHandler();
 * const answer = await chain.invoke({ question }, { callbacks: [handler] });
 */
export class LLMTraceCallbackHandler {
  readonly #options: AdapterOptions;
  readonly #runs = new Map<string, Run>();
  readonly #plans = new Map<string, CallPlan>();

  constructor(options?: LangChainHandlerOptions) {
    checkOptions('LLMTraceCallbackHandler', options);
    this.#options = checkAdapterOptions(options, 'LLMTraceCallbackHandler');
  }

  /** How many runs have started and not yet ended (for tests and leak checks). */
  get openRuns(): number {
    return this.#runs.size;
  }

  #plan(kind: SpanKind, name: string): CallPlan {
    const key = this.#plans.size < MAX_PLANS ? `${kind}\u0000${name}` : kind;
    let plan = this.#plans.get(key);
    if (!plan) {
      const spanName = key === kind ? `langchain.${kind}` : name;
      const base = traceOptions(this.#options, { name: spanName, kind: 'llm', operation: 'chat' });
      const options = kind === 'llm' ? base : { ...base, kind, operation: undefined };
      plan = compilePlan(placeholder, options, kind === 'llm' ? LLM_HOOKS : {});
      this.#plans.set(key, plan);
    }
    return plan;
  }

  #start(kind: SpanKind, name: string, runId: unknown, parentRunId: unknown, content: unknown, attributes: Attributes): void {
    try {
      if (typeof runId !== 'string') return;
      const active = activeValue();
      if (active === null) return;
      const state = getState();
      if (!state.enabled) return;
      const parentRun = typeof parentRunId === 'string' ? this.#runs.get(parentRunId) : undefined;
      const parent = parentRun ? parentRun.call.span : active;
      const call = startCall(this.#plan(kind, name), state, parent, undefined, [content]);
      Object.assign(call.span.attributes, attributes);
      if (this.#runs.size >= MAX_OPEN_RUNS) this.#runs.delete(this.#runs.keys().next().value!);
      this.#runs.set(runId, { call, streamed: false });
    } catch (error) {
      reportInternalError('record.start', error);
    }
  }

  #take(runId: unknown): Run | undefined {
    if (typeof runId !== 'string') return undefined;
    const run = this.#runs.get(runId);
    if (run) this.#runs.delete(runId);
    return run;
  }

  #fail = (error: unknown, runId: string): void => {
    this.#take(runId)?.call.fail(error);
  };

  #succeed = (value: unknown, runId: string): void => {
    this.#take(runId)?.call.succeed(value, {});
  };

  /** A chain (runnable sequence, LangGraph graph or node, agent executor) started. */
  handleChainStart = (chain: unknown, inputs: unknown, runId: string, fourth?: string, _tags?: string[], metadata?: Record<string, unknown>, seventh?: string, eighth?: string): void => {
    // The callback manager passes (…, runId, parentRunId, tags, metadata, runType, runName); the
    // declared type says (…, runId, runType, tags, metadata, runName, parentRunId). Both are read.
    const managerOrder = fourth === undefined || this.#runs.has(fourth);
    const parentRunId = managerOrder ? fourth : eighth;
    const name = managerOrder ? eighth : seventh;
    const spanName = runName(chain, name, 'chain');
    const kind: SpanKind = /agent/i.test(spanName) ? 'agent' : 'chain';
    this.#start(kind, spanName, runId, parentRunId, inputs, runMetadataAttributes(metadata));
  };

  /** A chain ended. */
  handleChainEnd = (outputs: unknown, runId: string): void => this.#succeed(outputs, runId);

  /** A chain failed. */
  handleChainError = (error: unknown, runId: string): void => this.#fail(error, runId);

  /** A completion model call started. */
  handleLLMStart = (llm: unknown, prompts: unknown, runId: string, parentRunId?: string, extraParams?: Record<string, unknown>, _tags?: string[], metadata?: Record<string, unknown>, name?: string): void => {
    const attributes = { ...runMetadataAttributes(metadata), ...modelRunAttributes(metadata, extraParams) };
    this.#start('llm', runName(llm, name, 'llm'), runId, parentRunId, prompts, attributes);
  };

  /** A chat model call started. */
  handleChatModelStart = (llm: unknown, messages: unknown, runId: string, parentRunId?: string, extraParams?: Record<string, unknown>, _tags?: string[], metadata?: Record<string, unknown>, name?: string): void => {
    const attributes = { ...runMetadataAttributes(metadata), ...modelRunAttributes(metadata, extraParams) };
    this.#start('llm', runName(llm, name, 'chat_model'), runId, parentRunId, messages, attributes);
  };

  /**
   * A streamed token arrived. Only tokens with content (text or tool-call content) time the first
   * token and count as chunks; the empty token of a role-only first chunk does not.
   */
  handleLLMNewToken = (token: unknown, _idx: unknown, runId: string, _parentRunId?: string, _tags?: string[], fields?: unknown): void => {
    const run = this.#runs.get(runId);
    if (!run) return;
    run.streamed = true;
    if (newTokenHasContent(token, fields)) run.call.chunk(token);
  };

  /** A model call ended: tokens, model and finish reason from its `LLMResult`. */
  handleLLMEnd = (output: unknown, runId: string): void => {
    const run = this.#take(runId);
    if (!run) return;
    try {
      const result = llmRunResult(output);
      if (run.streamed) {
        run.call.streamResult(result);
        run.call.endStream('completed');
      } else if (result) run.call.succeed(output, result);
      else run.call.succeed(output);
    } catch (error) {
      reportInternalError('record.result', error);
      run.call.succeed(undefined, {});
    }
  };

  /** A model call failed. */
  handleLLMError = (error: unknown, runId: string): void => this.#fail(error, runId);

  /** A tool started. */
  handleToolStart = (tool: unknown, input: unknown, runId: string, parentRunId?: string, _tags?: string[], metadata?: Record<string, unknown>, name?: string, toolCallId?: string): void => {
    const toolName = runName(tool, name, 'tool');
    const attributes: Attributes = { ...runMetadataAttributes(metadata), 'gen_ai.tool.name': toolName };
    if (typeof toolCallId === 'string' && toolCallId !== '') attributes['gen_ai.tool.call.id'] = toolCallId;
    this.#start('tool', toolName, runId, parentRunId, input, attributes);
  };

  /** A tool ended. */
  handleToolEnd = (output: unknown, runId: string): void => this.#succeed(output, runId);

  /** A tool failed. */
  handleToolError = (error: unknown, runId: string): void => this.#fail(error, runId);

  /** A retriever started. */
  handleRetrieverStart = (retriever: unknown, query: unknown, runId: string, parentRunId?: string, _tags?: string[], metadata?: Record<string, unknown>, name?: string): void => {
    this.#start('retrieval', runName(retriever, name, 'retriever'), runId, parentRunId, query, runMetadataAttributes(metadata));
  };

  /** A retriever ended: the number of documents it returned. */
  handleRetrieverEnd = (documents: unknown, runId: string): void => {
    const run = this.#take(runId);
    if (!run) return;
    if (Array.isArray(documents)) run.call.span.setAttributes({ [RETRIEVAL_DOCUMENTS]: documents.length });
    run.call.succeed(documents, {});
  };

  /** A retriever failed. */
  handleRetrieverError = (error: unknown, runId: string): void => this.#fail(error, runId);

  /** An agent chose a tool: an event on the agent's span. */
  handleAgentAction = (action: unknown, runId: string): void => {
    const tool = (action as { tool?: unknown } | null)?.tool;
    this.#runs.get(runId)?.call.span.addEvent('llmtrace.langchain.agent_action', typeof tool === 'string' ? { 'gen_ai.tool.name': tool } : {});
  };

  /** An agent finished: an event on the agent's span. */
  handleAgentEnd = (_action: unknown, runId: string): void => {
    this.#runs.get(runId)?.call.span.addEvent('llmtrace.langchain.agent_end');
  };
}

/**
 * The one-line setup: a LangChain `callbacks` list holding one `LLMTraceCallbackHandler`.
 * @example
 * await chain.invoke(input, { callbacks: langchainCallbacks() });
 */
export function langchainCallbacks(options?: LangChainHandlerOptions): [LLMTraceCallbackHandler] {
  checkOptions('langchainCallbacks', options);
  return [new LLMTraceCallbackHandler(options)];
}
