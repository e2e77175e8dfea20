/**
 * Linking an evaluation to a trace and span: ids given explicitly are checked (lowercase hex, not
 * all zeros); when neither is given the evaluation links to the span the caller runs in (the
 * AsyncLocalStorage context of lib/context.ts), if any.
 */
import { callModelOf } from '../attributes.js';
import { currentSpan } from '../context.js';
import { isValidSpanId, isValidTraceId } from '../ids.js';
import { invalidOption } from '../internal/validate.js';

/** Where an evaluation points. */
export interface EvaluationLink {
  traceId?: string;
  spanId?: string;
  /** The model of the current span, when the link was taken from it and it has one. */
  model?: string;
}

/**
 * @internal The link of an evaluation: `traceId`/`spanId` as given (validated, naming `where`), or
 * the current span's when both are omitted.
 */
export function resolveLink(traceId: unknown, spanId: unknown, where: string): EvaluationLink {
  if (traceId !== undefined && (typeof traceId !== 'string' || !isValidTraceId(traceId))) {
    invalidOption(`${where} traceId`, 'a trace id of 32 lowercase hex digits (currentTraceId())', traceId);
  }
  if (spanId !== undefined && (typeof spanId !== 'string' || !isValidSpanId(spanId))) {
    invalidOption(`${where} spanId`, 'a span id of 16 lowercase hex digits (currentSpan()?.id)', spanId);
  }
  if (traceId !== undefined || spanId !== undefined) return { traceId, spanId };
  const span = currentSpan();
  if (!span) return {};
  return { traceId: span.traceId, spanId: span.id, model: callModelOf(span.attributes) };
}
