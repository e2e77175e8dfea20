/**
 * The JSONL session trace format and the pure mapping from spans to its lines. One JSON object a
 * line: `{ "type", "timestamp", "session_id", "data" }`. An llm (or embedding) span becomes an
 * `llm_request` line at its start and an `llm_response` (or `error`) line at its end; its own
 * events become `custom` lines; other spans become one `custom` line (and an `error` line when they
 * failed). `session_start` / `session_end` frame each file. See docs/storage.md#session-files.
 */
import { GenAI, LLMTrace, SpanEvents } from '../attributes.js';
import { capturedSystemInstructions, capturedText } from '../messages/captured-content.js';
import { recordedSampleWeight, type SamplingPolicy } from '../sampling.js';
import type { AttributeValue, SpanData } from '../span.js';

/** The kinds of line. */
export type SessionEventType = 'session_start' | 'session_metadata' | 'llm_request' | 'llm_response' | 'error' | 'custom' | 'session_end';

/** All line types, for validation. */
export const SESSION_EVENT_TYPES: readonly SessionEventType[] = [
  'session_start',
  'session_metadata',
  'llm_request',
  'llm_response',
  'error',
  'custom',
  'session_end',
];

/** One line of a session file. */
export interface SessionEvent {
  type: SessionEventType;
  /** ISO 8601 with milliseconds. */
  timestamp: string;
  session_id: string;
  /** Type-specific fields: see `LlmResponseData`, `SessionEndData`, ... */
  data: Record<string, unknown>;
}

/** `data` of an `llm_request` line. */
export interface LlmRequestData {
  span_id: string;
  trace_id: string;
  parent_id?: string;
  name: string;
  model?: string;
  provider?: string;
  operation?: string;
  /**
   * Captured (redacted, capped) request, when capture is `full`: JSON text of the GenAI input
   * messages, or of the raw arguments when llmtrace knows no message shape for them.
   */
  input?: string;
  /** Captured system instructions given apart from the messages (JSON text of a part list). */
  system_instructions?: string;
}

/** `data` of an `llm_response` line. */
export interface LlmResponseData {
  span_id: string;
  name: string;
  model?: string;
  duration_ms: number;
  input_tokens?: number;
  output_tokens?: number;
  cost_usd?: number | null;
  time_to_first_token_ms?: number;
  finish_reasons?: readonly string[];
  /** Captured (redacted, capped) response, when capture is `full`: JSON text of the GenAI output messages, or of the raw result. */
  output?: string;
  /** Calls this line stands for under sampling (see `sampleWeight`); absent when 1. */
  sample_weight?: number;
  /** True for a model call made of the model calls below it (`llmtrace.model_call.in_children`): not a call of its own. */
  model_call_in_children?: true;
}

/** `data` of an `error` line. */
export interface ErrorData {
  span_id: string;
  name: string;
  kind: string;
  model?: string;
  duration_ms: number;
  error_type: string;
  message: string;
  /** See `LlmResponseData.sample_weight`. */
  sample_weight?: number;
  /** See `LlmResponseData.model_call_in_children`. */
  model_call_in_children?: true;
}

/**
 * `data` of a `session_start` line. `sampling` is present when the file holds a sample: only traces
 * kept by the head `ratio`, plus (with `keep_errors` / `slower_than_ms`) failed or slow calls kept
 * whatever their trace; each call line then carries its `sample_weight`.
 */
export interface SessionStartData {
  pid: number;
  sampling?: { ratio: number; keep_errors: boolean; slower_than_ms: number | null };
}

/** `data` of a `session_end` line. */
export interface SessionEndData {
  duration_seconds: number;
}

const LLM_KINDS = new Set(['llm', 'embedding']);
/** Events a call line already says (the exception; the 0.1 content events, now attributes). */
const FOLDED_EVENTS = new Set<string>(['gen_ai.request', 'gen_ai.response', SpanEvents.EXCEPTION]);

/** ISO timestamp of an epoch-ms time. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

function str(value: AttributeValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function num(value: AttributeValue | undefined): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/** Drops undefined fields so lines stay small and `jq`-friendly. */
function compact<T extends object>(data: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined));
}

function modelCallInChildren(span: SpanData): true | undefined {
  return span.attributes[LLMTrace.MODEL_CALL_IN_CHILDREN] === true ? true : undefined;
}

function modelOf(span: SpanData): string | undefined {
  return str(span.attributes[GenAI.RESPONSE_MODEL]) ?? str(span.attributes[GenAI.REQUEST_MODEL]);
}

function errorLine(span: SpanData, sessionId: string, weight: number): SessionEvent {
  const data: ErrorData = {
    span_id: span.id,
    name: span.name,
    kind: span.kind,
    model: modelOf(span),
    duration_ms: span.duration,
    error_type: span.error?.type ?? 'Error',
    message: span.error?.message ?? '',
    sample_weight: weight === 1 ? undefined : weight,
    model_call_in_children: modelCallInChildren(span),
  };
  return { type: 'error', timestamp: isoTime(span.endTime), session_id: sessionId, data: compact(data) };
}

function llmLines(span: SpanData, sessionId: string, weight: number): { start: SessionEvent; end: SessionEvent } {
  const a = span.attributes;
  const request: LlmRequestData = {
    span_id: span.id,
    trace_id: span.traceId,
    parent_id: span.parentId,
    name: span.name,
    model: str(a[GenAI.REQUEST_MODEL]),
    provider: str(a[GenAI.PROVIDER_NAME]),
    operation: str(a[GenAI.OPERATION_NAME]),
    input: capturedText(span, 'request')?.text,
    system_instructions: capturedSystemInstructions(span),
  };
  const start: SessionEvent = {
    type: 'llm_request',
    timestamp: isoTime(span.startTime),
    session_id: sessionId,
    data: compact(request),
  };
  if (span.status === 'error') return { start, end: errorLine(span, sessionId, weight) };
  const cost = a[LLMTrace.COST_USD];
  const reasons = a[GenAI.RESPONSE_FINISH_REASONS];
  const response: LlmResponseData = {
    span_id: span.id,
    name: span.name,
    model: modelOf(span),
    duration_ms: span.duration,
    input_tokens: num(a[GenAI.USAGE_INPUT_TOKENS]),
    output_tokens: num(a[GenAI.USAGE_OUTPUT_TOKENS]),
    cost_usd: typeof cost === 'number' || cost === null ? cost : undefined,
    time_to_first_token_ms: num(a[LLMTrace.TIME_TO_FIRST_TOKEN_MS]),
    finish_reasons: Array.isArray(reasons) ? (reasons as readonly string[]) : undefined,
    output: capturedText(span, 'response')?.text,
    sample_weight: weight === 1 ? undefined : weight,
    model_call_in_children: modelCallInChildren(span),
  };
  return {
    start,
    end: { type: 'llm_response', timestamp: isoTime(span.endTime), session_id: sessionId, data: compact(response) },
  };
}

/**
 * The lines one finished span becomes, in time order. Session spans themselves only contribute
 * their events (their start and end frame the file; the exporter writes those). `sampleWeight` is
 * the number of calls the span stands for under sampling, written when not 1; by default the one
 * the span recorded (`llmtrace.sample_weight`).
 */
export function spanToSessionEvents(span: SpanData, sessionId: string, sampleWeight = recordedSampleWeight(span.attributes)): SessionEvent[] {
  const custom: SessionEvent[] = span.events
    .filter((event) => !FOLDED_EVENTS.has(event.name))
    .map((event) => ({
      type: 'custom' as const,
      timestamp: isoTime(event.time),
      session_id: sessionId,
      data: { span_id: span.id, name: event.name, attributes: event.attributes },
    }));
  if (LLM_KINDS.has(span.kind)) {
    const { start, end } = llmLines(span, sessionId, sampleWeight);
    return [start, ...custom, end];
  }
  if (span.kind === 'session') return custom;
  const summary: SessionEvent = {
    type: 'custom',
    timestamp: isoTime(span.endTime),
    session_id: sessionId,
    data: compact({
      span_id: span.id,
      trace_id: span.traceId,
      parent_id: span.parentId,
      name: span.name,
      kind: span.kind,
      status: span.status,
      duration_ms: span.duration,
    }),
  };
  return span.status === 'error' ? [...custom, summary, errorLine(span, sessionId, sampleWeight)] : [...custom, summary];
}

/** The `sampling` field of `session_start` under `policy`, or undefined when everything is kept. */
export function samplingMark(policy: SamplingPolicy): SessionStartData['sampling'] {
  if (policy.ratio >= 1) return undefined;
  return {
    ratio: policy.ratio,
    keep_errors: policy.keepErrors,
    slower_than_ms: Number.isFinite(policy.slowerThanMs) ? policy.slowerThanMs : null,
  };
}
