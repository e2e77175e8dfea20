/**
 * `traceAISdk(ai)`: the one-line setup. Returns the AI SDK's `generateText`, `streamText`,
 * `generateObject`, `streamObject`, `embed` and `embedMany`, each recording a span per call
 * (`ai.generateText`, kind `chain`; `ai.embed`, kind `embedding`) with the call's `functionId` and
 * `metadata` from `experimental_telemetry` as attributes; the call's model wrapped with
 * `llmtraceMiddleware` (an `llm` span per step, below it); and each tool's `execute` traced as a
 * `tool` span. It takes the `ai` module as an argument, so llmtrace never imports the AI SDK.
 */
import type { ActiveCall } from '../../lib/record/active-call.js';
import { GenAI } from '../../lib/attributes.js';
import { compilePlan, type CallPlan, type RecorderHooks } from '../../lib/record/call-plan.js';
import { asRecord, count, newResult, text } from '../../lib/extract/call-result.js';
import { invoke, traced } from '../../lib/record/recorder.js';
import type { Attributes } from '../../lib/span.js';
import { checkAdapterOptions, traceOptions } from '../internal/adapter-options.js';
import { checkOptions } from '../../lib/internal/option-schemas.js';
import { llmtraceMiddleware, type AISdkMiddlewareOptions } from './middleware.js';
import { aiSdkProviderName } from './parse.js';

/** The functions of the `ai` module `traceAISdk` reads (structural). */
export interface AISdkModule {
  wrapLanguageModel?: (options: { model: any; middleware: any }) => any;
  generateText?: (options: any) => any;
  streamText?: (options: any) => any;
  generateObject?: (options: any) => any;
  streamObject?: (options: any) => any;
  embed?: (options: any) => any;
  embedMany?: (options: any) => any;
}

/** The traced functions `traceAISdk` returns (those the given module has). */
export type TracedAISdk<M extends AISdkModule> = Pick<M, Extract<keyof M, 'generateText' | 'streamText' | 'generateObject' | 'streamObject' | 'embed' | 'embedMany'>>;

const GENERATORS = ['generateText', 'streamText', 'generateObject', 'streamObject'] as const;
const EMBEDDERS = ['embed', 'embedMany'] as const;

/** `llmtrace.ai_sdk.function_id`: the AI SDK's telemetry `functionId`. */
export const AI_SDK_FUNCTION_ID = 'llmtrace.ai_sdk.function_id';
/** Prefix of the AI SDK's telemetry `metadata` entries (`llmtrace.ai_sdk.metadata.user`). */
export const AI_SDK_METADATA_PREFIX = 'llmtrace.ai_sdk.metadata.';

/** A call's telemetry settings: ai 7's `telemetry`, else ai 5/6's `experimental_telemetry`. */
function telemetrySettings(callOptions: unknown): Record<string, unknown> | undefined {
  const o = asRecord(callOptions);
  return asRecord(o?.telemetry) ?? asRecord(o?.experimental_telemetry);
}

/**
 * Whether the AI SDK's own telemetry records this call: ai 5/6 `experimental_telemetry.isEnabled`;
 * ai 7 `telemetry.integrations` given for the call (telemetry is on by default there once an
 * integration is registered, which llmtrace cannot see: set `aiSdkTelemetry: true` for that).
 */
function aiSdkTelemetryOn(callOptions: unknown): boolean {
  const telemetry = telemetrySettings(callOptions);
  if (!telemetry || telemetry.isEnabled === false) return false;
  return telemetry.isEnabled === true || (Array.isArray(telemetry.integrations) && telemetry.integrations.length > 0);
}

/** The attributes of a call's telemetry settings (functionId and scalar metadata; ai 7 `telemetry`, ai 5/6 `experimental_telemetry`). */
export function telemetryAttributes(callOptions: unknown): Attributes {
  const telemetry = telemetrySettings(callOptions);
  const a: Attributes = {};
  if (!telemetry) return a;
  const functionId = text(telemetry.functionId);
  if (functionId) a[AI_SDK_FUNCTION_ID] = functionId;
  const metadata = asRecord(telemetry.metadata);
  for (const [key, value] of Object.entries(metadata ?? {})) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') a[AI_SDK_METADATA_PREFIX + key] = value;
  }
  return a;
}

function modelAttributes(model: unknown): Attributes {
  const m = asRecord(model);
  const a: Attributes = {};
  const id = text(m?.modelId);
  if (id) a[GenAI.REQUEST_MODEL] = id;
  const provider = aiSdkProviderName(m?.provider);
  if (provider) a[GenAI.PROVIDER_NAME] = provider;
  return a;
}

/** The tools of a call, each `execute` traced as a `tool` span named after the tool. */
function traceTools(tools: unknown, cache: WeakMap<Function, Function>): unknown {
  const t = asRecord(tools);
  if (!t) return tools;
  const out: Record<string, unknown> = {};
  for (const [name, tool] of Object.entries(t)) {
    const execute = asRecord(tool)?.execute;
    if (typeof execute !== 'function') {
      out[name] = tool;
      continue;
    }
    let wrapped = cache.get(execute);
    if (!wrapped) {
      wrapped = traced(execute as (...args: unknown[]) => unknown, {
        name,
        kind: 'tool',
        attributes: (args): Attributes => {
          const a: Attributes = { 'gen_ai.tool.name': name };
          const id = text(asRecord(args[1])?.toolCallId);
          if (id) a['gen_ai.tool.call.id'] = id;
          return a;
        },
      });
      cache.set(execute, wrapped);
    }
    out[name] = { ...(tool as object), execute: wrapped };
  }
  return out;
}

/**
 * Ends a `streamText`/`streamObject` span when the result's stream has been read (its
 * `finishReason`/`object` promise settles), with `streamText`'s finish reason as `generateText`'s
 * span has it.
 */
function adoptStreamResult(value: unknown, call: ActiveCall): boolean {
  const r = asRecord(value);
  if (!r) return false;
  let done: unknown;
  try {
    done = 'finishReason' in r ? r.finishReason : r.object;
  } catch {
    return false;
  }
  if (!done || typeof (done as PromiseLike<unknown>).then !== 'function') return false;
  (done as PromiseLike<unknown>).then(
    (settled: unknown) => {
      const reason = 'finishReason' in r ? text(settled) : undefined;
      call.succeed(undefined, reason === undefined ? {} : { finishReasons: [reason] });
    },
    (error: unknown) => call.fail(error),
  );
  return true;
}

/** An embedding call's result: token count and the model (`embed`/`embedMany` report `usage.tokens`). */
function embeddingResult(value: unknown) {
  const r = asRecord(value);
  const tokens = count(asRecord(r?.usage)?.tokens);
  if (tokens === undefined) return undefined;
  const out = newResult(undefined);
  out.inputTokens = tokens;
  return out;
}

/**
 * Returns the AI SDK's generation and embedding functions, traced: a span per call with its
 * `functionId`/metadata, an `llm` span per model call (step) below it with tokens, cost, TTFT and
 * finish reason, and a `tool` span per tool execution. Pass the `ai` module itself. Throws a
 * TypeError naming the option when one is invalid.
 * @example
 * import * as ai from 'ai';
 * import { traceAISdk } from 'llmtrace/ai-sdk';
 * const { generateText, streamText } = traceAISdk(ai);
 * const { text } = await generateText({ model: openai('gpt-4o-mini'), prompt: 'Hi' });
 */
export function traceAISdk<M extends AISdkModule>(ai: M, options?: AISdkMiddlewareOptions): TracedAISdk<M> {
  if (ai === null || typeof ai !== 'object' || typeof ai.wrapLanguageModel !== 'function') {
    throw new TypeError("llmtrace: traceAISdk needs the 'ai' module (import * as ai from 'ai'), got a value without wrapLanguageModel");
  }
  checkOptions('traceAISdk', options);
  const base = options ?? {};
  const middlewares = {
    plain: llmtraceMiddleware({ ...base, aiSdkTelemetry: base.aiSdkTelemetry ?? false }),
    telemetry: llmtraceMiddleware({ ...base, aiSdkTelemetry: true }),
  };
  const { aiSdkTelemetry: _t, retryGraceMs: _g, ...adapterOptions } = base;
  const checked = checkAdapterOptions(adapterOptions, 'traceAISdk');
  const wrapLanguageModel = ai.wrapLanguageModel.bind(ai);
  const toolCache = new WeakMap<Function, Function>();
  const out: Record<string, Function> = {};

  for (const name of GENERATORS) {
    const fn = ai[name];
    if (typeof fn !== 'function') continue;
    const streaming = name.startsWith('stream');
    const hooks: RecorderHooks = {
      requestAttributes: (args) => ({ ...modelAttributes(asRecord(args[0])?.model), ...telemetryAttributes(args[0]) }),
      ...(streaming ? { adoptResult: adoptStreamResult } : {}),
    };
    const chainOptions = { ...traceOptions(checked, { name: `ai.${name}`, kind: 'llm', operation: 'chat' }), kind: 'chain' as const, operation: undefined };
    const chainPlan: CallPlan = compilePlan(fn, chainOptions, hooks);
    out[name] = function tracedAISdkCall(this: unknown, callOptions: unknown, ...rest: unknown[]): unknown {
      const o = asRecord(callOptions);
      if (!o || !o.model || typeof o.model !== 'object') return (fn as Function).apply(this, [callOptions, ...rest]);
      const telemetryOn = aiSdkTelemetryOn(o);
      const middleware = telemetryOn || base.aiSdkTelemetry ? middlewares.telemetry : middlewares.plain;
      const next: Record<string, unknown> = { ...o, model: wrapLanguageModel({ model: o.model, middleware }) };
      if (o.tools !== undefined) next.tools = traceTools(o.tools, toolCache);
      return invoke(chainPlan, fn, this, [next, ...rest]);
    };
  }
  for (const name of EMBEDDERS) {
    const fn = ai[name];
    if (typeof fn !== 'function') continue;
    const plan = compilePlan(fn, { ...traceOptions(checked, { name: `ai.${name}`, kind: 'embedding', operation: 'embeddings' }), extractor: embeddingResult }, {
      requestAttributes: (args) => ({ ...modelAttributes(asRecord(args[0])?.model), ...telemetryAttributes(args[0]) }),
    });
    out[name] = function tracedAISdkEmbed(this: unknown, ...args: unknown[]): unknown {
      return invoke(plan, fn, this, args);
    };
  }
  return out as TracedAISdk<M>;
}
