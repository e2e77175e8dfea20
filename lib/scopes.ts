/**
 * Scopes: `withSpan` runs a block of code as a span, so the calls and log lines inside it nest under
 * it with no ids passed by hand. Scope kinds (`session`, `run`, `iteration`, `request`, `model`,
 * `agent`) also put their id on every span and log line inside (`run_id`, `iteration_id`, ...).
 */
import { checkKind, isAsyncFunction, type CallPlan } from './record/call-plan.js';
import { invoke } from './record/recorder.js';
import { LLMTrace } from './attributes.js';
import { Span, type Attributes, type ParentRef, type SpanKind } from './span.js';
import { getState } from './config.js';
import { currentSpan } from './context.js';
import { checkStore, type TraceStore } from './trace-store.js';
import { checkOptions } from './internal/option-schemas.js';

/** Options of `withSpan`. */
export interface SpanScopeOptions {
  /** @default 'custom' */
  kind?: SpanKind;
  /** Attributes set when the span starts. */
  attributes?: Attributes;
  /** Store the span goes to. @default the configured store */
  store?: TraceStore;
  /** Parent to continue instead of the current span (a remote one; see `continueTrace`). */
  parent?: ParentRef;
}

const NO_MODEL = (): undefined => undefined;

function scopePlan(name: string, options: SpanScopeOptions, fn: Function): CallPlan {
  if (typeof name !== 'string' || name === '') {
    throw new TypeError(`llmtrace: withSpan needs a non-empty name, got ${String(name)} (${typeof name})`);
  }
  checkStore(options.store);
  return {
    name,
    kind: options.kind === undefined ? 'custom' : checkKind(options.kind),
    staticAttributes: { [LLMTrace.FUNCTION]: name, ...options.attributes },
    resolveModel: NO_MODEL,
    store: options.store,
    attributes: undefined,
    capture: 'off',
    maxContentBytes: undefined,
    extractor: undefined,
    resources: undefined,
    hooks: {},
    readsResult: false,
    returnsOwnPromise: isAsyncFunction(fn),
    parent: options.parent,
  };
}

/**
 * Runs `fn` as a span named `name`, and returns what it returns (a promise's span ends when it
 * settles). Spans started inside become its children.
 * @example
 * await withSpan('consortium_run', { kind: 'run', attributes: { prompt_id: id } }, async () => {
 *   for (let i = 0; i < 3; i++) await withSpan(`iteration_${i}`, { kind: 'iteration' }, () => step(i));
 * });
 */
export function withSpan<T>(name: string, fn: (span: Span) => T): T;
export function withSpan<T>(name: string, options: SpanScopeOptions, fn: (span: Span) => T): T;
export function withSpan<T>(
  name: string,
  optionsOrFn: SpanScopeOptions | ((span: Span) => T),
  maybeFn?: (span: Span) => T,
): T {
  if (typeof optionsOrFn !== 'function') checkOptions('withSpan', optionsOrFn);
  else if (maybeFn !== undefined) {
    throw new TypeError('llmtrace: withSpan takes (name, fn) or (name, options, fn): put the options before the function');
  }
  const fn = typeof optionsOrFn === 'function' ? optionsOrFn : maybeFn;
  if (typeof fn !== 'function') throw new TypeError(`llmtrace: withSpan needs a function to run, got ${typeof fn}`);
  const options = typeof optionsOrFn === 'function' ? {} : (optionsOrFn ?? {});
  const plan = scopePlan(name, options, fn);
  return invoke(plan, runWithCurrent, undefined, [fn]) as T;
}

/**
 * Runs `fn` in a `model` scope: a span named `model <model>` (kind `model`, `llmtrace.model_scope`
 * set to the model) whose id every span and log line inside carries (`llmtrace.scope.model` on
 * export, `model_id` in log lines), as the seed's `model_context("gpt-4")` does. Returns what `fn`
 * returns. Throws a TypeError when `model` is not a non-empty string.
 * @example
 * await withModel('gpt-4o', async () => {
 *   await ask(question);              // its span and log lines carry the scope's id
 * });
 */
export function withModel<T>(model: string, fn: (span: Span) => T): T {
  if (typeof model !== 'string' || model === '') {
    throw new TypeError(`llmtrace: withModel needs a non-empty model name, got ${String(model)} (${typeof model})`);
  }
  return withSpan(`model ${model}`, { kind: 'model', attributes: { [LLMTrace.MODEL_SCOPE]: model } }, fn);
}

let detached: Span | undefined;

/**
 * Calls the block with the span it runs in (the one `invoke` just made current). When tracing is
 * off or suppressed the block still runs, with an ended span that ignores writes and is never stored.
 */
function runWithCurrent<T>(fn: (span: Span) => T): T {
  // With tracing off, invoke ran no span: the current one, if any, is an enclosing span.
  const span = getState().enabled ? currentSpan() : undefined;
  if (span) return fn(span);
  if (!detached) {
    detached = new Span('detached', 'custom', undefined, {}, '0'.repeat(32), '0'.repeat(16), false);
    detached.finish();
  }
  return fn(detached);
}
