/**
 * `llmtraceTelemetry()`: an AI SDK 7 telemetry integration (`registerTelemetry(llmtraceTelemetry())`,
 * or per call `telemetry: { integrations: [llmtraceTelemetry()] }`). The AI SDK calls it at each
 * point of an operation, every event carrying the operation's `callId`, so concurrent calls stay
 * apart: `onStart` opens a `chain` span for the operation (`ai.generateText`, ...; functionId as
 * `llmtrace.ai_sdk.function_id`), each `onLanguageModelCallStart`/`End` pair an `llm` span below it
 * (model, parameters, the provider's token counts, finish reason, response id, cost), each tool
 * execution a `tool` span, and `onEnd`/`onAbort`/`onError` end the operation. Use it instead of
 * `llmtraceMiddleware`/`traceAISdk`, not beside them (each model call would be recorded twice).
 * A streamed model call also gets the SDK's own time to first output and chunk timing; each
 * `doEmbed` of `embed`/`embedMany` (`onEmbedStart`/`End`) an `embedding` span with its token count.
 * Depends on the event shapes only; it never imports the AI SDK.
 */
import { getState } from '../../lib/config.js';
import { activeValue } from '../../lib/context.js';
import { GenAI, LLMTrace } from '../../lib/attributes.js';
import { asRecord, count, newResult, text } from '../../lib/extract/call-result.js';
import { reportInternalError } from '../../lib/internal/diagnostics.js';
import { checkOptions } from '../../lib/internal/option-schemas.js';
import type { ActiveCall } from '../../lib/record/active-call.js';
import { compilePlan, type CallPlan } from '../../lib/record/call-plan.js';
import { startCall } from '../../lib/record/recorder.js';
import type { Attributes, Span } from '../../lib/span.js';
import { checkAdapterOptions, traceOptions, type AdapterOptions } from '../internal/adapter-options.js';
import { aiSdkGenerateResult, aiSdkProviderName, aiSdkRequestAttributes } from './parse.js';
import { AI_SDK_FUNCTION_ID } from './trace-ai-sdk.js';

type Event = Record<string, unknown>;
type Listener = (event: Event) => void;

/** The AI SDK 7 `Telemetry` callbacks llmtrace implements (structural: the SDK is never imported). */
export interface LLMTraceTelemetry {
  onStart: Listener;
  onLanguageModelCallStart: Listener;
  onLanguageModelCallEnd: Listener;
  onToolExecutionStart: Listener;
  onToolExecutionEnd: Listener;
  onEmbedStart: Listener;
  onEmbedEnd: Listener;
  onStepError: Listener;
  onEnd: Listener;
  onAbort: Listener;
  onError: (error: unknown) => void;
}

/** Operations whose end never comes are dropped past this many open ones (a leak bound). */
const MAX_OPEN_OPERATIONS = 10_000;

function placeholder(): void {}

/** Operations whose model calls stream. */
const STREAMING_OPERATIONS = new Set(['ai.streamText', 'ai.streamObject']);

/** One operation in flight: its span, and the model call, tool calls and embedding calls open under it. */
interface Operation {
  readonly call: ActiveCall;
  readonly streams: boolean;
  model: ActiveCall | undefined;
  /** Open tool executions by tool call id, and open `doEmbed` calls by embed call id. */
  readonly children: Map<string, ActiveCall>;
}

/**
 * The stream timing of a model call's `performance` (ai 7 measures it): time to first output, the
 * mean gap between output chunks and the output rate after the first chunk, under the names
 * llmtrace's own stream spans use. Empty for a call that did not stream.
 */
function streamTiming(performance: unknown): Attributes {
  const p = asRecord(performance);
  const out: Attributes = {};
  const firstMs = count(p?.timeToFirstOutputMs);
  if (firstMs === undefined) return out;
  out[LLMTrace.TIME_TO_FIRST_TOKEN_MS] = firstMs;
  out[GenAI.RESPONSE_TIME_TO_FIRST_CHUNK] = firstMs / 1000;
  const meanGapMs = count(asRecord(p?.timeBetweenOutputChunksMs)?.avg);
  if (meanGapMs !== undefined) out[LLMTrace.STREAM_MEAN_CHUNK_INTERVAL_MS] = meanGapMs;
  const rate = count(p?.outputTokensPerSecond);
  if (rate !== undefined) out[LLMTrace.STREAM_OUTPUT_TOKENS_PER_SECOND] = rate;
  return out;
}

/**
 * Returns an AI SDK 7 telemetry integration that records the spans of every AI SDK operation it
 * is given (see the module comment). Throws a TypeError naming the option when one is invalid.
 * @example
 * import { registerTelemetry, generateText } from 'ai';
 * import { llmtraceTelemetry } from 'llmtrace/ai-sdk';
 * registerTelemetry(llmtraceTelemetry());
 * await generateText({ model, prompt: 'Hi', telemetry: { functionId: 'greeter' } });
 */
export function llmtraceTelemetry(options?: AdapterOptions): LLMTraceTelemetry {
  checkOptions('llmtraceTelemetry', options);
  const checked = checkAdapterOptions(options, 'llmtraceTelemetry');
  const plans = new Map<string, CallPlan>();
  const planFor = (name: string, kind: 'chain' | 'llm' | 'embedding' | 'tool'): CallPlan => {
    const key = `${kind}\u0000${name}`;
    let plan = plans.get(key);
    if (!plan) {
      const base = traceOptions(checked, { name, kind: 'llm', operation: 'chat' });
      const options =
        kind === 'llm' ? base : kind === 'embedding' ? traceOptions(checked, { name, kind, operation: 'embeddings' }) : { ...base, kind, operation: undefined };
      plan = compilePlan(placeholder, options, kind === 'llm' ? { chunkResult: () => undefined } : {});
      if (plans.size < 1000) plans.set(key, plan);
    }
    return plan;
  };
  const operations = new Map<string, Operation>();

  const start = (plan: CallPlan, parent: Span | undefined, event: Event, attributes: Attributes): ActiveCall | undefined => {
    const active = activeValue();
    if (active === null) return undefined; // inside suppressTracing
    const state = getState();
    if (!state.enabled) return undefined;
    const call = startCall(plan, state, parent ?? active, undefined, [event]);
    Object.assign(call.span.attributes, attributes);
    return call;
  };
  const guard = (what: string, fn: (event: Event) => void): Listener => (event) => {
    try {
      if (asRecord(event)) fn(event);
    } catch (error) {
      reportInternalError(`ai-sdk.telemetry.${what}`, error);
    }
  };
  const endOperation = (callId: unknown, end: (call: ActiveCall) => void): void => {
    const operation = typeof callId === 'string' ? operations.get(callId) : undefined;
    if (!operation) return;
    operations.delete(callId as string);
    if (operation.model) end(operation.model);
    for (const child of operation.children.values()) end(child);
    end(operation.call);
  };

  return {
    onStart: guard('start', (e) => {
      const callId = text(e.callId);
      if (!callId) return;
      const attributes: Attributes = {};
      const functionId = text(e.functionId);
      if (functionId) attributes[AI_SDK_FUNCTION_ID] = functionId;
      const name = text(e.operationId) ?? 'ai.operation';
      const call = start(planFor(name, 'chain'), undefined, e, attributes);
      if (!call) return;
      if (operations.size >= MAX_OPEN_OPERATIONS) operations.delete(operations.keys().next().value!);
      operations.set(callId, { call, streams: STREAMING_OPERATIONS.has(name), model: undefined, children: new Map() });
    }),
    onLanguageModelCallStart: guard('model-start', (e) => {
      const operation = operations.get(text(e.callId) ?? '');
      if (!operation) return;
      const attributes = aiSdkRequestAttributes({ modelId: e.modelId, provider: e.provider }, e, operation.streams);
      operation.model = start(planFor('ai.languageModelCall', 'llm'), operation.call.span, e, attributes);
    }),
    onLanguageModelCallEnd: guard('model-end', (e) => {
      const operation = operations.get(text(e.callId) ?? '');
      const call = operation?.model;
      if (!call) return;
      operation.model = undefined;
      const result = aiSdkGenerateResult(
        { usage: e.usage, finishReason: e.finishReason, response: { id: e.responseId, modelId: e.modelId } },
        aiSdkProviderName(e.provider),
      );
      Object.assign(call.span.attributes, streamTiming(e.performance));
      call.succeed(undefined, result ?? {});
    }),
    onToolExecutionStart: guard('tool-start', (e) => {
      const operation = operations.get(text(e.callId) ?? '');
      const toolCall = asRecord(e.toolCall);
      const id = text(toolCall?.toolCallId);
      if (!operation || !toolCall || !id) return;
      const name = text(toolCall.toolName) ?? 'tool';
      const call = start(planFor(name, 'tool'), operation.call.span, e, { 'gen_ai.tool.name': name, 'gen_ai.tool.call.id': id });
      if (call) operation.children.set(id, call);
    }),
    onToolExecutionEnd: guard('tool-end', (e) => {
      const operation = operations.get(text(e.callId) ?? '');
      const id = text(asRecord(e.toolCall)?.toolCallId);
      const call = id ? operation?.children.get(id) : undefined;
      if (!call) return;
      operation!.children.delete(id!);
      const output = asRecord(e.toolOutput);
      if (output?.type === 'tool-error') call.fail(output.error ?? new Error('tool failed'));
      else call.succeed(undefined, {});
    }),
    onEmbedStart: guard('embed-start', (e) => {
      const operation = operations.get(text(e.callId) ?? '');
      const id = text(e.embedCallId);
      if (!operation || !id) return;
      const attributes = aiSdkRequestAttributes({ modelId: e.modelId, provider: e.provider }, {}, false);
      const dimensions = count(e.dimensions);
      if (dimensions !== undefined) attributes[GenAI.EMBEDDINGS_DIMENSION_COUNT] = dimensions;
      const call = start(planFor(text(e.operationId) ?? 'ai.embed.doEmbed', 'embedding'), operation.call.span, e, attributes);
      if (call) operation.children.set(id, call);
    }),
    onEmbedEnd: guard('embed-end', (e) => {
      const operation = operations.get(text(e.callId) ?? '');
      const id = text(e.embedCallId);
      const call = id ? operation?.children.get(id) : undefined;
      if (!call) return;
      operation!.children.delete(id!);
      const result = newResult(aiSdkProviderName(e.provider));
      result.model = text(e.modelId);
      result.inputTokens = count(asRecord(e.usage)?.tokens);
      call.succeed(undefined, result);
    }),
    onStepError: guard('step-error', (e) => {
      const operation = operations.get(text(e.callId) ?? '');
      const call = operation?.model;
      if (!call) return;
      operation.model = undefined;
      call.fail(e.error);
    }),
    onEnd: guard('end', (e) => endOperation(e.callId, (call) => call.succeed(undefined, {}))),
    onAbort: guard('abort', (e) => endOperation(e.callId, (call) => call.fail(e.reason ?? abortError()))),
    onError: (error: unknown) => {
      try {
        const e = asRecord(error);
        endOperation(e?.callId, (call) => call.fail(e?.error ?? error));
      } catch (recordError) {
        reportInternalError('ai-sdk.telemetry.error', recordError);
      }
    },
  };
}

function abortError(): Error {
  const error = new Error('The operation was aborted');
  error.name = 'AbortError';
  return error;
}
