/**
 * GenAI client metrics: records every finished model call of a TraceStore (sampled or not) as the
 * OpenTelemetry GenAI semantic-convention metrics, through the application's own MeterProvider
 * (`@opentelemetry/sdk-metrics`, or any `@opentelemetry/api` MeterProvider). Only types are imported
 * from `@opentelemetry/api`: the provider brings the implementation. Recording never throws into
 * the traced program.
 */
import type { Attributes as OtelAttributes, Counter, Histogram, MeterProvider } from '@opentelemetry/api';
import { GenAI, LLMTrace } from '../../lib/attributes.js';
import { getStore } from '../../lib/config.js';
import { reportInternalError } from '../../lib/internal/diagnostics.js';
import type { Span, SpanKind } from '../../lib/span.js';
import { checkStore, type TraceStore } from '../../lib/trace-store.js';
import { INSTRUMENTATION_SCOPE_NAME, LLMTRACE_VERSION } from './version.js';
import { checkOtelOptions } from './option-schemas.js';

/** Metric names recorded by `recordMetrics`. */
export const GenAIMetrics = {
  OPERATION_DURATION: 'gen_ai.client.operation.duration',
  TOKEN_USAGE: 'gen_ai.client.token.usage',
  TIME_TO_FIRST_CHUNK: 'gen_ai.client.operation.time_to_first_chunk',
  TIME_PER_OUTPUT_CHUNK: 'gen_ai.client.operation.time_per_output_chunk',
  CACHE_HITS: 'llmtrace.cache.hits',
} as const;

/** Advised bucket boundaries (seconds) of the GenAI duration and time-to-first-chunk histograms. */
export const GEN_AI_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
]);

/** Advised bucket boundaries (tokens) of `gen_ai.client.token.usage`. */
export const GEN_AI_TOKEN_BUCKETS: readonly number[] = Object.freeze([
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
]);

/** Options of `recordMetrics`. */
export interface RecordMetricsOptions {
  /** Where the metrics go: the application's MeterProvider (for example `new MeterProvider({ readers })`). */
  meterProvider: MeterProvider;
  /** The store whose finished spans are measured. @default the configured store (`getStore()`) */
  store?: TraceStore;
}

/** A running metrics recording. */
export interface MetricsHandle {
  /** Stops recording (unsubscribes from the store). Idempotent. The MeterProvider stays the application's. */
  stop(): void;
}

/** Scope kinds group calls; they are not GenAI operations of their own. */
const SCOPE_KINDS: ReadonlySet<SpanKind> = new Set<SpanKind>(['session', 'run', 'iteration', 'request', 'model']);

/** The attributes copied, when recorded as strings, from a span onto its data points. */
const COMMON_KEYS = [GenAI.OPERATION_NAME, GenAI.PROVIDER_NAME, GenAI.REQUEST_MODEL, GenAI.RESPONSE_MODEL] as const;

interface Instruments {
  duration: Histogram;
  tokens: Histogram;
  timeToFirstChunk: Histogram;
  timePerOutputChunk: Histogram;
  cacheHits: Counter;
}

function createInstruments(provider: MeterProvider): Instruments {
  const meter = provider.getMeter(INSTRUMENTATION_SCOPE_NAME, LLMTRACE_VERSION);
  const durationAdvice = { explicitBucketBoundaries: [...GEN_AI_DURATION_BUCKETS] };
  return {
    duration: meter.createHistogram(GenAIMetrics.OPERATION_DURATION, {
      description: 'GenAI operation duration.',
      unit: 's',
      advice: durationAdvice,
    }),
    tokens: meter.createHistogram(GenAIMetrics.TOKEN_USAGE, {
      description: 'Number of input and output tokens used.',
      unit: '{token}',
      advice: { explicitBucketBoundaries: [...GEN_AI_TOKEN_BUCKETS] },
    }),
    timeToFirstChunk: meter.createHistogram(GenAIMetrics.TIME_TO_FIRST_CHUNK, {
      description: 'Time to receive the first chunk of a streamed response, from when the request was issued.',
      unit: 's',
      advice: durationAdvice,
    }),
    timePerOutputChunk: meter.createHistogram(GenAIMetrics.TIME_PER_OUTPUT_CHUNK, {
      description: 'Time per output chunk of a streamed response, for each chunk after the first (the stream\'s mean chunk interval).',
      unit: 's',
      advice: durationAdvice,
    }),
    cacheHits: meter.createCounter(GenAIMetrics.CACHE_HITS, {
      description: 'Calls answered from the caller cache (markCacheHit), kept out of the GenAI metrics.',
      unit: '{call}',
    }),
  };
}

function commonAttributes(span: Span): OtelAttributes {
  const out: OtelAttributes = {};
  for (const key of COMMON_KEYS) {
    const value = span.attributes[key];
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}

function tokenCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Records one finished span on the instruments (see `recordMetrics` for what counts). */
function recordSpanMetrics(span: Span, instruments: Instruments): void {
  if (SCOPE_KINDS.has(span.kind) || typeof span.attributes[GenAI.OPERATION_NAME] !== 'string') return;
  const common = commonAttributes(span);
  if (span.attributes[LLMTrace.CACHED] === true) {
    instruments.cacheHits.add(1, common);
    return;
  }
  const errorType = span.attributes[GenAI.ERROR_TYPE];
  const duration =
    span.status === 'error' ? { ...common, [GenAI.ERROR_TYPE]: typeof errorType === 'string' ? errorType : (span.error?.type ?? '_OTHER') } : common;
  instruments.duration.record(span.duration / 1000, duration);
  const input = tokenCount(span.attributes[GenAI.USAGE_INPUT_TOKENS]);
  if (input !== undefined) instruments.tokens.record(input, { ...common, 'gen_ai.token.type': 'input' });
  const output = tokenCount(span.attributes[GenAI.USAGE_OUTPUT_TOKENS]);
  if (output !== undefined) instruments.tokens.record(output, { ...common, 'gen_ai.token.type': 'output' });
  const ttfc = span.attributes[GenAI.RESPONSE_TIME_TO_FIRST_CHUNK];
  if (typeof ttfc === 'number' && Number.isFinite(ttfc) && ttfc >= 0) instruments.timeToFirstChunk.record(ttfc, common);
  recordChunkIntervals(span, instruments.timePerOutputChunk, common);
}

/**
 * `gen_ai.client.operation.time_per_output_chunk`: one value per chunk after the first. llmtrace
 * keeps no per-chunk timings (that would cost every streamed call memory), so each value is the
 * stream's mean chunk interval: the count and sum are exact, the spread within one stream is not.
 */
function recordChunkIntervals(span: Span, histogram: Histogram, common: OtelAttributes): void {
  const chunks = span.attributes[LLMTrace.STREAM_CHUNKS];
  const meanMs = span.attributes[LLMTrace.STREAM_MEAN_CHUNK_INTERVAL_MS];
  if (typeof chunks !== 'number' || typeof meanMs !== 'number' || !Number.isFinite(meanMs) || meanMs < 0) return;
  const seconds = meanMs / 1000;
  for (let i = 1; i < chunks; i++) histogram.record(seconds, common);
}

/**
 * Records the GenAI client metrics of every finished call in a store, sampled or not, through
 * `meterProvider`: `gen_ai.client.operation.duration` (s), `gen_ai.client.token.usage` ({token}, by
 * `gen_ai.token.type`) and, for streamed calls, `gen_ai.client.operation.time_to_first_chunk` and
 * `gen_ai.client.operation.time_per_output_chunk` (s, each chunk after the first at the stream's
 * mean interval), with the semantic conventions' advised bucket boundaries. A call counts when it carries
 * `gen_ai.operation.name` (model, embedding, tool and agent calls do by default) and is not a scope
 * (`session`, `run`, `iteration`, `request`). Calls served from the caller's cache
 * (`markCacheHit()`) go to the `llmtrace.cache.hits` counter instead. Returns the handle that stops.
 * @throws TypeError when `meterProvider` is not a MeterProvider or `store` not a TraceStore.
 * @example
 * const meterProvider = new MeterProvider({
 *   readers: [new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter() })],
 * });
 * const metrics = recordMetrics({ meterProvider });
 * // ... at shutdown:
 * metrics.stop();
 * await meterProvider.shutdown();
 */
export function recordMetrics(options: RecordMetricsOptions): MetricsHandle {
  checkOtelOptions('recordMetrics', options);
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`llmtrace: recordMetrics() needs an options object, got ${String(options)}`);
  }
  const provider = options.meterProvider as Partial<MeterProvider> | null | undefined;
  if (!provider || typeof provider.getMeter !== 'function') {
    throw new TypeError(
      `llmtrace: meterProvider must be an OpenTelemetry MeterProvider (with getMeter), got ${String(provider)} (${typeof provider})`,
    );
  }
  checkStore(options.store);
  const instruments = createInstruments(options.meterProvider);
  const unsubscribe = (options.store ?? getStore()).subscribe((span) => {
    try {
      recordSpanMetrics(span, instruments);
    } catch (error) {
      reportInternalError('otel.metrics', error);
    }
  });
  let stopped = false;
  return {
    stop: () => {
      if (stopped) return;
      stopped = true;
      unsubscribe();
    },
  };
}
