/**
 * Internal diagnostics: the one place llmtrace reports its own trouble (a sink that cannot write, an
 * exporter that is down, a full queue). Quiet by design: each distinct problem is logged once at
 * `warn`, and every occurrence is counted. Nothing here throws.
 */
import { createLogger, type TraceLogger } from '../logger.js';
import { DEFAULT_SECRET_PATTERNS, maskPatterns } from '../redact/secret-patterns.js';

let logger: TraceLogger | undefined;
const counts = new Map<string, number>();
const warned = new Set<string>();

/** Routes diagnostics to `next` (set by `configure`). */
export function setDiagnosticLogger(next: TraceLogger): void {
  logger = next;
}

function sink(): TraceLogger {
  logger ??= createLogger({ name: 'llmtrace' });
  return logger;
}

/** Counts an occurrence of `key` and logs `message` the first time. Never throws. */
export function warnOnce(key: string, message: string, fields: Record<string, unknown> = {}): void {
  try {
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (warned.has(key)) return;
    warned.add(key);
    sink().log.warn(message, { diagnostic: key, ...fields });
  } catch {
    // The diagnostics path must never throw into the traced program.
  }
}

/** Reports an internal error at `where` (counted; logged once per `where`). Never throws. */
export function reportInternalError(where: string, error: unknown): void {
  let detail: string;
  try {
    // Error messages can carry what they were given (a URL with a key, a header): mask secrets first.
    detail = maskPatterns(error instanceof Error ? `${error.name}: ${error.message}` : String(error), DEFAULT_SECRET_PATTERNS);
  } catch {
    detail = 'unprintable error';
  }
  warnOnce(`error:${where}`, `llmtrace: internal error in ${where} (further ones are counted, not logged)`, {
    error: detail,
  });
}

/** Logs a debug-level diagnostic. Never throws. */
export function debug(message: string, fields: Record<string, unknown> = {}): void {
  try {
    sink().log.debug(message, fields);
  } catch {
    // See warnOnce.
  }
}

/** Counts of every diagnostic key since start (or the last reset). */
export function diagnosticCounts(): Record<string, number> {
  return Object.fromEntries(counts);
}

/** @internal Forgets counts and the warned-once set (tests). */
export function resetDiagnostics(): void {
  counts.clear();
  warned.clear();
}
