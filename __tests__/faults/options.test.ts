/**
 * Bad options, at every public entry point (issue 8, point 8). One row per function or class that
 * takes an options object, walked with: an unknown key, a misspelt key of each option (did you
 * mean), a wrong type and null for each option, and options that are not an object. Every export of
 * the root entry and of each subpath is either a row here or listed as taking no options object,
 * so a new entry point fails this file until it is classified.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as root from '../../index.js';
import * as extend from '../../lib/extend/index.js';
import * as openai from '../../adapters/openai/index.js';
import * as anthropic from '../../adapters/anthropic/index.js';
import * as ollama from '../../adapters/ollama/index.js';
import * as gemini from '../../adapters/gemini/index.js';
import * as bedrock from '../../adapters/bedrock/index.js';
import * as langchain from '../../adapters/langchain/index.js';
import * as aiSdk from '../../adapters/ai-sdk/index.js';
import * as fetchEntry from '../../adapters/fetch/index.js';
import * as otel from '../../adapters/otel/index.js';
import * as offline from '../../lib/offline-model/index.js';
import { entryPointKeys } from '../../lib/internal/option-schemas.js';
import { otelEntryPointKeys } from '../../adapters/otel/option-schemas.js';
import { dashboardEntryPointKeys } from '../../dashboard/server/option-schemas.js';
import { queryEntryPointKeys } from '../../lib/query/option-schemas.js';
import { evaluationReadEntryPointKeys } from '../../lib/evaluations/option-schemas.js';
import * as dashboard from '../../dashboard/server/index.js';
import * as query from '../../lib/query/index.js';
import { removeTempDirs, tempDir } from '../helpers/temp-dir.js';

afterAll(removeTempDirs);

type Options = unknown;

/** One entry point: how to call it with `options`, and options it needs besides the tested key. */
interface Row {
  readonly call: (options: Options) => unknown;
  readonly base?: Record<string, unknown>;
}

const exporter = { export: async () => undefined, shutdown: async () => undefined };
const sdkExporter = { export: () => undefined, shutdown: async () => undefined };
const meterProvider = { getMeter: () => ({}) };

/** Every entry point taking an options object, by `<entry module> <export>`. */
const ROWS: Record<string, Row> = {
  'llmtrace traced': { call: (o) => root.traced(() => 1, o as never) },
  'llmtrace traceModelCall': { call: (o) => root.traceModelCall(o as never) },
  'llmtrace monitorLLM': { call: (o) => root.monitorLLM(o as never) },
  'llmtrace withSpan': { call: (o) => root.withSpan('scope', o as never, () => 1) },
  'llmtrace continueTrace': { call: (o) => root.continueTrace({}, () => 1, o as never) },
  'llmtrace TraceStore': { call: (o) => new root.TraceStore(o as never) },
  'llmtrace configure': { call: (o) => root.configure(o as never) },
  'llmtrace createLogger': { call: (o) => root.createLogger(o as never) },
  'llmtrace/extend BatchSpanProcessor': { call: (o) => new extend.BatchSpanProcessor(exporter, o as never) },
  'llmtrace/extend FileStore': { call: (o) => new extend.FileStore(o as never) },
  'llmtrace/extend createFileStore': { call: (o) => extend.createFileStore(o as never) },
  'llmtrace openFileStore': { call: (o) => root.openFileStore(o as never) },
  'llmtrace/extend FileStoreReader': { call: (o) => new extend.FileStoreReader(o as never) },
  'llmtrace/extend openFileStoreReader': { call: (o) => extend.openFileStoreReader(o as never) },
  'llmtrace/extend SessionFileExporter': { call: (o) => new extend.SessionFileExporter(o as never) },
  'llmtrace/extend createSessionFileExporter': { call: (o) => extend.createSessionFileExporter(o as never) },
  'llmtrace/extend Aggregator': { call: (o) => new extend.Aggregator(o as never) },
  'llmtrace/extend createRedactor': { call: (o) => extend.createRedactor(o as never) },
  'llmtrace startTracing': { call: (o) => root.startTracing(o as never) },
  'llmtrace/openai instrumentOpenAI': { call: (o) => openai.instrumentOpenAI({ chat: { completions: { create() {} } } }, o as never) },
  'llmtrace/anthropic instrumentAnthropic': { call: (o) => anthropic.instrumentAnthropic({ messages: { create() {} } }, o as never) },
  'llmtrace/ollama instrumentOllama': { call: (o) => ollama.instrumentOllama({ chat() {} }, o as never) },
  'llmtrace/gemini instrumentGemini': { call: (o) => gemini.instrumentGemini({ models: { generateContent() {} } }, o as never) },
  'llmtrace/langchain LLMTraceCallbackHandler': { call: (o) => new langchain.LLMTraceCallbackHandler(o as never) },
  'llmtrace/langchain langchainCallbacks': { call: (o) => langchain.langchainCallbacks(o as never) },
  'llmtrace/ai-sdk llmtraceMiddleware': { call: (o) => aiSdk.llmtraceMiddleware(o as never) },
  'llmtrace/ai-sdk traceAISdk': { call: (o) => aiSdk.traceAISdk({ wrapLanguageModel: () => ({}) } as never, o as never) },
  'llmtrace/ai-sdk llmtraceTelemetry': { call: (o) => aiSdk.llmtraceTelemetry(o as never) },
  'llmtrace/bedrock instrumentBedrock': { call: (o) => bedrock.instrumentBedrock({ send: () => undefined }, o as never) },
  'llmtrace/fetch tracedFetch': { call: (o) => fetchEntry.tracedFetch(undefined, o as never) },
  'llmtrace/otel exportTo': { call: (o) => otel.exportTo(sdkExporter as never, o as never) },
  'llmtrace/otel exportToOtlp': { call: (o) => otel.exportToOtlp(o as never), base: { url: 'http://127.0.0.1:4318' } },
  'llmtrace/otel OtelSpanExporter': { call: (o) => new otel.OtelSpanExporter(sdkExporter as never, o as never) },
  'llmtrace/otel forwardToProvider': { call: (o) => otel.forwardToProvider({}, o as never) },
  'llmtrace/otel recordMetrics': { call: (o) => otel.recordMetrics(o as never), base: { meterProvider } },
  'llmtrace/offline-model startOfflineModelServer': { call: (o) => offline.startOfflineModelServer(o as never) },
  'llmtrace/dashboard startDashboard': { call: (o) => dashboard.startDashboard(o as never) },
  'llmtrace/dashboard generateDashboardData': { call: (o) => dashboard.generateDashboardData(o as never), base: { from: 0, to: 1 } },
  'llmtrace/query generateDashboardData': { call: (o) => query.generateDashboardData(o as never), base: { from: 0, to: 1 } },
  'llmtrace/query openSource': { call: (o) => query.openSource(tempDir(), o as never) },
  'llmtrace/query followSpans': { call: (o) => query.followSpans({} as never, o as never).next(), base: { stop: Promise.resolve() } },
  'llmtrace/query listRuns': { call: (o) => query.listRuns([], {}, o as never) },
  'llmtrace/query leaderboard': { call: (o) => query.leaderboard([], [], o as never) },
  'llmtrace/query trainingRecords': { call: (o) => query.trainingRecords([], o as never), base: { format: 'sft' } },
};

/** Function exports that take no options object, and what they take instead. */
const NO_OPTIONS: Record<string, string> = {
  'llmtrace getTraceMetadata': 'a target and a method key',
  'llmtrace Span': 'span fields (made by the recorder)',
  'llmtrace addEvent': 'an event name and attributes',
  'llmtrace withModel': 'a model name and a function',
  'llmtrace setSessionMetadata': 'metadata values (checked as flat strings, numbers and booleans)',
  'llmtrace currentSpan': 'nothing',
  'llmtrace currentTraceId': 'nothing',
  'llmtrace setAttributes': 'span attributes',
  'llmtrace suppressTracing': 'a function',
  'llmtrace/extend isValidSpanId': 'a string',
  'llmtrace/extend isValidTraceId': 'a string',
  'llmtrace getLogger': 'nothing',
  'llmtrace getStore': 'nothing',
  'llmtrace/extend LogBuffer': 'a capacity (checked as a positive integer)',
  'llmtrace diagnosticCounts': 'nothing',
  'llmtrace redactText': 'a string and a Redactor from createRedactor()',
  'llmtrace redactValue': 'a value and a Redactor from createRedactor()',
  'llmtrace registerExtractor': 'a function',
  'llmtrace/extend extractCallResult': 'a response',
  'llmtrace/extend extractOpenAIChat': 'a response',
  'llmtrace/extend extractOpenAIResponse': 'a response',
  'llmtrace/extend extractOpenAIEmbedding': 'a response',
  'llmtrace/extend extractAnthropicMessage': 'a response',
  'llmtrace/extend extractOllama': 'a response',
  'llmtrace/extend extractLlamaCpp': 'a response',
  'llmtrace formatTraceparent': 'a span',
  'llmtrace injectTraceContext': 'a header carrier',
  'llmtrace parseTraceparent': 'a header value',
  'llmtrace fileStoreOptionsFromEnv': 'an environment',
  'llmtrace/extend sessionFileName': 'a session id',
  'llmtrace/extend spanToSessionEvents': 'a span',
  'llmtrace/extend parseSessionLines': 'file text',
  'llmtrace/extend readSessionFile': 'a path and a file-system seam',
  'llmtrace/extend summariseSession': 'session events',
  'llmtrace/extend Distribution': 'nothing (fromJSON takes stored data)',
  'llmtrace/extend mergeSummaries': 'window summaries',
  'llmtrace/extend mergeSummariesByGroup': 'window summaries',
  'llmtrace/extend PriceTable': 'a record of model name to price (checked: see "nested options and hints")',

  'llmtrace markCacheHit': 'a boolean',
  'llmtrace/extend extractOpenAICompatible': 'a response',
  'llmtrace/extend extractAISdkResult': 'a response',
  'llmtrace/extend extractLangChain': 'a response',
  'llmtrace/extend extractGemini': 'a response',
  'llmtrace/extend extractBedrockConverse': 'a response',
  'llmtrace/extend extractCohere': 'a response',
  'llmtrace/extend attachEvaluationSink': 'a sink { writeEvaluations }',
  'llmtrace/extend evaluationMemoryStats': 'nothing',
  'llmtrace attachCallLog': 'call log options (checked by checkCallLogOptions; startTracing({ logCalls }) is the usual way)',
  'llmtrace recordEvaluation': 'an evaluation record (its keys checked by recordEvaluation, with did-you-mean)',
  'llmtrace score': 'a score record (its keys checked by score, with did-you-mean)',
  'llmtrace getEvaluations': 'an evaluation filter (checked by checkEvaluationFilter)',
  'llmtrace readEvaluations': 'a directory and an evaluation filter (checked by checkEvaluationFilter)',
  'llmtrace/extend parseTracestate': 'a header value',
  'llmtrace/openai openAIRequestAttributes': 'request parameters',
  'llmtrace/openai readChatChunk': 'a stream chunk',
  'llmtrace/openai readResponseEvent': 'a stream event',
  'llmtrace/anthropic anthropicRequestAttributes': 'request parameters',
  'llmtrace/anthropic readAnthropicEvent': 'a stream event',
  'llmtrace/ollama ollamaRequestAttributes': 'request parameters',
  'llmtrace/ollama readOllamaChunk': 'a stream chunk',
  'llmtrace/fetch modelRouteOf': 'a URL',
  'llmtrace/gemini geminiModelName': 'a model string',
  'llmtrace/gemini geminiPathOf': 'a URL path',
  'llmtrace/gemini geminiRequestAttributes': 'request parameters',
  'llmtrace/langchain llmRunResult': 'an LLM run result',
  'llmtrace/langchain modelRunAttributes': 'a serialized model and run parameters',
  'llmtrace/langchain runName': 'a serialized run',
  'llmtrace/ai-sdk telemetryAttributes': 'AI SDK call options',
  'llmtrace/ai-sdk aiSdkGenerateResult': 'a generate result',
  'llmtrace/ai-sdk aiSdkProviderName': 'a provider id',
  'llmtrace/ai-sdk aiSdkRequestAttributes': 'call options',
  'llmtrace/ai-sdk aiSdkStreamPartResult': 'stream parts',
  'llmtrace/bedrock bedrockCommandOf': 'a command',
  'llmtrace/bedrock bedrockOutputResult': 'a command output',
  'llmtrace/bedrock bedrockRequestAttributes': 'a command input',
  'llmtrace/bedrock converseStreamEventResult': 'a stream event',
  'llmtrace/fetch readStreamedItem': 'a stream item',
  'llmtrace/fetch requestBodyAttributes': 'a request body',
  'llmtrace/otel toReadableSpan': 'a span, a resource, a scope and a conventions name (checked)',
  'llmtrace/otel otelSpanKind': 'a span kind',
  'llmtrace/otel llmtraceResource': 'a service name and resource attributes',
  'llmtrace/otel exportAttributes': 'a span and a conventions name (checked)',
  'llmtrace/otel openInferenceAttributes': 'a span',
  'llmtrace/otel bridgeOpenTelemetry': 'nothing',
  'llmtrace/otel activeOtelParent': 'nothing',
  'llmtrace/otel ProviderSpanExporter': 'a provider and a conventions name (checked); forwardToProvider is the options entry',
  'llmtrace/query QueryError': 'an error code and a message',
  'llmtrace/query readOnlyFileSystem': 'a file-system seam',
  'llmtrace/query sessionEventsToSpans': 'session events',
  'llmtrace/query ensureNotEmpty': 'a source and a shown path',
  'llmtrace/query readSpans': 'sources and a span filter',
  'llmtrace/query parseDuration': 'a string',
  'llmtrace/query parseTimeBound': 'a string, a clock time and an option name',
  'llmtrace/query spanMatcher': 'a span filter (its fields checked where the CLI parses them)',
  'llmtrace/query filtersBeyondTime': 'a span filter',
  'llmtrace/query isCacheHit': 'a span',
  'llmtrace/query isModelCall': 'a span',
  'llmtrace/query spanCost': 'a span',
  'llmtrace/query spanFunction': 'a span',
  'llmtrace/query spanInputTokens': 'a span',
  'llmtrace/query spanModel': 'a span',
  'llmtrace/query spanOutputTokens': 'a span',
  'llmtrace/query spanProvider': 'a span',
  'llmtrace/query spanTtft': 'a span',
  'llmtrace/query TraceSummariser': 'nothing',
  'llmtrace/query summariseTraces': 'spans',
  'llmtrace/query assembleTrace': 'spans',
  'llmtrace/query findTrace': 'sources and a trace id prefix',
  'llmtrace/query SlowestSpans': 'a limit',
  'llmtrace/query slowestSpans': 'spans and a limit',
  'llmtrace/query ErrorGrouper': 'an example count',
  'llmtrace/query groupErrors': 'spans and an example count',
  'llmtrace/query GroupStatsAccumulator': 'a group-by key and span kinds',
  'llmtrace/query groupStats': 'spans and a group-by key',
  'llmtrace/query statsFromSummaries': 'window summaries and a group-by key',
  'llmtrace/query quantileSorted': 'sorted numbers and a quantile',
  'llmtrace/query ModelComparer': 'two model names',
  'llmtrace/query compareModels': 'spans, two model names and a head-to-head',
  'llmtrace/query verdictOf': 'a comparison',
  'llmtrace/query mannWhitney': 'two samples',
  'llmtrace/query meanInterval': 'numbers',
  'llmtrace/query quantileInterval': 'sorted numbers and a quantile',
  'llmtrace/query rateInterval': 'a count of successes and a total',
  'llmtrace/query spanColumns': 'attribute keys',
  'llmtrace/query spanRow': 'a span',
  'llmtrace/query summaryRow': 'a window summary',
  'llmtrace/query evaluationRow': 'an evaluation record',
  'llmtrace/query histogram': 'numbers and a bucket count',
  'llmtrace/query timeBuckets': 'time points and a bucket count',
  'llmtrace/query timeStep': 'a range and a bucket count',
  'llmtrace/query headToHead': 'evaluations and two model names',
  'llmtrace/query LeaderboardBuilder': 'nothing (leaderboard is the options entry)',
  'llmtrace/query matchesEvaluation': 'an evaluation record and a filter (checked by checkEvaluationFilter)',
  'llmtrace/query TraceListing': 'nothing (spans are added one by one, or a part at a time)',
  'llmtrace/query SpanFileFollower': 'a source and a listing',
};

/**
 * Every entry point the package exports, loaded from its source: `package.json` `exports` is the
 * list, so a new subpath is walked here without anyone remembering to add it.
 */
const repo = join(import.meta.dirname, '..', '..');
const exportsMap = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { exports: Record<string, unknown> }).exports;
const ENTRIES: Record<string, Record<string, unknown>> = {};
for (const [subpath, target] of Object.entries(exportsMap)) {
  if (subpath === './package.json') continue;
  const built = (target as { default: string }).default;
  const source = join(repo, built.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts'));
  ENTRIES[subpath === '.' ? 'llmtrace' : `llmtrace/${subpath.slice(2)}`] = (await import(source)) as Record<string, unknown>;
}

const KEYS: Record<string, readonly string[]> = { ...entryPointKeys(), ...otelEntryPointKeys(), ...dashboardEntryPointKeys(), ...queryEntryPointKeys(), ...evaluationReadEntryPointKeys() };

/** The TypeError `call` throws or rejects with (undefined when it does neither). */
async function errorOf(call: () => unknown): Promise<Error | undefined> {
  try {
    await call();
  } catch (error) {
    return error as Error;
  }
  return undefined;
}

/** A misspelling of `key` that is nearer to it than to any other key: first letter's case flipped, last letter dropped. */
function misspell(key: string): string {
  const flipped = (key[0] === key[0]!.toUpperCase() ? key[0]!.toLowerCase() : key[0]!.toUpperCase()) + key.slice(1);
  return flipped.length > 3 ? flipped.slice(0, -1) : flipped;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('the entry-point table', () => {
  it('classifies every function export of every entry point: an options row or "takes no options"', () => {
    const unclassified: string[] = [];
    for (const [entry, exports] of Object.entries(ENTRIES)) {
      for (const [name, value] of Object.entries(exports)) {
        const id = `${entry} ${name}`;
        if (typeof value === 'function' && !(id in ROWS) && !(id in NO_OPTIONS)) unclassified.push(id);
      }
    }
    expect(unclassified).toEqual([]);
  });

  it('walks every subpath of package.json exports', () => {
    expect(Object.keys(ENTRIES)).toEqual(expect.arrayContaining(['llmtrace', 'llmtrace/openai', 'llmtrace/otel', 'llmtrace/offline-model']));
    expect(Object.keys(ENTRIES)).toHaveLength(Object.keys(exportsMap).length - 1);
  });

  it('lists only real exports, each with a schema', () => {
    for (const id of [...Object.keys(ROWS), ...Object.keys(NO_OPTIONS)]) {
      const [entry, name] = id.split(' ') as [string, string];
      expect([id, typeof ENTRIES[entry]?.[name]]).toEqual([id, 'function']);
    }
    for (const id of Object.keys(ROWS)) expect([id, KEYS[id.split(' ')[1]!]?.length ?? 0]).not.toEqual([id, 0]);
  });
});

describe.each(Object.entries(ROWS))('%s', (id, row) => {
  const name = id.split(' ')[1]!;
  const keys = KEYS[name]!;
  const withBase = (options: Record<string, unknown>): Record<string, unknown> => ({ ...row.base, ...options });

  it('refuses an unknown key, naming it', async () => {
    const error = await errorOf(() => row.call(withBase({ zzzNotAnOption: 1 })));
    expect(error).toBeInstanceOf(TypeError);
    expect(error!.message).toMatch(new RegExp(`^llmtrace: ${name}: unknown option "zzzNotAnOption"`));
  });

  it.each(keys.map((key) => [key]))('refuses a misspelt %s and names it', async (key) => {
    const error = await errorOf(() => row.call(withBase({ [misspell(key)]: 1 })));
    expect(error).toBeInstanceOf(TypeError);
    expect(error!.message).toBe(`llmtrace: ${name}: unknown option "${misspell(key)}", did you mean "${key}"?`);
  });

  it.each(keys.map((key) => [key]))('refuses a wrong type and null for %s, naming option, value and type', async (key) => {
    for (const [bad, shown] of [[Symbol('bad'), 'Symbol\\(bad\\) \\(symbol\\)'], [null, 'null \\(object\\)']] as const) {
      const error = await errorOf(() => row.call(withBase({ [key]: bad })));
      expect(error).toBeInstanceOf(TypeError);
      expect(error!.message).toMatch(new RegExp(`^llmtrace: ${name}: ${escape(key)} must be .+, got ${shown}$`));
      expect(error!.message).not.toContain('Cannot read');
    }
  });

  it('refuses options that are not an object', async () => {
    for (const [bad, shown] of [['nope', '"nope" (string)'], [null, 'null (object)'], [42, '42 (number)'], [[], '[array of 0] (object)']] as const) {
      const error = await errorOf(() => row.call(bad));
      expect(error).toBeInstanceOf(TypeError);
      expect(error!.message).toBe(`llmtrace: ${name} options must be an object, got ${shown}`);
    }
  });
});

describe('nested options and hints', () => {
  it.each([
    ['startTracing({ filestore })', () => root.startTracing({ filestore: { dir: tempDir() } } as never), 'llmtrace: startTracing: unknown option "filestore", did you mean "fileStore"?'],
    ['startTracing({ fileStore: { dri } })', () => root.startTracing({ fileStore: { dri: 'x' } } as never), 'llmtrace: startTracing: unknown option "fileStore.dri", did you mean "fileStore.dir"?'],
    ['startTracing({ aggregation: { interval } })', () => root.startTracing({ aggregation: { intervalMS: 5 } } as never), 'llmtrace: startTracing: unknown option "aggregation.intervalMS", did you mean "aggregation.intervalMs"?'],
    ['startTracing({ aggregation: { store } })', () => root.startTracing({ aggregation: { store: new root.TraceStore() } } as never), 'llmtrace: startTracing: unknown option "aggregation.store"'],
    ['startTracing({ aggregation: { alerts: [{ metrc }] } })', () => root.startTracing({ aggregation: { alerts: [{ metrc: 'p90Ms', above: 1 }] } } as never), 'llmtrace: startTracing: unknown option "aggregation.alerts[0].metrc", did you mean "aggregation.alerts[0].metric"?'],
    ['startTracing({ sessionFiles: { directory } })', () => root.startTracing({ sessionFiles: { directory: 'x' } } as never), 'llmtrace: startTracing: unknown option "sessionFiles.directory"'],
    ['startTracing({ batching: { maxQueue } })', () => root.startTracing({ batching: { maxQueue: 5 } } as never), 'llmtrace: startTracing: unknown option "batching.maxQueue"'],
    ['startTracing({ exporters: [{}] })', () => root.startTracing({ exporters: [{}] } as never), 'llmtrace: startTracing: exporters[0] must be a SpanExporter { export, shutdown }, got [object Object] (object)'],
    ['startTracing({ fileStore: null })', () => root.startTracing({ fileStore: null } as never), 'llmtrace: startTracing: fileStore must be an options object or false, got null (object)'],
    ['configure({ sampleing })', () => root.configure({ sampleing: {} } as never), 'llmtrace: configure: unknown option "sampleing", did you mean "sampling"?'],
    ['configure({ sampling: { ration } })', () => root.configure({ sampling: { ration: 0.5 } } as never), 'llmtrace: configure: unknown option "sampling.ration", did you mean "sampling.ratio"?'],
    ['configure({ redaction: { pattern } })', () => root.configure({ redaction: { pattern: [] } } as never), 'llmtrace: configure: unknown option "redaction.pattern", did you mean "redaction.patterns"?'],
    ['configure({ logger: { minlevel } })', () => root.configure({ logger: { minlevel: 'debug' } } as never), 'llmtrace: configure: unknown option "logger.minlevel", did you mean "logger.minLevel"?'],
    ['configure({ pricing: { m: { ouput } } })', () => root.configure({ pricing: { m: { input: 1, ouput: 2 } } } as never), 'llmtrace: configure: unknown option "pricing["m"].ouput", did you mean "pricing["m"].output"?'],
    ['configure({ pricing: { m: { input } } })', () => root.configure({ pricing: { m: { input: 1 } } } as never), 'llmtrace: configure: pricing["m"].output must be a non-negative number (USD per 1M tokens), got undefined (undefined)'],
    ['new PriceTable({ m: { ouput } })', () => new extend.PriceTable({ m: { input: 1, ouput: 2 } } as never), 'llmtrace: PriceTable: unknown option "pricing["m"].ouput", did you mean "pricing["m"].output"?'],
    ['new PriceTable(null)', () => new extend.PriceTable(null as never), 'llmtrace: PriceTable: pricing must be an object of model name to price { input, output, cachedInput?, cacheWrite?, per? }, got null (object)'],
    ['traced(fn, { modle })', () => root.traced(() => 1, { modle: 'gpt-4o' } as never), 'llmtrace: traced: unknown option "modle" (the requested model is read from each call: point "modelParam" at the parameter that holds it)'],
    ['traced(fn, { maxContentBytes: -1 })', () => root.traced(() => 1, { maxContentBytes: -1 }), 'llmtrace: traced: maxContentBytes must be a positive integer, got -1 (number)'],
    ['monitorLLM({ capture })', () => root.monitorLLM({ capture: 'full' } as never), 'llmtrace: monitorLLM: unknown option "capture" (@monitorLLM never captures content; use @traceModelCall for that)'],
    ['withSpan(name, { "app.user" }, fn)', () => root.withSpan('turn', { 'app.user': 'u1' } as never, () => 1), 'llmtrace: withSpan: unknown option "app.user" (span attributes go under "attributes": { attributes: { "app.user": ... } })'],
    ['new TraceStore({ maxspan })', () => new root.TraceStore({ maxspan: 5 } as never), 'llmtrace: TraceStore: unknown option "maxspan", did you mean "maxSpans"?'],
    ['exportToOtlp({ protocol: "http" })', () => otel.exportToOtlp({ protocol: 'http' } as never), "llmtrace: exportToOtlp: protocol must be 'http/json', 'http/protobuf' or 'grpc', got \"http\" (string)"],
    ['exportToOtlp({ url, header })', () => otel.exportToOtlp({ url: 'http://127.0.0.1:4318', header: {} } as never), 'llmtrace: exportToOtlp: unknown option "header", did you mean "headers"?'],
    ['startOfflineModelServer({ outputTokens: [5, 2] })', () => offline.startOfflineModelServer({ outputTokens: [5, 2] }), 'llmtrace: startOfflineModelServer: outputTokens must be a positive integer or [min, max] with 1 <= min <= max, got [array of 2] (object)'],
  ] as const)('%s', async (_label, call, message) => {
    const error = await errorOf(call);
    expect(error).toBeInstanceOf(TypeError);
    expect(error!.message).toBe(message);
  });

  it('accepts every option spelt right (the checks refuse only what is wrong)', async () => {
    const dir = tempDir();
    const tracing = await root.startTracing({
      store: new root.TraceStore(),
      logger: { format: 'hidden', minLevel: 'warn' },
      capture: 'metadata',
      sampling: { ratio: 1, keepErrors: true, slowerThanMs: Infinity },
      redaction: { patterns: [/secret-\w+/], mask: (v) => v },
      pricing: { m: { input: 1, output: 2, per: '1K' } },
      fileStore: { dir, maxSegmentRecords: 10 },
      aggregation: { intervalMs: 60_000, alerts: [{ metric: 'p90Ms', above: 1 }] },
      sessionFiles: false,
      batching: { maxQueueSize: 10 },
      exporters: [exporter],
    });
    await tracing.shutdown();
    expect(root.withSpan('s', { kind: 'run', attributes: { 'app.user': 'u1' } }, () => 7)).toBe(7);
  });
});

describe('an SDK adapter given something that is not its client', () => {
  // A resource, the class or `{}` would otherwise be proxied and record nothing, silently.
  it.each([
    ['instrumentOpenAI', () => openai.instrumentOpenAI({})],
    ['instrumentOpenAI', () => openai.instrumentOpenAI({ completions: { create() {} } })],
    ['instrumentAnthropic', () => anthropic.instrumentAnthropic({ create() {} })],
    ['instrumentOllama', () => ollama.instrumentOllama(class Ollama {})],
    ['instrumentGemini', () => gemini.instrumentGemini({ models: {} })],
    ['instrumentBedrock', () => bedrock.instrumentBedrock({})],
  ])('%s refuses it in one line naming the methods it looked for', (entry, call) => {
    expect(call).toThrow(TypeError);
    expect(call).toThrow(new RegExp(`^llmtrace: ${entry} needs an? \\w+ client|^llmtrace: ${entry} needs a BedrockRuntimeClient`));
    expect(call).toThrow(/none of its methods \(.+\): pass the client instance itself$/);
  });
});
