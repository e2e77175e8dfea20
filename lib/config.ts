/**
 * Process-wide configuration: the default TraceStore, the logger, and the defaults every traced
 * function falls back to. Nothing is created at import time: the state is built on first use. It
 * lives in a global slot keyed by a versioned `Symbol.for`, so two copies of llmtrace loaded in one
 * process (ESM and CommonJS, or two bundles) share one store and one logger.
 */
import { DEFAULT_MAX_CONTENT_BYTES, type CaptureMode } from './content.js';
import { setDiagnosticLogger } from './internal/diagnostics.js';
import { createLogger, type LoggerOptions, type TraceLogger } from './logger.js';
import { TraceStore } from './trace-store.js';

/** Options for `configure`. Every field is optional; omitted ones keep their current value. */
export interface LLMTraceOptions {
  /**
   * Turns recording off (traced functions then cost one check per call) or back on.
   * @default true
   */
  enabled?: boolean;
  /** The store spans go to when a traced function names none. @default a new TraceStore() */
  store?: TraceStore;
  /** A logger, or options to build one with. @default createLogger() */
  logger?: TraceLogger | LoggerOptions;
  /**
   * Default content capture for `@traceModelCall` and `traced` (`@monitorLLM` never captures).
   * @default 'metadata'
   */
  capture?: CaptureMode;
  /**
   * Cap on captured request/response text, in bytes.
   * @default 8192 (DEFAULT_MAX_CONTENT_BYTES)
   */
  maxContentBytes?: number;
  /**
   * Record heap/RSS deltas and CPU time of every call (costs two `process.*Usage()` calls each end).
   * @default false
   */
  resources?: boolean;
}

/** @internal The resolved process-wide state. */
export interface TraceState {
  enabled: boolean;
  store: TraceStore;
  logger: TraceLogger;
  capture: CaptureMode;
  maxContentBytes: number;
  resources: boolean;
}

const SLOT = Symbol.for('llmtrace.state.v1');
type GlobalWithSlot = typeof globalThis & { [SLOT]?: TraceState };

/** @internal The process-wide state, created on first use. */
export function getState(): TraceState {
  const g = globalThis as GlobalWithSlot;
  let state = g[SLOT];
  if (!state) {
    const logger = createLogger();
    setDiagnosticLogger(logger);
    state = {
      enabled: true,
      store: new TraceStore(),
      logger,
      capture: 'metadata',
      maxContentBytes: DEFAULT_MAX_CONTENT_BYTES,
      resources: false,
    };
    g[SLOT] = state;
  }
  return state;
}

const CAPTURE_MODES: readonly CaptureMode[] = ['off', 'metadata', 'full'];

/** @internal Validates a capture mode, naming the option in the error. */
export function checkCapture(value: unknown, option: string): CaptureMode {
  if (!CAPTURE_MODES.includes(value as CaptureMode)) {
    throw new TypeError(`llmtrace: ${option} must be 'off', 'metadata' or 'full', got ${String(value)} (${typeof value})`);
  }
  return value as CaptureMode;
}

/** @internal Validates a byte cap, naming the option in the error. */
export function checkPositiveInteger(value: unknown, option: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new TypeError(`llmtrace: ${option} must be a positive integer, got ${String(value)} (${typeof value})`);
  }
  return value;
}

/**
 * Changes process-wide settings. Throws a TypeError naming the option on bad input, before
 * changing anything.
 * @example
 * configure({ store: new TraceStore({ maxSpans: 50_000 }), logger: { minLevel: 'debug' } });
 */
export function configure(options: LLMTraceOptions): void {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`llmtrace: configure() needs an options object, got ${String(options)}`);
  }
  if (options.enabled !== undefined && typeof options.enabled !== 'boolean') {
    throw new TypeError(`llmtrace: enabled must be a boolean, got ${String(options.enabled)} (${typeof options.enabled})`);
  }
  if (options.store !== undefined && !(options.store instanceof TraceStore)) {
    throw new TypeError('llmtrace: store must be a TraceStore (new TraceStore({ maxSpans }))');
  }
  if (options.resources !== undefined && typeof options.resources !== 'boolean') {
    throw new TypeError(`llmtrace: resources must be a boolean, got ${String(options.resources)} (${typeof options.resources})`);
  }
  const capture = options.capture === undefined ? undefined : checkCapture(options.capture, 'capture');
  const maxBytes =
    options.maxContentBytes === undefined ? undefined : checkPositiveInteger(options.maxContentBytes, 'maxContentBytes');
  const logger =
    options.logger === undefined
      ? undefined
      : 'log' in options.logger && 'buffer' in options.logger
        ? (options.logger as TraceLogger)
        : createLogger(options.logger as LoggerOptions);

  const state = getState();
  if (options.enabled !== undefined) state.enabled = options.enabled;
  if (options.store) state.store = options.store;
  if (logger) {
    state.logger = logger;
    setDiagnosticLogger(logger);
  }
  if (capture) state.capture = capture;
  if (maxBytes) state.maxContentBytes = maxBytes;
  if (options.resources !== undefined) state.resources = options.resources;
}

/** The TraceStore spans go to by default. */
export function getStore(): TraceStore {
  return getState().store;
}

/** The configured logger and its in-memory buffer. */
export function getLogger(): TraceLogger {
  return getState().logger;
}
