/**
 * Redaction of log lines: every argument given to llmtrace's logger (the user's own lines, and
 * llmtrace's diagnostics and summaries) is masked before it is printed or kept in the log buffer,
 * with the Redactor configured by `configure({ redaction })` (patterns and PII preset; the user mask
 * is for captured content and is not applied to logs).
 */
import { DEFAULT_REDACTOR, maskSecrets, type Redactor } from './redactor.js';
import { isSecretKey } from './secret-keys.js';
import { REDACTED } from './secret-patterns.js';
import { walkRedacting } from './walk.js';

let logRedactor: Redactor = DEFAULT_REDACTOR;

/** @internal Sets the Redactor log lines are masked with (called by `configure`). */
export function setLogRedactor(redactor: Redactor): void {
  logRedactor = redactor;
}

function redactValue(value: unknown, redactor: Redactor): unknown {
  return walkRedacting(value, redactor, '', undefined, (text) => maskSecrets(text, redactor)).value;
}

/** A copy of `error` with its message, stack and own fields masked; same prototype, so it prints the same. */
function redactError(error: Error, redactor: Redactor): Error {
  const copy = Object.create(Object.getPrototypeOf(error) as object) as Error;
  for (const key of Object.getOwnPropertyNames(error)) {
    const descriptor = Object.getOwnPropertyDescriptor(error, key)!;
    if (!('value' in descriptor)) continue;
    const value: unknown = descriptor.value;
    descriptor.value = isSecretKey(key)
      ? REDACTED
      : typeof value === 'string'
        ? maskSecrets(value, redactor)
        : value instanceof Error
          ? redactError(value, redactor)
          : redactValue(value, redactor);
    Object.defineProperty(copy, key, descriptor);
  }
  return copy;
}

/** One log argument, masked (the user mask is not applied: its paths name captured content): strings by pattern, objects by key and pattern (deep copy), errors copied. */
export function redactLogArgument(arg: unknown): unknown {
  const redactor = logRedactor;
  if (typeof arg === 'string') return maskSecrets(arg, redactor);
  if (arg instanceof Error) return redactError(arg, redactor);
  if (arg !== null && typeof arg === 'object') return redactValue(arg, redactor);
  return arg;
}
