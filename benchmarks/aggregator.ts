/**
 * Aggregator feeding cost (issue 3, item 10): what `Aggregator.record` adds per finished span, as a
 * ratio against a bare baseline measured in the same interleaved rounds. The baseline does the
 * least any consumer of spans does (reads the span's duration into a running sum); the measured
 * cases feed the same pre-built spans to an aggregator with one group, and with 50 groups (10
 * functions x 5 models), each window flushed between rounds so its sketches are in steady state.
 * Heap after feeding 1,000,000 spans is compared with the heap after 10,000 (memory grows with
 * groups, not calls).
 */
import { createLogger, GenAI, LLMTrace, type Attributes, type SpanKind } from '../index.js';
import { Aggregator } from '../lib/extend/index.js';
import { heapAfterGc, measureInterleaved, overheadOver, round, runIfMain, type ScenarioResult } from './harness.js';

const ROUNDS = 30;
const CALLS_PER_ROUND = 20_000;
const HEAP_SPANS = 1_000_000;

interface BenchSpan {
  name: string;
  kind: SpanKind;
  status: 'success' | 'error';
  duration: number;
  attributes: Attributes;
  error: { type: string; message: string } | undefined;
}

/** Pre-built spans with skewed durations, a few errors, usage, cost and some streamed calls. */
function makeSpans(count: number, functions: number, models: number): BenchSpan[] {
  let seed = 12345;
  const uniform = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  return Array.from({ length: count }, (_, i) => {
    const failed = i % 50 === 0;
    const attributes: Attributes = {
      [LLMTrace.FUNCTION]: `fn_${i % functions}`,
      [GenAI.REQUEST_MODEL]: `model_${Math.floor(i / functions) % models}`,
      [GenAI.USAGE_INPUT_TOKENS]: 500,
      [GenAI.USAGE_OUTPUT_TOKENS]: 120,
      [LLMTrace.COST_USD]: 0.0004,
    };
    if (i % 3 === 0) attributes[LLMTrace.TIME_TO_FIRST_TOKEN_MS] = 100 + uniform() * 400;
    return {
      name: 'call',
      kind: 'llm',
      status: failed ? 'error' : 'success',
      duration: Math.exp(6 + uniform() * 3),
      attributes,
      error: failed ? { type: 'RateLimitError', message: '' } : undefined,
    };
  });
}

/** Runs the scenario. */
export default async function aggregatorScenario(): Promise<ScenarioResult> {
  const logger = createLogger({ format: 'hidden' });
  const oneGroup = new Aggregator({ logger, logSummaries: false });
  const manyGroups = new Aggregator({ logger, logSummaries: false });
  const spansOne = makeSpans(CALLS_PER_ROUND, 1, 1);
  const spansMany = makeSpans(CALLS_PER_ROUND, 10, 5);
  let sink = 0;
  const stats = await measureInterleaved(
    [
      {
        name: 'baseline',
        loop: (n) => {
          for (let i = 0; i < n; i++) sink += spansOne[i]!.duration;
        },
      },
      {
        name: 'aggregator.1-group',
        loop: (n) => {
          for (let i = 0; i < n; i++) oneGroup.record(spansOne[i]!);
          oneGroup.flush();
        },
      },
      {
        name: 'aggregator.50-groups',
        loop: (n) => {
          for (let i = 0; i < n; i++) manyGroups.record(spansMany[i]!);
          manyGroups.flush();
        },
      },
    ],
    { rounds: ROUNDS, callsPerRound: CALLS_PER_ROUND },
  );
  const baseline = stats.get('baseline')!.median;
  const one = overheadOver(stats, 'aggregator.1-group', 'baseline');
  const many = overheadOver(stats, 'aggregator.50-groups', 'baseline');

  const heapAggregator = new Aggregator({ logger, logSummaries: false });
  const heapSpans = makeSpans(10_000, 10, 5);
  for (const s of heapSpans) heapAggregator.record(s);
  const heapAt10k = heapAfterGc();
  for (let i = 10_000; i < HEAP_SPANS; i++) heapAggregator.record(heapSpans[i % heapSpans.length]!);
  const heapAt1m = heapAfterGc();
  const summaries = heapAggregator.flush();

  return {
    name: 'aggregator: cost of feeding one span',
    results: {
      'baseline.ns_per_span': round(baseline, 1),
      'aggregator.1-group.ns_per_span': round(baseline + one.median, 1),
      'aggregator.1-group.overhead_ns': round(one.median, 1),
      'aggregator.1-group.ratio_to_baseline': round((baseline + one.median) / baseline, 1),
      'aggregator.50-groups.ns_per_span': round(baseline + many.median, 1),
      'aggregator.50-groups.ratio_to_baseline': round((baseline + many.median) / baseline, 1),
      'heap.after_10k_spans_mb': round(heapAt10k / 2 ** 20, 2),
      'heap.after_1m_spans_mb': round(heapAt1m / 2 ** 20, 2),
      'heap.growth_10k_to_1m_kb': round((heapAt1m - heapAt10k) / 1024, 1),
      'groups.in_heap_window': summaries.length,
      sink: sink > 0 ? 'ok' : 'none',
    },
    notes:
      'per-span figures include the window flush at the end of every round (50 summaries each); ' +
      'the baseline reads one number per span, so the ratio is a multiple of the cheapest possible consumer, not of a traced call',
  };
}

runIfMain(import.meta.url, aggregatorScenario);
