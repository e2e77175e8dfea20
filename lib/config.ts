/**
 * Process-wide configuration: the default TraceStore, the logger, and the defaults every traced
 * function falls back to. Nothing is created at import time: the state is built on first use. It
 * lives in a global slot keyed by a versioned `Symbol.for`, so two copies of llmtrace loaded in one
 * process (ESM and CommonJS, or two bundles) share one store and one logger.
 */
import { DEFAULT_MAX_CONTENT_BYTES, type CaptureMode } from './record/content.js';
import { setDiagnosticLogger } from './internal/diagnostics.js';
import { checkBoolean, positiveInteger } from './internal/validate.js';
import { createLogger, loggerOptionsOf, type AppLogger, type LoggerOptions, type TraceLogger } from './logger.js';
import { PriceTable, type PriceOverrides } from './pricing/price-table.js';
import { createRedactor, DEFAULT_REDACTOR, type RedactionOptions, type Redactor } from './redact.js';
import { setLogRedactor } from './redact/redact-log.js';
import { DEFAULT_SAMPLING, resolveSampling, type SamplingOptions, type SamplingPolicy } from './sampling.js';
import { checkStore, TraceStore } from './trace-store.js';
import { checkOptions } from './internal/option-schemas.js';

/** Options for `configure`. Every field is optional; omitted ones keep their current value. */
export interface LLMTraceOptions {
  /**
   * Turns recording off (traced functions then cost one check per call) or back on.
   * @default true
   */
  enabled?: boolean;
  /** The store spans go to when a traced function names none. @default a new TraceStore() */
  store?: TraceStore;
  /** A logger, options to build one with, or the application's pino/winston/console logger (docs/logging.md). @default createLogger() */
  logger?: TraceLogger | LoggerOptions | AppLogger;
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
  /**
   * Which spans are kept for storage and export: a head ratio decided once per trace, plus tail
   * rules that keep errors and slow calls. Aggregates count every call either way. Omitted fields
   * keep their current value.
   * @default { ratio: 1, keepErrors: true } (keep everything)
   * @example
   * configure({ sampling: { ratio: 0.1, keepErrors: true, slowerThanMs: 5_000 } });
   */
  sampling?: SamplingOptions;
  /**
   * Extra secret patterns and a `mask(value, path)` function, applied with the default patterns
   * (always on) to captured content and error messages. Replaces the previous redaction options.
   * @default { patterns: [] } (the default patterns only)
   */
  redaction?: RedactionOptions;
  /**
   * Your own model prices (USD per million tokens, or per thousand with `per: '1K'`), used before
   * the bundled table. Replaces the previous overrides.
   * @default {} (the bundled table only)
   * @example
   * configure({ pricing: { 'my-finetune': { input: 0.3, output: 1.2 }, 'azure-gpt4o': { input: 0.0025, output: 0.01, per: '1K' } } });
   */
  pricing?: PriceOverrides;
}

/** @internal The resolved process-wide state. */
export interface TraceState {
  enabled: boolean;
  store: TraceStore;
  logger: TraceLogger;
  capture: CaptureMode;
  maxContentBytes: number;
  resources: boolean;
  sampling: SamplingPolicy;
  redactor: Redactor;
  prices: PriceTable;
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
      sampling: DEFAULT_SAMPLING,
      redactor: DEFAULT_REDACTOR,
      prices: new PriceTable(),
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


/**
 * Changes process-wide settings. Throws a TypeError naming the option on bad input, before
 * changing anything.
 * @example
 * configure({ store: new TraceStore({ maxSpans: 50_000 }), logger: { minLevel: 'debug' } });
 */
export function configure(options: LLMTraceOptions): void {
  checkOptions('configure', options);
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`llmtrace: configure() needs an options object, got ${String(options)}`);
  }
  if (options.enabled !== undefined) checkBoolean(options.enabled, 'enabled');
  checkStore(options.store);
  if (options.resources !== undefined) checkBoolean(options.resources, 'resources');
  if (options.logger !== undefined && (options.logger === null || typeof options.logger !== 'object')) {
    throw new TypeError(
      `llmtrace: logger must be a TraceLogger (createLogger()) or logger options, got ${String(options.logger)} (${typeof options.logger})`,
    );
  }
  const capture = options.capture === undefined ? undefined : checkCapture(options.capture, 'capture');
  const maxBytes =
    options.maxContentBytes === undefined ? undefined : positiveInteger(options.maxContentBytes, 'maxContentBytes');
  const state = getState();
  const sampling = options.sampling === undefined ? undefined : resolveSampling(options.sampling, state.sampling);
  const redactor = options.redaction === undefined ? undefined : createRedactor(options.redaction);
  const prices = options.pricing === undefined ? undefined : new PriceTable(options.pricing);
  const logger =
    options.logger === undefined
      ? undefined
      : 'log' in options.logger && 'buffer' in options.logger
        ? (options.logger as TraceLogger)
        : createLogger(loggerOptionsOf(options.logger as LoggerOptions | AppLogger));

  if (options.enabled !== undefined) state.enabled = options.enabled;
  if (options.store) state.store = options.store;
  if (logger) {
    state.logger = logger;
    setDiagnosticLogger(logger);
  }
  if (capture) state.capture = capture;
  if (maxBytes) state.maxContentBytes = maxBytes;
  if (options.resources !== undefined) state.resources = options.resources;
  if (sampling) state.sampling = sampling;
  if (redactor) {
    state.redactor = redactor;
    setLogRedactor(redactor);
  }
  if (prices) state.prices = prices;
}

/** The TraceStore spans go to by default. */
export function getStore(): TraceStore {
  return getState().store;
}

/** The configured logger and its in-memory buffer. */
export function getLogger(): TraceLogger {
  return getState().logger;
}
