/**
 * One log line as llmtrace holds it before any output: the level, the message, the structured
 * fields, the correlation of the span it was written in, and an optional one-line human form.
 * Building it is synchronous and depends on no logging library, so the buffer and every output
 * (JSON, pretty, the application's own logger) see the same line.
 */
import { currentSpan } from '../context.js';
import type { LogLevel } from '../log-buffer.js';

/**
 * Key of an optional one-line human form of a line, read from a fields object. Pretty output prints
 * it instead of the fields (so a summary stays one line); JSON output and application loggers never
 * see it (a symbol key is not serialised).
 * @example
 * log.info('LLM_AGGREGATED_METRICS', { ...fields, [HUMAN_LINE]: 'gpt-4o-mini  openai.chat  120 calls' });
 */
export const HUMAN_LINE: unique symbol = Symbol.for('llmtrace.log.humanLine');

/** A log line after its arguments were read. */
export interface LogRecord {
  /** Epoch milliseconds. */
  time: number;
  level: LogLevel;
  /** The first string argument (or a lone error's message), '' when none. */
  message: string;
  /** Correlation fields first, then the fields of the call (which win on a clash). */
  fields: Record<string, unknown>;
  /** The one-line human form, when the caller gave one (see HUMAN_LINE). */
  human?: string;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** An Error as plain JSON fields (name, message, stack). */
function errorFields(error: Error): Record<string, unknown> {
  return { type: error.name, message: error.message, stack: error.stack };
}

/**
 * The correlation fields of the current span, named as OpenTelemetry's log data model and pino's
 * OpenTelemetry instrumentation name them (`trace_id`, `span_id`, `trace_flags`), plus the ids of
 * the enclosing scopes (`run_id`, `session_id`, ...). Undefined outside a span.
 */
export function correlationFields(): Record<string, string> | undefined {
  const span = currentSpan();
  if (!span) return undefined;
  const fields: Record<string, string> = {
    trace_id: span.traceId,
    span_id: span.id,
    trace_flags: span.sampled ? '01' : '00',
  };
  for (const [kind, id] of Object.entries(span.scopes)) fields[`${kind}_id`] = id!;
  return fields;
}

/**
 * Reads the arguments of a log call: the first string is the message, plain objects are merged
 * into the fields, an Error goes under `error` (a lone Error also gives the message), anything else
 * is kept in order under `args`.
 */
export function toLogRecord(level: LogLevel, args: readonly unknown[]): LogRecord {
  const fields: Record<string, unknown> = { ...correlationFields() };
  let message: string | undefined;
  let human: string | undefined;
  const extra: unknown[] = [];
  for (const arg of args) {
    if (message === undefined && typeof arg === 'string') message = arg;
    else if (isPlainObject(arg)) {
      Object.assign(fields, arg);
      const line = (arg as { [HUMAN_LINE]?: unknown })[HUMAN_LINE];
      if (line !== undefined) {
        delete (fields as { [HUMAN_LINE]?: unknown })[HUMAN_LINE];
        if (typeof line === 'string') human = line;
      }
    } else if (arg instanceof Error) {
      fields.error = errorFields(arg);
      message ??= arg.message;
    } else extra.push(arg);
  }
  if (extra.length > 0) fields.args = extra;
  const record: LogRecord = { time: Date.now(), level, message: message ?? '', fields };
  if (human !== undefined) record.human = human;
  return record;
}
