/**
 * `llmtraceTelemetry()`: an AI SDK 7 telemetry integration (`registerTelemetry(llmtraceTelemetry())`,
 * or per call `telemetry: { integrations: [llmtraceTelemetry()] }`). The AI SDK calls it at each
 * point of an operation, every event carrying the operation's `callId`, so concurrent calls stay
 * apart: `onStart` opens a `chain` span for the operation (`ai.generateText`, ...; functionId as
 * `llmtrace.ai_sdk.function_id`), each `onLanguageModelCallStart`/`End` pair an `llm` span below it
 * (model, parameters, the provider's token counts, finish reason, response id, cost), each tool
 * execution a `tool` span, and `onEnd`/`onAbort`/`onError` end the operation. Use it instead of
 * `llmtraceMiddleware`/`traceAISdk`, not beside them (each model call would be recorded twice).
 * Depends on the event shapes only; it never imports the AI SDK.
 */
import { getState } from '../../lib/config.js';
import { activeValue } from '../../lib/context.js';
import { asRecord, text } from '../../lib/extract/call-result.js';
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
  onStepError: Listener;
  onEnd: Listener;
  onAbort: Listener;
  onError: (error: unknown) => void;
}

/** Operations whose end never comes are dropped past this many open ones (a leak bound). */
const MAX_OPEN_OPERATIONS = 10_000;

function placeholder(): void {}

/** One operation in flight: its span, and the model call and tool calls open under it. */
interface Operation {
  readonly call: ActiveCall;
  model: ActiveCall | undefined;
  readonly tools: Map<string, ActiveCall>;
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
  const planFor = (name: string, kind: 'chain' | 'llm' | 'tool'): CallPlan => {
    const key = `${kind}\u0000${name}`;
    let plan = plans.get(key);
    if (!plan) {
      const base = traceOptions(checked, { name, kind: 'llm', operation: 'chat' });
      plan = compilePlan(placeholder, kind === 'llm' ? base : { ...base, kind, operation: undefined }, kind === 'llm' ? { chunkResult: () => undefined } : {});
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
    for (const tool of operation.tools.values()) end(tool);
    end(operation.call);
  };

  return {
    onStart: guard('start', (e) => {
      const callId = text(e.callId);
      if (!callId) return;
      const attributes: Attributes = {};
      const functionId = text(e.functionId);
      if (functionId) attributes[AI_SDK_FUNCTION_ID] = functionId;
      const call = start(planFor(text(e.operationId) ?? 'ai.operation', 'chain'), undefined, e, attributes);
      if (!call) return;
      if (operations.size >= MAX_OPEN_OPERATIONS) operations.delete(operations.keys().next().value!);
      operations.set(callId, { call, model: undefined, tools: new Map() });
    }),
    onLanguageModelCallStart: guard('model-start', (e) => {
      const operation = operations.get(text(e.callId) ?? '');
      if (!operation) return;
      const attributes = aiSdkRequestAttributes({ modelId: e.modelId, provider: e.provider }, e, false);
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
      call.succeed(undefined, result ?? {});
    }),
    onToolExecutionStart: guard('tool-start', (e) => {
      const operation = operations.get(text(e.callId) ?? '');
      const toolCall = asRecord(e.toolCall);
      const id = text(toolCall?.toolCallId);
      if (!operation || !toolCall || !id) return;
      const name = text(toolCall.toolName) ?? 'tool';
      const call = start(planFor(name, 'tool'), operation.call.span, e, { 'gen_ai.tool.name': name, 'gen_ai.tool.call.id': id });
      if (call) operation.tools.set(id, call);
    }),
    onToolExecutionEnd: guard('tool-end', (e) => {
      const operation = operations.get(text(e.callId) ?? '');
      const id = text(asRecord(e.toolCall)?.toolCallId);
      const call = id ? operation?.tools.get(id) : undefined;
      if (!call) return;
      operation!.tools.delete(id!);
      const output = asRecord(e.toolOutput);
      if (output?.type === 'tool-error') call.fail(output.error ?? new Error('tool failed'));
      else call.succeed(undefined, {});
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
