/**
 * JSONL session files read back as spans, so every query works on them as on a store directory.
 * Pure: session events in, spans out. An `llm_request` line and its `llm_response` (or `error`)
 * line become one model-call span; a `custom` line with a `kind` becomes a scope or tool span;
 * other `custom` lines become events of the span they name. A span whose line carries no trace id
 * inherits it from a child that does, else it takes the session id.
 */
import { GenAI, LLMTrace } from '../attributes.js';
import type { Attributes, SpanData, SpanEvent, SpanKind, SpanStatus } from '../span.js';
import type { SessionEvent } from '../storage/session-events.js';

interface Draft {
  id: string;
  traceId?: string;
  parentId?: string;
  name: string;
  kind: SpanKind;
  startTime?: number;
  endTime: number;
  duration: number;
  status: SpanStatus;
  attributes: Attributes;
  events: SpanEvent[];
  error?: { type: string; message: string };
  sessionId: string;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function draftFor(drafts: Map<string, Draft>, id: string, event: SessionEvent): Draft {
  let draft = drafts.get(id);
  if (!draft) {
    draft = { id, name: '', kind: 'custom', endTime: 0, duration: 0, status: 'success', attributes: {}, events: [], sessionId: event.session_id };
    drafts.set(id, draft);
  }
  return draft;
}

function setIfDefined(attributes: Attributes, key: string, value: string | number | undefined): void {
  if (value !== undefined) attributes[key] = value;
}

function applyRequest(draft: Draft, data: Record<string, unknown>, time: number): void {
  draft.traceId = str(data.trace_id) ?? draft.traceId;
  draft.parentId = str(data.parent_id) ?? draft.parentId;
  draft.name = str(data.name) ?? draft.name;
  draft.kind = 'llm';
  draft.startTime = time;
  setIfDefined(draft.attributes, GenAI.REQUEST_MODEL, str(data.model));
  setIfDefined(draft.attributes, GenAI.PROVIDER_NAME, str(data.provider));
  setIfDefined(draft.attributes, GenAI.OPERATION_NAME, str(data.operation));
  if (str(data.operation) === 'embeddings') draft.kind = 'embedding';
  applyContent(draft.attributes, str(data.input), GenAI.INPUT_MESSAGES, LLMTrace.REQUEST_CONTENT);
  setIfDefined(draft.attributes, GenAI.SYSTEM_INSTRUCTIONS, str(data.system_instructions));
}

/** A line's captured text back on the span: as GenAI messages when it is a message list, else as the raw capture. */
function applyContent(attributes: Attributes, text: string | undefined, messagesKey: string, rawKey: string): void {
  if (text === undefined) return;
  attributes[isMessageList(text) ? messagesKey : rawKey] = text;
}

function isMessageList(text: string): boolean {
  if (!text.startsWith('[{"role":')) return false;
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) && value.every((m) => m !== null && typeof m === 'object' && Array.isArray((m as { parts?: unknown }).parts));
  } catch {
    return false;
  }
}

function applyEnd(draft: Draft, event: SessionEvent, time: number): void {
  const data = event.data;
  draft.name = str(data.name) ?? draft.name;
  draft.endTime = time;
  draft.duration = num(data.duration_ms) ?? 0;
  setIfDefined(draft.attributes, GenAI.RESPONSE_MODEL, str(data.model));
  setIfDefined(draft.attributes, LLMTrace.SAMPLE_WEIGHT, num(data.sample_weight));
  if (data.model_call_in_children === true) draft.attributes[LLMTrace.MODEL_CALL_IN_CHILDREN] = true;
  if (event.type === 'error') {
    draft.status = 'error';
    draft.error = { type: str(data.error_type) ?? 'Error', message: typeof data.message === 'string' ? data.message : '' };
    if (typeof data.kind === 'string') draft.kind = data.kind as SpanKind;
    return;
  }
  setIfDefined(draft.attributes, GenAI.USAGE_INPUT_TOKENS, num(data.input_tokens));
  setIfDefined(draft.attributes, GenAI.USAGE_OUTPUT_TOKENS, num(data.output_tokens));
  setIfDefined(draft.attributes, LLMTrace.TIME_TO_FIRST_TOKEN_MS, num(data.time_to_first_token_ms));
  applyContent(draft.attributes, str(data.output), GenAI.OUTPUT_MESSAGES, LLMTrace.RESPONSE_CONTENT);
  if (data.cost_usd === null) draft.attributes[LLMTrace.COST_USD] = null;
  else setIfDefined(draft.attributes, LLMTrace.COST_USD, num(data.cost_usd));
}

function applyCustom(drafts: Map<string, Draft>, event: SessionEvent, time: number): void {
  const data = event.data;
  const id = str(data.span_id);
  if (!id) return;
  const draft = draftFor(drafts, id, event);
  if (typeof data.kind === 'string') {
    draft.traceId = str(data.trace_id) ?? draft.traceId;
    draft.parentId = str(data.parent_id) ?? draft.parentId;
    draft.name = str(data.name) ?? draft.name;
    draft.kind = data.kind as SpanKind;
    draft.endTime = time;
    draft.duration = num(data.duration_ms) ?? 0;
    if (data.status === 'error') draft.status = 'error';
    return;
  }
  const attributes = data.attributes !== null && typeof data.attributes === 'object' ? (data.attributes as Attributes) : {};
  draft.events.push({ name: str(data.name) ?? 'event', time, attributes });
}

/** Fills in trace ids: a span without one takes its children's, else its session id. */
function resolveTraceIds(drafts: Map<string, Draft>): void {
  for (let changed = true; changed; ) {
    changed = false;
    for (const draft of drafts.values()) {
      if (!draft.traceId || !draft.parentId) continue;
      const parent = drafts.get(draft.parentId);
      if (parent && !parent.traceId) {
        parent.traceId = draft.traceId;
        changed = true;
      }
    }
  }
}

/**
 * The spans recorded in a session file's events (from `readSessionFile`), in end-time order.
 * @example
 * const { events } = await readSessionFile('traces/session-abc.jsonl');
 * const spans = sessionEventsToSpans(events);
 */
export function sessionEventsToSpans(events: readonly SessionEvent[]): SpanData[] {
  const drafts = new Map<string, Draft>();
  for (const event of events) {
    const time = Date.parse(event.timestamp);
    const id = str(event.data.span_id);
    if (event.type === 'llm_request' && id) applyRequest(draftFor(drafts, id, event), event.data, time);
    else if ((event.type === 'llm_response' || event.type === 'error') && id) applyEnd(draftFor(drafts, id, event), event, time);
    else if (event.type === 'custom') applyCustom(drafts, event, time);
  }
  resolveTraceIds(drafts);
  const spans: SpanData[] = [];
  for (const d of drafts.values()) {
    if (d.endTime === 0) continue; // only events, or a request whose response never came
    spans.push({
      id: d.id,
      traceId: d.traceId ?? d.sessionId,
      ...(d.parentId ? { parentId: d.parentId } : {}),
      name: d.name,
      kind: d.kind,
      startTime: d.startTime ?? d.endTime - d.duration,
      endTime: d.endTime,
      duration: d.duration,
      status: d.status,
      attributes: d.attributes,
      events: d.events,
      ...(d.error ? { error: d.error } : {}),
      scopes: {},
      sampled: true,
    });
  }
  return spans.sort((a, b) => a.endTime - b.endTime);
}
