/**
 * Percentile accuracy of the aggregator (issue 3, item 10): p50/p90/p99 that the Aggregator reports
 * for one window of 1,000,000 latencies from two seeded skewed distributions (log-normal and
 * Pareto), against exact percentiles of the same values sorted (lower nearest rank, the rule
 * documented in docs/aggregation.md). The documented bound is 1% relative error
 * (SKETCH_RELATIVE_ACCURACY). Also reports the error after a JSON round trip and merge of ten
 * 100,000-sample windows, the path the CLI takes.
 */
import { createPrng } from '../lib/offline-model/prng.js';
import { createLogger, GenAI, LLMTrace, type WindowSummary } from '../index.js';
import { Aggregator, mergeSummaries, SKETCH_RELATIVE_ACCURACY } from '../lib/extend/index.js';
import { round, runIfMain, type ScenarioResult } from './harness.js';

const SAMPLES = 1_000_000;
const WINDOWS = 10;
const QUANTILES = [
  [0.5, 'p50Ms'],
  [0.9, 'p90Ms'],
  [0.99, 'p99Ms'],
] as const;


function logNormal(seed: number, medianMs: number, sigma: number): () => number {
  const u = createPrng(seed).next;
  return () => medianMs * Math.exp(sigma * Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u()));
}

function pareto(seed: number, minMs: number, alpha: number): () => number {
  const u = createPrng(seed).next;
  return () => minMs / Math.pow(1 - u(), 1 / alpha);
}

function summarise(values: Float64Array, from: number, to: number): WindowSummary {
  const aggregator = new Aggregator({ logger: createLogger({ format: 'hidden' }), logSummaries: false });
  const attributes = { [LLMTrace.FUNCTION]: 'bench', [GenAI.REQUEST_MODEL]: 'm' };
  for (let i = from; i < to; i++) {
    aggregator.record({ name: 'bench', kind: 'llm', status: 'success', duration: values[i]!, attributes, error: undefined });
  }
  return aggregator.flush()[0]!;
}

function measure(label: string, next: () => number, results: Record<string, number | string>): number {
  const values = new Float64Array(SAMPLES);
  for (let i = 0; i < SAMPLES; i++) values[i] = next();
  const sorted = Float64Array.from(values).sort();
  const one = summarise(values, 0, SAMPLES);
  const perWindow = SAMPLES / WINDOWS;
  const windows = Array.from({ length: WINDOWS }, (_, w) => JSON.parse(JSON.stringify(summarise(values, w * perWindow, (w + 1) * perWindow))) as WindowSummary);
  const merged = mergeSummaries(windows);
  let worst = 0;
  for (const [q, field] of QUANTILES) {
    const exact = sorted[Math.floor(q * (SAMPLES - 1))]!;
    const error = Math.abs(one[field]! - exact) / exact;
    const mergedError = Math.abs(merged[field]! - exact) / exact;
    worst = Math.max(worst, error, mergedError);
    results[`${label}.${field}.exact`] = round(exact, 2);
    results[`${label}.${field}.rel_error_pct`] = round(error * 100, 3);
    results[`${label}.${field}.merged_rel_error_pct`] = round(mergedError * 100, 3);
  }
  results[`${label}.sketch_bytes_json`] = one.latencyDistribution?.kind === 'ddsketch' ? JSON.stringify(one.latencyDistribution.bins).length : 0;
  return worst;
}

/** Runs the scenario. */
export default async function sketchAccuracyScenario(): Promise<ScenarioResult> {
  const results: Record<string, number | string> = {};
  const worst = Math.max(
    measure('lognormal', logNormal(20240601, 900, 1), results),
    measure('pareto', pareto(7, 200, 1.5), results),
  );
  results['bound_pct'] = SKETCH_RELATIVE_ACCURACY * 100;
  results['worst_rel_error_pct'] = round(worst * 100, 3);
  results['within_bound'] = worst <= SKETCH_RELATIVE_ACCURACY ? 'yes' : 'NO';
  return {
    name: 'sketch accuracy: aggregator percentiles vs exact, 1,000,000 samples',
    results,
    notes: 'log-normal (median 900 ms, sigma 1) and Pareto (min 200 ms, alpha 1.5), seeded; merged = 10 windows of 100k through JSON and mergeSummaries',
  };
}

runIfMain(import.meta.url, sketchAccuracyScenario);
