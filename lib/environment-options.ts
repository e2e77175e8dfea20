/**
 * llmtrace's own switches from the environment, read in this one place by `startTracing()` (the
 * edge of the program, never at import), so an operator can turn tracing off, change capture,
 * sampling, log level or the store directory without a code change. Options passed in code win.
 *
 * | variable | option | values |
 * |---|---|---|
 * | `LLMTRACE_DISABLED` | `enabled: false` | `true`/`1`/`yes` (or `false`/`0`/`no`) |
 * | `LLMTRACE_CAPTURE` | `capture` | `off`, `metadata`, `full` |
 * | `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT` | `capture` | `true`: `full`; `false`: `metadata` (when `LLMTRACE_CAPTURE` is unset) |
 * | `LLMTRACE_SAMPLING_RATIO` | `sampling.ratio` | a number from 0 to 1 |
 * | `LLMTRACE_LOG_LEVEL` | `logger.minLevel` | `silly`, `trace`, `debug`, `info`, `warn`, `error`, `fatal` |
 * | `LLMTRACE_DIR` | `fileStore.dir` | a directory |
 */
import type { CaptureMode } from './record/content.js';
import { LOG_LEVELS, type LogLevel } from './log-buffer.js';
import { STORE_DIR_ENV } from './storage/layout.js';

const CAPTURE_MODES: readonly CaptureMode[] = ['off', 'metadata', 'full'];
const TRUE = new Set(['true', '1', 'yes']);
const FALSE = new Set(['false', '0', 'no']);

function read(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean | undefined {
  const value = read(env, name)?.toLowerCase();
  if (value === undefined) return undefined;
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  throw new TypeError(`llmtrace: ${name} must be true or false, got "${value}"`);
}

/** What the environment sets, as `startTracing` options (only the variables that are set appear). */
export interface EnvironmentOptions {
  enabled?: boolean;
  capture?: CaptureMode;
  sampling?: { ratio: number };
  logger?: { minLevel: LogLevel };
  fileStore?: { dir: string };
}

/**
 * Reads the `LLMTRACE_*` variables (and `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT`) of `env`.
 * @throws TypeError naming the variable and its allowed values when a value cannot be used.
 */
export function tracingOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): EnvironmentOptions {
  const out: EnvironmentOptions = {};
  if (flag(env, 'LLMTRACE_DISABLED') === true) out.enabled = false;
  const capture = read(env, 'LLMTRACE_CAPTURE');
  if (capture !== undefined) {
    if (!CAPTURE_MODES.includes(capture as CaptureMode)) {
      throw new TypeError(`llmtrace: LLMTRACE_CAPTURE must be one of ${CAPTURE_MODES.join(', ')}, got "${capture}"`);
    }
    out.capture = capture as CaptureMode;
  } else {
    const content = flag(env, 'OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT');
    if (content !== undefined) out.capture = content ? 'full' : 'metadata';
  }
  const ratio = read(env, 'LLMTRACE_SAMPLING_RATIO');
  if (ratio !== undefined) {
    const value = Number(ratio);
    if (!Number.isFinite(value) || value < 0 || value > 1) {
      throw new TypeError(`llmtrace: LLMTRACE_SAMPLING_RATIO must be a number from 0 to 1, got "${ratio}"`);
    }
    out.sampling = { ratio: value };
  }
  const level = read(env, 'LLMTRACE_LOG_LEVEL');
  if (level !== undefined) {
    if (!LOG_LEVELS.includes(level as LogLevel)) {
      throw new TypeError(`llmtrace: LLMTRACE_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${level}"`);
    }
    out.logger = { minLevel: level as LogLevel };
  }
  const dir = read(env, STORE_DIR_ENV);
  if (dir !== undefined) out.fileStore = { dir };
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * `options` over what the environment sets: a top-level option given in code wins; nested option
 * objects (`sampling`, `logger`, `fileStore`) are merged key by key, code winning. A logger instance
 * or `fileStore: false` in code is kept as is.
 */
export function withEnvironment<T extends object>(options: T, fromEnv: EnvironmentOptions): T {
  const merged: Record<string, unknown> = { ...fromEnv, ...options };
  for (const key of ['sampling', 'logger', 'fileStore'] as const) {
    const env = fromEnv[key];
    const code = (options as Record<string, unknown>)[key];
    if (env !== undefined && isPlainObject(code)) merged[key] = { ...env, ...code };
  }
  return merged as T;
}
