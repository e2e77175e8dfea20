/**
 * The per-call log line, opt-in (`startTracing({ logCalls: true })` or `attachCallLog()`): one
 * `LLM_CALL_METRICS` line (info) for each model call that succeeded and one `LLM_CALL_ERROR` line
 * (error) for each that failed, with the fields of a classic LLM call log (request_id, model,
 * function, timestamp, success, error_type, error_message, duration_seconds, prompt_tokens,
 * completion_tokens, caller_context) plus the OpenTelemetry correlation (`trace_id`, `span_id`,
 * `trace_flags`) and the cost. A TraceStore subscriber: it sees every call, sampled in or not.
 * Fields are listed in docs/logging.md.
 */
import { GenAI, LLMTrace, modelOfAttributes } from './attributes.js';
import { checkKind } from './record/call-plan.js';
import { getLogger, getStore } from './config.js';
import { suppressTracing } from './context.js';
import { reportInternalError } from './internal/diagnostics.js';
import { checkKnownKeys, invalidOption } from './internal/validate.js';
import { HUMAN_LINE } from './log/log-record.js';
import { humanMs, humanUsd, roundSeconds, roundUsd } from './log/round.js';
import type { TraceLogger } from './logger.js';
import type { AttributeValue, SpanData, SpanKind } from './span.js';
import { TraceStore } from './trace-store.js';

/** Message of the line of a model call that succeeded. */
export const CALL_METRICS_LOG_MESSAGE = 'LLM_CALL_METRICS';

/** Message of the line of a model call that failed. */
export const CALL_ERROR_LOG_MESSAGE = 'LLM_CALL_ERROR';

/** Span kinds logged by default: model calls. */
export const DEFAULT_CALL_LOG_KINDS: readonly SpanKind[] = Object.freeze(['llm', 'embedding'] as SpanKind[]);

/** Options of `attachCallLog`. */
export interface CallLogOptions {
  /** The store whose calls are logged. @default the configured store (`getStore()`) */
  store?: TraceStore;
  /** The logger the lines go to. @default the configured logger (`getLogger()`) at each call */
  logger?: TraceLogger;
  /**
   * Span kinds logged.
   * @default ['llm', 'embedding'] (DEFAULT_CALL_LOG_KINDS)
   */
  kinds?: readonly SpanKind[];
}

const OPTION_KEYS: readonly (keyof CallLogOptions)[] = ['store', 'logger', 'kinds'];

/** The fields of a span the call log reads (a live Span or its JSON form). */
export type LoggedCall = Pick<
  SpanData,
  'id' | 'traceId' | 'parentId' | 'name' | 'kind' | 'status' | 'startTime' | 'duration' | 'attributes' | 'error' | 'scopes' | 'sampled'
>;

function str(value: AttributeValue | undefined): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function int(value: AttributeValue | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Who made the call: the enclosing scopes, the parent span and the static `context` option. */
function callerContext(span: LoggedCall): Record<string, string> {
  const context: Record<string, string> = {};
  const named = str(span.attributes[LLMTrace.CONTEXT]);
  if (named) context.context = named;
  for (const [kind, id] of Object.entries(span.scopes)) context[`${kind}_id`] = id!;
  if (span.parentId) context.parent_span_id = span.parentId;
  return context;
}

/**
 * The fields of a call's line (pure). `request_id` is the call's own id (its span id), unique per
 * call; the provider's request id, when the SDK reported one, is `provider_request_id`.
 */
export function callLogFields(span: LoggedCall): Record<string, unknown> {
  const a = span.attributes;
  const prompt = int(a[GenAI.USAGE_INPUT_TOKENS]);
  const completion = int(a[GenAI.USAGE_OUTPUT_TOKENS]);
  const cost = a[LLMTrace.COST_USD];
  const fn = str(a[LLMTrace.FUNCTION]) ?? span.name;
  const fields: Record<string, unknown> = {
    request_id: span.id,
    trace_id: span.traceId,
    span_id: span.id,
    trace_flags: span.sampled ? '01' : '00',
    model: modelOfAttributes(a) ?? null,
    function: fn,
    provider: str(a[GenAI.PROVIDER_NAME]),
    operation: str(a[GenAI.OPERATION_NAME]),
    timestamp: new Date(span.startTime).toISOString(),
    success: span.status !== 'error',
    error_type: span.status === 'error' ? (span.error?.type ?? 'Error') : null,
    error_message: span.status === 'error' ? (span.error?.message ?? '') : null,
    duration_seconds: roundSeconds(span.duration / 1000),
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt !== null && completion !== null ? prompt + completion : null,
    cost_usd: typeof cost === 'number' ? roundUsd(cost) : null,
    caller_context: callerContext(span),
  };
  const ttft = int(a[LLMTrace.TIME_TO_FIRST_TOKEN_MS]);
  if (ttft !== null) fields.time_to_first_token_seconds = roundSeconds(ttft / 1000);
  const providerRequestId = str(a[LLMTrace.REQUEST_ID]);
  if (providerRequestId) fields.provider_request_id = providerRequestId;
  return fields;
}

/** The one-line human form: `gpt-4o-mini  openai.chat  ok  274 ms  120+45 tokens  $0.000123`. */
export function callHumanLine(fields: Record<string, unknown>): string {
  const parts = [String(fields.model ?? 'unknown'), String(fields.function)];
  parts.push(fields.success ? 'ok' : `${String(fields.error_type)}: ${String(fields.error_message)}`);
  parts.push(humanMs((fields.duration_seconds as number) * 1000));
  if (fields.prompt_tokens !== null || fields.completion_tokens !== null) {
    parts.push(`${String(fields.prompt_tokens ?? '?')}+${String(fields.completion_tokens ?? '?')} tokens`);
  }
  if (typeof fields.cost_usd === 'number') parts.push(humanUsd(fields.cost_usd));
  return parts.join('  ');
}

/**
 * Validates call log options (`logCalls` in `startTracing`) and returns the kinds logged. Throws a
 * TypeError naming the option when one is invalid.
 */
export function checkCallLogOptions(options: CallLogOptions): ReadonlySet<SpanKind> {
  if (options === null || typeof options !== 'object') invalidOption('logCalls', 'true, false or call log options', options);
  checkKnownKeys(options, OPTION_KEYS, 'logCalls');
  if (options.store !== undefined && !(options.store instanceof TraceStore)) {
    invalidOption('logCalls.store', 'a TraceStore', options.store);
  }
  if (options.logger !== undefined && (typeof options.logger !== 'object' || options.logger === null || !('log' in options.logger))) {
    invalidOption('logCalls.logger', 'a TraceLogger (createLogger())', options.logger);
  }
  if (options.kinds !== undefined && !Array.isArray(options.kinds)) invalidOption('logCalls.kinds', 'an array of span kinds', options.kinds);
  return new Set((options.kinds ?? DEFAULT_CALL_LOG_KINDS).map((kind) => checkKind(kind)));
}

/**
 * Logs one line per finished model call of the store. Returns the function that stops it.
 * Throws a TypeError naming the option when one is invalid; logging itself never throws.
 * @example
 * const stop = attachCallLog({ logger: createLogger({ output: pino() }) });
 */
export function attachCallLog(options: CallLogOptions = {}): () => void {
  const kinds = checkCallLogOptions(options);
  return (options.store ?? getStore()).subscribe((span) => {
    if (!kinds.has(span.kind)) return;
    try {
      const fields = callLogFields(span);
      const line = { ...fields, [HUMAN_LINE]: callHumanLine(fields) };
      const { log } = options.logger ?? getLogger();
      // Outside the call's context: the line's correlation is the call's own, not its caller's.
      suppressTracing(() => (fields.success ? log.info(CALL_METRICS_LOG_MESSAGE, line) : log.error(CALL_ERROR_LOG_MESSAGE, line)));
    } catch (error) {
      reportInternalError('call-log', error);
    }
  });
}
