/**
 * The option schemas of every public entry point, in one place. Each entry function calls
 * `checkOptions('<entry>', options)` as its first line, so a mistake surfaces at configuration time
 * with one precise line, before anything starts:
 *
 * - an unknown key names the nearest valid one: `llmtrace: startTracing: unknown option
 *   "filestore", did you mean "fileStore"?` (nested keys by their path: `"fileStore.maxSegmentRecord"`);
 * - a wrong value names the option, what it must be, the value and its type: `llmtrace: traced:
 *   maxContentBytes must be a positive integer, got -1 (number)`;
 * - options that are not an object (null, a string) say so instead of failing later with
 *   `Cannot read properties of null`.
 *
 * The schemas are typed against the options interfaces (`SchemaOf<T>` needs one check per key of
 * `T`), so a new option without a check does not compile. This module imports nothing at run time
 * but `validate.ts`: the modules it checks for import it, so it must not import them back (instances
 * such as a TraceStore are recognised by shape; the owning module still checks them by class).
 */
import type { AggregatorOptions } from '../aggregator/aggregator.js';
import type { AlertMetric, AlertRule } from '../aggregator/alerts.js';
import type { TraceOptions } from '../record/call-plan.js';
import type { LLMTraceOptions } from '../config.js';
import type { BatchSpanProcessorOptions } from '../export/batch-span-processor.js';
import type { LogFormat, LoggerOptions } from '../logger.js';
import type { LogLevel } from '../log-buffer.js';
import type { CaptureMode } from '../record/content.js';
import type { OfflineFault, OfflineModelOptions } from '../offline-model/options.js';
import type { PriceOverride } from '../pricing/price-table.js';
import type { RedactionOptions } from '../redact.js';
import type { SamplingOptions } from '../sampling.js';
import type { SpanScopeOptions } from '../scopes.js';
import type { SpanKind } from '../span.js';
import type { StartTracingOptions } from '../start-tracing.js';
import type { FileStoreOptions } from '../storage/file-store.js';
import type { FileStoreReaderOptions } from '../storage/file-store-reader.js';
import type { SessionFileExporterOptions } from '../storage/session-file-exporter.js';
import type { TraceStoreOptions } from '../trace-store.js';
import type { AdapterOptions } from '../../adapters/internal/adapter-options.js';
import type { OpenAIAdapterOptions } from '../../adapters/openai/wrap.js';
import type { TracedFetchOptions } from '../../adapters/fetch/traced-fetch.js';
import { nearestKey } from './validate.js';

/** @internal Checks one option's value (never undefined unless the option is required); throws the TypeError. */
export type Check = (value: unknown, path: string, where: string) => void;

/** @internal A check per option key; `required` ones must be present. */
export interface Schema {
  readonly fields: Readonly<Record<string, Check>>;
  readonly required: readonly string[];
  /** Extra advice for an unknown key with no near valid one. */
  readonly hint?: (key: string) => string | undefined;
}

/** @internal One check for every key of `T`, optional ones included: a new option without a check is a type error. */
export type SchemaOf<T> = { readonly [K in keyof Required<T>]-?: Check };

/** @internal Renders a bad value for an error message: strings quoted (so "" shows), objects by constructor. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}...` : value);
  if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`;
  if (Array.isArray(value)) return `[array of ${value.length}]`;
  if (value !== null && typeof value === 'object') {
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name;
    return `[object ${name || 'Object'}]`;
  }
  return String(value);
}

function fail(where: string, path: string, what: string, value: unknown): never {
  throw new TypeError(`llmtrace: ${where}: ${path} must be ${what}, got ${describeValue(value)} (${typeof value})`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** @internal A check from a predicate and the words for what the value must be. */
export function is(what: string, ok: (value: unknown) => boolean): Check {
  return (value, path, where) => {
    if (!ok(value)) fail(where, path, what, value);
  };
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
/** @internal Checks for a non-empty string. */
export const nonEmptyString = is('a non-empty string', (v) => typeof v === 'string' && v !== '');
/** @internal Checks for any string. */
export const anyString = is('a string', (v) => typeof v === 'string');
const boolean = is('a boolean', (v) => typeof v === 'boolean');
/** @internal Checks for a positive integer. */
export const positiveInteger = is('a positive integer', (v) => Number.isInteger(v) && (v as number) >= 1);
const nonNegativeInteger = is('a non-negative integer', (v) => Number.isInteger(v) && (v as number) >= 0);
const positiveMs = is('a positive number of milliseconds', (v) => isNumber(v) && v > 0);
const nonNegativeMs = is('a non-negative number of milliseconds', (v) => typeof v === 'number' && v >= 0);
const ratio = is('a number from 0 to 1', (v) => isNumber(v) && v >= 0 && v <= 1);
const func = is('a function', (v) => typeof v === 'function');
/** @internal Checks for an object, described as `what`. */
export const objectValue = (what: string): Check => is(what, (v) => v !== null && typeof v === 'object' && !Array.isArray(v));

/** @internal One of `values` (strings shown quoted). */
export function oneOf(values: readonly string[]): Check {
  const quoted = values.map((v) => `'${v}'`);
  const what = quoted.length > 3 ? `one of ${quoted.join(', ')}` : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
  return is(what, (v) => typeof v === 'string' && values.includes(v));
}

/** @internal An object with the methods `methods` (an instance recognised by shape). */
export function withMethods(what: string, methods: readonly string[]): Check {
  return is(what, (v) => v !== null && typeof v === 'object' && methods.every((m) => typeof (v as Record<string, unknown>)[m] === 'function'));
}

/** An array whose items pass `item` (checked as `path[i]`). */
function arrayOf(what: string, item: Check, nonEmpty = false): Check {
  return (value, path, where) => {
    if (!Array.isArray(value) || (nonEmpty && value.length === 0)) fail(where, path, what, value);
    value.forEach((v, i) => item(v, `${path}[${i}]`, where));
  };
}

/** A nested options object checked against `schema`, or `false` when `orFalse`. */
function nested(schema: Schema, orFalse = false): Check {
  return (value, path, where) => {
    if (orFalse && value === false) return;
    if (!isPlainObject(value)) fail(where, path, orFalse ? 'an options object or false' : 'an options object', value);
    checkFields(schema, value, where, `${path}.`);
  };
}

/** @internal An object whose every value passes `item` (checked as `path["key"]`). */
export function recordOf(what: string, item: Check): Check {
  return (value, path, where) => {
    if (!isPlainObject(value)) fail(where, path, what, value);
    for (const [key, v] of Object.entries(value)) item(v, `${path}[${JSON.stringify(key)}]`, where);
  };
}

/** @internal A schema with one check per key of `T`, the `required` keys, and advice for unknown keys. */
export function schema<T>(fields: SchemaOf<T>, required: readonly (keyof T & string)[] = [], hint?: (key: string) => string | undefined): Schema {
  return { fields, required, hint };
}

function checkFields(s: Schema, options: Record<string, unknown>, where: string, prefix: string): void {
  const known = Object.keys(s.fields);
  for (const key of Object.keys(options)) {
    if (Object.hasOwn(s.fields, key)) continue;
    const nearest = nearestKey(key, known);
    const hint = nearest === undefined ? s.hint?.(key) : undefined;
    const advice = nearest !== undefined ? `, did you mean "${prefix}${nearest}"?` : hint ? ` (${hint})` : '';
    throw new TypeError(`llmtrace: ${where}: unknown option "${prefix}${key}"${advice}`);
  }
  for (const [key, check] of Object.entries(s.fields)) {
    const value = options[key];
    if (value !== undefined || s.required.includes(key)) check(value, `${prefix}${key}`, where);
  }
}

// ---- shared pieces ----

/**
 * @internal `values` of the union `T`, refusing to compile while one member is missing: lists here cannot drift
 * from the types they mirror (the owning modules keep their own list for their own checks).
 */
export function every<T extends string>() {
  return <const L extends readonly T[]>(...values: L & ([Exclude<T, L[number]>] extends [never] ? unknown : { missing: Exclude<T, L[number]> })): L =>
    values;
}

const SPAN_KINDS = every<SpanKind>()('llm', 'embedding', 'chain', 'tool', 'agent', 'retrieval', 'session', 'run', 'iteration', 'request', 'model', 'custom');
const kind = oneOf(SPAN_KINDS);
const capture = oneOf(every<CaptureMode>()('off', 'metadata', 'full'));
/** @internal Checks for a TraceStore (by shape: this module may not import it). */
export const store = withMethods('a TraceStore (new TraceStore({ maxSpans }))', ['add', 'subscribe', 'getRecent']);
/** A TraceLogger (what `createLogger()` returns): its `log` is the tslog logger. */
const isTraceLogger = (v: unknown): boolean => isPlainObject(v) && v.log !== null && typeof v.log === 'object';
const traceLogger = is('a TraceLogger (createLogger())', isTraceLogger);
const fileSystem = objectValue('a StorageFileSystem object (nodeFileSystem or a wrapper)');
const exporter = withMethods('a SpanExporter { export, shutdown }', ['export', 'shutdown']);
const modelParam = is('a parameter name (non-empty string) or index (non-negative integer)', (v) =>
  (typeof v === 'string' && v !== '') || (Number.isInteger(v) && (v as number) >= 0),
);
const outputTokens = is('a positive integer or [min, max] with 1 <= min <= max', (v) =>
  (Number.isInteger(v) && (v as number) >= 1) ||
  (Array.isArray(v) && v.length === 2 && v.every((n) => Number.isInteger(n)) && v[0] >= 1 && v[1] >= v[0]),
);

const TRACE_FIELDS: SchemaOf<TraceOptions> = {
  name: nonEmptyString,
  kind,
  operation: nonEmptyString,
  modelParam,
  context: anyString,
  store,
  attributes: func,
  capture,
  maxContentBytes: positiveInteger,
  extractor: func,
  resources: boolean,
};

const LOGGER_OPTIONS = schema<LoggerOptions>({
  minLevel: oneOf(every<LogLevel>()('silly', 'trace', 'debug', 'info', 'warn', 'error', 'fatal')),
  format: oneOf(every<LogFormat>()('json', 'pretty', 'hidden')),
  name: nonEmptyString,
  bufferSize: positiveInteger,
  output: withMethods('an application logger (pino, winston, console: info, warn and error methods)', ['info', 'warn', 'error']),
  argumentOrder: oneOf(['fields-first', 'message-first']),
});

/** A TraceLogger, or LoggerOptions checked as such. */
/** An application logger (pino, winston, console), recognised by shape as `log/outputs.ts` does. */
const isAppLogger = (value: unknown): boolean =>
  value !== null &&
  (typeof value === 'object' || typeof value === 'function') &&
  ['info', 'warn', 'error'].every((m) => typeof (value as Record<string, unknown>)[m] === 'function');

const loggerOrOptions: Check = (value, path, where) => {
  if (isTraceLogger(value) || isAppLogger(value)) return;
  if (!isPlainObject(value)) fail(where, path, 'a TraceLogger (createLogger()), an application logger (pino, winston, console) or logger options', value);
  checkFields(LOGGER_OPTIONS, value, where, `${path}.`);
};

const SAMPLING = schema<SamplingOptions>({ ratio, keepErrors: boolean, slowerThanMs: nonNegativeMs });

const REDACTION = schema<RedactionOptions>({
  patterns: arrayOf('an array of RegExp', is('a RegExp', (v) => v instanceof RegExp)),
  pii: boolean,
  mask: func,
});

/** A price in USD per `per` tokens. */
const usdPer = (per: unknown): Check =>
  is(`a non-negative number (USD per ${per === '1K' ? '1K' : '1M'} tokens)`, (v) => isNumber(v) && v >= 0);

/** One model's price: its keys, then its fields, worded for its `per`. */
const price: Check = (value, path, where) => {
  const per = isPlainObject(value) ? value.per : undefined;
  const fields: SchemaOf<PriceOverride> = { per: oneOf(['1M', '1K']), input: usdPer(per), output: usdPer(per), cachedInput: usdPer(per), cacheWrite: usdPer(per) };
  nested(schema<PriceOverride>(fields, ['input', 'output']))(value, path, where);
};

const pricing = recordOf('an object of model name to price { input, output, cachedInput?, cacheWrite?, per? }', price);

/**
 * @internal Checks the price record given to `new PriceTable(overrides)` (model name to price):
 * unknown price fields name the nearest valid one (`pricing["m"].ouput`, did you mean `output`).
 */
export function checkPriceOverrides(overrides: unknown): void {
  if (overrides !== undefined) pricing(overrides, 'pricing', 'PriceTable');
}

const CONFIGURE_FIELDS: SchemaOf<LLMTraceOptions> = {
  enabled: boolean,
  store,
  logger: loggerOrOptions,
  capture,
  maxContentBytes: positiveInteger,
  resources: boolean,
  sampling: nested(SAMPLING),
  redaction: nested(REDACTION),
  pricing,
};

const ALERT_RULE = schema<AlertRule>(
  {
    name: nonEmptyString,
    metric: oneOf(every<AlertMetric>()('errorRate', 'p50Ms', 'p90Ms', 'p99Ms', 'avgMs', 'maxMs', 'ttftP90Ms', 'costUsd')),
    above: is('a finite number', isNumber),
    function: anyString,
    model: anyString,
    minCalls: positiveInteger,
    repeatEveryWindows: nonNegativeInteger,
  },
  ['metric', 'above'],
);

const AGGREGATOR_FIELDS: SchemaOf<AggregatorOptions> = {
  store,
  intervalMs: positiveMs,
  kinds: arrayOf('an array of span kinds', kind),
  maxGroups: positiveInteger,
  logger: traceLogger,
  logSummaries: boolean,
  alerts: arrayOf('an array of alert rules', nested(ALERT_RULE)),
};
const { store: _aggregatorStore, ...AGGREGATION_FIELDS } = AGGREGATOR_FIELDS;

/** @internal The checks of BatchSpanProcessorOptions. */
export const BATCHING_FIELDS: SchemaOf<BatchSpanProcessorOptions> = {
  maxQueueSize: positiveInteger,
  maxQueueBytes: positiveInteger,
  maxExportBatchSize: positiveInteger,
  scheduledDelayMs: positiveInteger,
  exportTimeoutMs: positiveInteger,
  flushTimeoutMs: positiveInteger,
  flushOnExit: boolean,
};

const FILE_STORE = schema<FileStoreOptions>({
  dir: nonEmptyString,
  maxPendingBatches: positiveInteger,
  maxPendingBytes: positiveInteger,
  segmentWindowMs: positiveInteger,
  maxSegmentRecords: positiveInteger,
  maxSegmentBytes: positiveInteger,
  retentionMs: positiveInteger,
  maxStoreBytes: positiveInteger,
  flushOnExit: boolean,
  fs: fileSystem,
});

const SESSION_FILES = schema<SessionFileExporterOptions>({
  dir: nonEmptyString,
  defaultSessionId: nonEmptyString,
  flushOnExit: boolean,
  fs: fileSystem,
});

const ADAPTER_FIELDS: SchemaOf<AdapterOptions> = {
  context: anyString,
  store,
  capture,
  maxContentBytes: positiveInteger,
  cached: func,
};

const SCOPE_FIELDS: SchemaOf<SpanScopeOptions> = {
  kind,
  attributes: objectValue('an object of span attributes'),
  store,
  parent: objectValue('a ParentRef { traceId, id, sampled } (see continueTrace)'),
};
/** `withSpan(name, { 'app.user': 'u1' }, fn)` put an attribute where the options go. */
const scopeHint = (key: string): string =>
  `span attributes go under "attributes": { attributes: { ${JSON.stringify(key)}: ... } }`;

const TRACE_STORE = schema<TraceStoreOptions>({ maxSpans: positiveInteger, maxBytes: positiveInteger });
const FILE_STORE_READER = schema<FileStoreReaderOptions>({ dir: nonEmptyString, segmentWindowMs: positiveInteger, fs: fileSystem });
const ADAPTER = schema<AdapterOptions>(ADAPTER_FIELDS);
/** The options of `llmtrace/ai-sdk` (the adapter's, plus its own two). */
const AI_SDK = schema<AdapterOptions & { aiSdkTelemetry?: boolean; retryGraceMs?: number }>({ ...ADAPTER_FIELDS, aiSdkTelemetry: boolean, retryGraceMs: nonNegativeMs });
/** `traced(fn, { model: 'x' })`: the model is read from the call, not fixed in the options. */
const modelHint = (key: string): string | undefined =>
  /^mod/i.test(key) ? 'the requested model is read from each call: point "modelParam" at the parameter that holds it' : undefined;
const MONITOR_HINT = (key: string): string | undefined =>
  key === 'capture' || key === 'maxContentBytes' ? '@monitorLLM never captures content; use @traceModelCall for that' : undefined;

/** The schema of each public entry point, by the name its errors use. */
const ENTRY_SCHEMAS = {
  configure: schema<LLMTraceOptions>(CONFIGURE_FIELDS),
  startTracing: schema<StartTracingOptions>({
    ...CONFIGURE_FIELDS,
    fileStore: nested(FILE_STORE, true),
    aggregation: nested(schema<Omit<AggregatorOptions, 'store'>>(AGGREGATION_FIELDS), true),
    sessionFiles: nested(SESSION_FILES, true),
    batching: nested(schema<BatchSpanProcessorOptions>(BATCHING_FIELDS)),
    exporters: arrayOf('an array of SpanExporter', exporter),
    handleSignals: boolean,
    logCalls: is('true, false or call log options', (v) => typeof v === 'boolean' || isPlainObject(v)),
    dashboard: nested(
      schema<{ port?: number; host?: string; print?: (line: string) => void }>({
        port: is('a port number from 0 to 65535', (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65_535),
        host: nonEmptyString,
        print: func,
      }),
    ),
  }),
  traced: schema<TraceOptions>(TRACE_FIELDS, [], modelHint),
  traceModelCall: schema<TraceOptions>(TRACE_FIELDS, [], modelHint),
  monitorLLM: (() => {
    const { capture: _capture, maxContentBytes: _max, ...fields } = TRACE_FIELDS;
    return schema<Omit<TraceOptions, 'capture' | 'maxContentBytes'>>(fields, [], (key) => MONITOR_HINT(key) ?? modelHint(key));
  })(),
  withSpan: schema<SpanScopeOptions>(SCOPE_FIELDS, [], scopeHint),
  continueTrace: schema<SpanScopeOptions & { name?: string }>({ ...SCOPE_FIELDS, name: nonEmptyString }, [], scopeHint),
  TraceStore: TRACE_STORE,
  createLogger: LOGGER_OPTIONS,
  BatchSpanProcessor: schema<BatchSpanProcessorOptions>(BATCHING_FIELDS),
  FileStore: FILE_STORE,
  createFileStore: FILE_STORE,
  openFileStore: FILE_STORE,
  FileStoreReader: FILE_STORE_READER,
  openFileStoreReader: FILE_STORE_READER,
  SessionFileExporter: SESSION_FILES,
  createSessionFileExporter: SESSION_FILES,
  Aggregator: schema<AggregatorOptions>(AGGREGATOR_FIELDS),
  createRedactor: REDACTION,
  instrumentOpenAI: schema<OpenAIAdapterOptions>({ ...ADAPTER_FIELDS, provider: nonEmptyString }),
  instrumentAnthropic: ADAPTER,
  instrumentOllama: ADAPTER,
  instrumentGemini: ADAPTER,
  instrumentBedrock: ADAPTER,
  LLMTraceCallbackHandler: ADAPTER,
  langchainCallbacks: ADAPTER,
  llmtraceMiddleware: AI_SDK,
  traceAISdk: AI_SDK,
  llmtraceTelemetry: ADAPTER,
  tracedFetch: schema<TracedFetchOptions>({ ...ADAPTER_FIELDS, provider: nonEmptyString }),
  startOfflineModelServer: schema<OfflineModelOptions>({
    port: is('an integer from 0 to 65535', (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535),
    seed: nonNegativeInteger,
    latencyMs: nonNegativeMs,
    ttftMs: nonNegativeMs,
    tokensPerSecond: is('a positive number', (v) => isNumber(v) && v > 0),
    outputTokens,
    errorRate: ratio,
    faults: arrayOf("a non-empty array of '429', '500', 'drop'", oneOf(every<OfflineFault>()('429', '500', 'drop')), true),
    retryAfterMs: nonNegativeMs,
    embeddingDimensions: positiveInteger,
  }),
} satisfies Record<string, Schema>;

/** The name of a public entry point whose options `checkOptions` knows. */
export type EntryPoint = keyof typeof ENTRY_SCHEMAS;

/** @internal The option keys of each schema in `schemas`. */
export function schemaKeys<N extends string>(schemas: Readonly<Record<N, Schema>>): Record<N, readonly string[]> {
  const keys: Partial<Record<N, readonly string[]>> = {};
  for (const name of Object.keys(schemas) as N[]) keys[name] = Object.keys(schemas[name].fields);
  return keys as Record<N, readonly string[]>;
}

/** @internal Every core entry point with a schema, and its option keys (for the table-driven test). */
export function entryPointKeys(): Record<EntryPoint, readonly string[]> {
  return schemaKeys(ENTRY_SCHEMAS);
}

/**
 * @internal Checks `options` given to the entry point `entry` against `s`: undefined means none
 * (then only required options complain); anything but an object is refused.
 */
export function checkAgainst(s: Schema, entry: string, options: unknown): void {
  if (options !== undefined && !isPlainObject(options)) {
    throw new TypeError(`llmtrace: ${entry} options must be an object, got ${describeValue(options)} (${typeof options})`);
  }
  checkFields(s, options ?? {}, entry, '');
}

/**
 * @internal Checks the options object given to `entry` (undefined means none): throws a TypeError
 * for an unknown key (naming the nearest valid one), a missing required option, or a value of the
 * wrong type or range (naming option, value and type). Called as the first line of each entry point.
 */
export function checkOptions(entry: EntryPoint, options: unknown): void {
  checkAgainst(ENTRY_SCHEMAS[entry], entry, options);
}
