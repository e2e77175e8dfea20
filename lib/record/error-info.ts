/**
 * What a span records of a thrown error: its type, a message redacted before it is capped, and the
 * HTTP facts SDK errors carry (status, `retry-after` / `retry-after-ms`, request id). Pure; never throws.
 */
import { GenAI, LLMTrace } from '../attributes.js';
import { cutForRedaction, redactText, type Redactor } from '../redact.js';
import { retryAfterSeconds } from '../retry-after.js';
import type { Attributes, SpanError } from '../span.js';

const MAX_MESSAGE_CHARS = 1_000;

/**
 * Characters of a message redacted before the cut: enough that a secret starting before the cut is
 * seen whole (a PEM key, a long JWT), bounded so a 50 MB message costs no more than a short one.
 */
const REDACTED_MESSAGE_CHARS = 16_384;

/**
 * The message as a span keeps it: redacted first (the partial word at the redaction bound is
 * dropped), then cut to MAX_MESSAGE_CHARS, so no fragment of a secret survives the cut.
 */
function recordedMessage(raw: string, redactor: Redactor): string {
  const redacted = redactText(cutForRedaction(raw, REDACTED_MESSAGE_CHARS), redactor, 'error.message');
  return redacted.length > MAX_MESSAGE_CHARS || raw.length > REDACTED_MESSAGE_CHARS
    ? `${redacted.slice(0, MAX_MESSAGE_CHARS)}…`
    : redacted;
}

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
    const message = recordedMessage(typeof raw === 'string' ? raw : String(raw), redactor);
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
