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

/** Why a file-system error code means the store's place cannot be used: the user's to fix, not llmtrace's. */
const UNUSABLE_PLACE: Readonly<Record<string, readonly [id: string, reason: string]>> = {
  ENOTDIR: ['not-a-folder', 'a file is in the way (part of its path is a file, not a folder)'],
  EEXIST: ['not-a-folder', 'a file is in the way (part of its path is a file, not a folder)'],
  EACCES: ['no-permission', 'no permission to write there'],
  EPERM: ['no-permission', 'no permission to write there'],
  EROFS: ['read-only', 'it is on a read-only file system'],
  ENOSPC: ['disk-full', 'the disk is full'],
};

const NOT_A_FOLDER: readonly [string, string] = ['cannot-make-folder', 'folders cannot be made there (it is not a normal folder, as under /proc)'];

/**
 * The one warning for a storage failure the user can fix (a store directory under a file, without
 * permission, read-only, on a full disk, where folders cannot be made), or undefined for others.
 */
function unusablePlace(where: string, error: unknown): { key: string; message: string; path: string } | undefined {
  if (!where.startsWith('storage.') && !where.startsWith('session-files.')) return undefined;
  const e = error as NodeJS.ErrnoException | null;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  if (code === undefined || typeof e?.path !== 'string') return undefined;
  const known = UNUSABLE_PLACE[code] ?? (code === 'ENOENT' && e.syscall === 'mkdir' ? NOT_A_FOLDER : undefined);
  if (known === undefined) return undefined;
  const [id, reason] = known;
  return {
    key: `storage.unusable:${id}`,
    path: e.path,
    message: `llmtrace: cannot write ${e.path}: ${reason}; choose another fileStore.dir (startTracing) or LLMTRACE_DIR, or sessionFiles.dir. Calls are still traced; what is not written is counted in the sink's stats()`,
  };
}

/**
 * Reports an internal error at `where` (counted; logged once per `where`). A storage failure the
 * user can fix (unusablePlace) is logged once as that, naming the path and the fix, not as an
 * internal error of each step that met it. Never throws.
 */
export function reportInternalError(where: string, error: unknown): void {
  const place = unusablePlace(where, error);
  if (place) {
    counts.set(`error:${where}`, (counts.get(`error:${where}`) ?? 0) + 1);
    warnOnce(place.key, place.message, { path: place.path, code: (error as NodeJS.ErrnoException).code, where });
    return;
  }
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
