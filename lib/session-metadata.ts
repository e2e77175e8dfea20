/**
 * Session metadata: who ran the session, for which project, on which version (the seed's
 * `session_metadata` line). One call records it in every session file being written and on the
 * session span it is called in.
 */
import { getState } from './config.js';
import { currentSpan } from './context.js';
import { reportInternalError } from './internal/diagnostics.js';
import { redactText } from './redact.js';
import { isSecretKey } from './redact/secret-keys.js';
import { REDACTED } from './redact/secret-patterns.js';
import type { AttributeValue } from './span.js';
import { runningSessionExporters } from './storage/running-session-exporters.js';

/** Session metadata: flat values, e.g. `{ user: 'researcher1', project: 'finance_taxonomy', version: '1.2.3' }`. */
export type SessionMetadata = Readonly<Record<string, string | number | boolean>>;

function checkMetadata(metadata: unknown): asserts metadata is SessionMetadata {
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw new TypeError(`llmtrace: setSessionMetadata needs an object of names to values, got ${String(metadata)} (${Array.isArray(metadata) ? 'array' : typeof metadata})`);
  }
  for (const [key, value] of Object.entries(metadata)) {
    if (key === '') throw new TypeError('llmtrace: setSessionMetadata: names must be non-empty');
    const type = typeof value;
    if (type !== 'string' && type !== 'boolean' && !(type === 'number' && Number.isFinite(value))) {
      throw new TypeError(
        `llmtrace: setSessionMetadata: ${key} must be a string, a finite number or a boolean, got ${String(value)} (${value === null ? 'null' : type})`,
      );
    }
  }
}

/**
 * Records session metadata with one call: a `session_metadata` line in the session file of every
 * session exporter running (`startTracing({ sessionFiles })`), in the session of the span it is
 * called in (else the exporter's own session), and, when called inside a `session` scope's own
 * block, the attributes `llmtrace.session.<name>` on that session span. Strings are redacted like
 * everything else llmtrace stores. Throws a TypeError on values that are not flat strings, finite
 * numbers or booleans.
 * @example
 * await withSpan('analysis', { kind: 'session' }, async () => {
 *   setSessionMetadata({ user: 'researcher1', project: 'finance_taxonomy', version: '1.2.3' });
 *   // ... traced calls ...
 * });
 */
export function setSessionMetadata(metadata: SessionMetadata): void {
  checkMetadata(metadata);
  const redactor = getState().redactor;
  const data: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(metadata)) {
    // A value under a secret-looking name (`password`, `api_key`) is masked whatever it holds, as in spans.
    if (isSecretKey(key)) data[redactText(key, redactor)] = REDACTED;
    else data[redactText(key, redactor)] = typeof value === 'string' ? redactText(value, redactor) : value;
  }
  const span = currentSpan();
  try {
    if (span?.kind === 'session') {
      for (const [key, value] of Object.entries(data)) span.setAttribute(`llmtrace.session.${key}`, value);
    }
    const sessionId = span?.scopes.session;
    for (const exporter of runningSessionExporters()) exporter.writeMetadata(data, sessionId, span?.startTime);
  } catch (error) {
    reportInternalError('session-metadata', error);
  }
}
