/**
 * What a span records of a thrown error: its type, a redacted and capped message, and the HTTP facts
 * SDK errors carry (status, `retry-after` / `retry-after-ms`, request id). Pure; never throws.
 */
import { GenAI, LLMTrace } from './attributes.js';
import { redactText, type Redactor } from './redact.js';
import { retryAfterSeconds } from './retry-after.js';
import type { Attributes, SpanError } from './span.js';

const MAX_MESSAGE_CHARS = 1_000;

function header(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const get = (headers as { get?: unknown }).get;
  const value = typeof get === 'function' ? get.call(headers, name) : (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

function statusOf(error: Record<string, unknown>): number | undefined {
  for (const key of ['status', 'statusCode', 'status_code']) {
    const value = error[key];
    if (typeof value === 'number' && value >= 100 && value < 600) return value;
  }
  return undefined;
}

/**
 * The error's type and message as a span records them (the message redacted with `redactor`, at
 * path `error.message`), plus its HTTP attributes.
 */
export function describeError(
  error: unknown,
  redactor: Redactor,
): { error: SpanError; attributes: Attributes } {
  try {
    const record = (error !== null && typeof error === 'object' ? error : {}) as Record<string, unknown>;
    const type =
      error instanceof Error
        ? error.constructor?.name && error.constructor.name !== 'Error'
          ? error.constructor.name
          : typeof record.code === 'string'
            ? record.code
            : error.name
        : typeof error;
    const raw = error instanceof Error ? error.message : String(error);
    const message = redactText(
      raw.length > MAX_MESSAGE_CHARS ? `${raw.slice(0, MAX_MESSAGE_CHARS)}…` : raw,
      redactor,
      'error.message',
    );
    const attributes: Attributes = { [GenAI.ERROR_TYPE]: type };
    const status = statusOf(record);
    if (status !== undefined) attributes[GenAI.HTTP_STATUS_CODE] = status;
    const retryAfter = retryAfterSeconds((name) => header(record.headers, name));
    if (retryAfter !== undefined) attributes[LLMTrace.RETRY_AFTER_S] = retryAfter;
    const requestId =
      (typeof record.requestID === 'string' && record.requestID) ||
      (typeof record.request_id === 'string' && record.request_id) ||
      header(record.headers, 'x-request-id') ||
      header(record.headers, 'request-id');
    if (requestId) attributes[LLMTrace.REQUEST_ID] = requestId;
    return { error: { type, message }, attributes };
  } catch {
    return { error: { type: 'unknown', message: '' }, attributes: { [GenAI.ERROR_TYPE]: 'unknown' } };
  }
}
