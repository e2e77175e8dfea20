/**
 * Reading JSONL session files (for the CLI and notebooks): `readSessionFile` parses every line into
 * a typed `SessionEvent`, collecting malformed lines as errors that name the file and line instead
 * of failing; `summariseSession` turns events into calls, errors, tokens, cost and latency per model.
 */
import { callModelOf, GenAI } from '../attributes.js';
import type { AttributeValue } from '../span.js';
import { nodeFileSystem, type StorageFileSystem } from './fs-facade.js';
import { parseJsonLines, type JsonLineError } from './json-lines.js';
import { SESSION_EVENT_TYPES, type SessionEvent, type SessionStartData } from './session-events.js';

/** A line of a session file that could not be read. */
export type SessionFileError = JsonLineError;

/** What `readSessionFile` returns. */
export interface SessionFileContents {
  events: SessionEvent[];
  /** Malformed lines, skipped. */
  errors: SessionFileError[];
}

/** Latency and usage of one model within a session. */
export interface ModelSessionStats {
  calls: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  /** Sum of known costs, USD. */
  costUsd: number;
  avgLatencyMs: number | null;
  p50LatencyMs: number | null;
  maxLatencyMs: number | null;
}

/** What `summariseSession` returns. */
export interface SessionSummary {
  /** Session ids seen (normally one). */
  sessionIds: string[];
  /** First and last timestamps, epoch ms (null when there are no events). */
  start: number | null;
  end: number | null;
  /** From `session_end` when present, else end - start. */
  durationSeconds: number | null;
  calls: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  customEvents: number;
  /**
   * The sampling the file was written under (from `session_start`), or null when it holds every
   * call. When set, `calls` and `errors` count the lines of the sample; `estimatedCalls` and
   * `estimatedErrors` weight each line by its `sample_weight`, estimating the whole.
   */
  sampling: SessionStartData['sampling'] | null;
  /** Model calls the sample stands for (sum of `sample_weight`; equals `calls` when not sampled). */
  estimatedCalls: number;
  /** Failed calls the sample stands for (sum of `sample_weight` of error lines). */
  estimatedErrors: number;
  /** Per model (`unknown` when a line names none). */
  models: Record<string, ModelSessionStats>;
}

const TYPES = new Set<string>(SESSION_EVENT_TYPES);

function checkEvent(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object';
  const event = value as Record<string, unknown>;
  if (typeof event.type !== 'string' || !TYPES.has(event.type)) return `unknown type ${JSON.stringify(event.type)}`;
  if (typeof event.timestamp !== 'string' || Number.isNaN(Date.parse(event.timestamp))) return 'missing or invalid timestamp';
  if (typeof event.session_id !== 'string') return 'missing session_id';
  if (event.data === null || typeof event.data !== 'object') return 'missing data object';
  return undefined;
}

/** Parses the lines of a session file's text (`file` names it in errors). */
export function parseSessionLines(text: string, file: string): SessionFileContents {
  const { records, errors } = parseJsonLines<SessionEvent>(text, file, checkEvent);
  return { events: records, errors };
}

/** Reads a session file; malformed lines are skipped and returned in `errors`. Rejects only when the file cannot be read. */
export async function readSessionFile(path: string, fs: StorageFileSystem = nodeFileSystem): Promise<SessionFileContents> {
  return parseSessionLines(await fs.readFile(path), path);
}

function numberField(data: Record<string, unknown>, key: string): number {
  const value = data[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function modelStats(models: Record<string, ModelSessionStats & { latencies?: number[] }>, model: unknown) {
  const name = typeof model === 'string' && model !== '' ? model : 'unknown';
  models[name] ??= {
    calls: 0,
    errors: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    avgLatencyMs: null,
    p50LatencyMs: null,
    maxLatencyMs: null,
    latencies: [],
  };
  return models[name]!;
}

/** Calls, errors, tokens, cost and latency (per model) of a session's events. */
export function summariseSession(events: readonly SessionEvent[]): SessionSummary {
  const models: Record<string, ModelSessionStats & { latencies?: number[] }> = {};
  const ids = new Set<string>();
  const summary: SessionSummary = {
    sessionIds: [],
    start: null,
    end: null,
    durationSeconds: null,
    calls: 0,
    errors: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    customEvents: 0,
    sampling: null,
    estimatedCalls: 0,
    estimatedErrors: 0,
    models: {},
  };
  let endedSeconds: number | null = null;
  /** The requested model of each call still open (its `llm_request` line), by span id. */
  const requested = new Map<unknown, unknown>();
  for (const event of events) {
    ids.add(event.session_id);
    const time = Date.parse(event.timestamp);
    summary.start = summary.start === null ? time : Math.min(summary.start, time);
    summary.end = summary.end === null ? time : Math.max(summary.end, time);
    const data = event.data;
    if (event.type === 'llm_request') requested.set(data.span_id, data.model);
    const callEnd = event.type === 'llm_response' || (event.type === 'error' && data.kind !== undefined && ['llm', 'embedding'].includes(String(data.kind)));
    const asked = callEnd ? requested.get(data.span_id) : undefined;
    if (callEnd) requested.delete(data.span_id);
    // A model call made of the model calls below it is not a call of its own (they are counted).
    if (callEnd && data.model_call_in_children !== true) {
      // Under the model the query layer counts it: the requested one, unless answered by another.
      const stats = modelStats(models, callModelOf({ [GenAI.REQUEST_MODEL]: asked as AttributeValue, [GenAI.RESPONSE_MODEL]: data.model as AttributeValue }));
      stats.calls++;
      summary.calls++;
      const weight = typeof data.sample_weight === 'number' && data.sample_weight >= 1 ? data.sample_weight : 1;
      summary.estimatedCalls += weight;
      if (event.type === 'error') summary.estimatedErrors += weight;
      stats.latencies!.push(numberField(data, 'duration_ms'));
      if (event.type === 'error') {
        stats.errors++;
      } else {
        stats.inputTokens += numberField(data, 'input_tokens');
        stats.outputTokens += numberField(data, 'output_tokens');
        stats.costUsd += numberField(data, 'cost_usd');
      }
    }
    if (event.type === 'session_start' && data.sampling !== null && typeof data.sampling === 'object') {
      summary.sampling = data.sampling as SessionStartData['sampling'];
    }
    if (event.type === 'error') summary.errors++;
    if (event.type === 'custom') summary.customEvents++;
    if (event.type === 'session_end') endedSeconds = (endedSeconds ?? 0) + numberField(data, 'duration_seconds');
  }
  for (const [name, stats] of Object.entries(models)) {
    const latencies = stats.latencies!.sort((a, b) => a - b);
    delete stats.latencies;
    if (latencies.length > 0) {
      stats.avgLatencyMs = latencies.reduce((s, v) => s + v, 0) / latencies.length;
      stats.p50LatencyMs = latencies[Math.ceil(latencies.length * 0.5) - 1]!;
      stats.maxLatencyMs = latencies[latencies.length - 1]!;
    }
    summary.inputTokens += stats.inputTokens;
    summary.outputTokens += stats.outputTokens;
    summary.costUsd += stats.costUsd;
    summary.models[name] = stats;
  }
  summary.sessionIds = [...ids];
  summary.durationSeconds =
    endedSeconds ?? (summary.start !== null && summary.end !== null ? (summary.end - summary.start) / 1000 : null);
  return summary;
}
