/** Test helper: seeded random numbers, so statistical tests give the same samples every run. */
import { createPrng } from '../../lib/offline-model/prng.js';

/** A seeded uniform generator in [0, 1) (the offline model server's mulberry32). */
export function seededUniform(seed: number): () => number {
  return createPrng(seed).next;
}

/** A seeded log-normal generator (Box-Muller): a skewed, latency-like distribution. */
export function seededLogNormal(seed: number, mu: number, sigma: number): () => number {
  const uniform = seededUniform(seed);
  return () => {
    const u = 1 - uniform();
    const v = uniform();
    return Math.exp(mu + sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
  };
}

/** The value at rank floor(q * (n - 1)) of the sorted values: what a DDSketch's 1% bound is relative to. */
export function rankPercentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

/** Exact percentile as llmtrace documents it: linear interpolation around rank q * (n - 1). */
export function exactPercentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = q * (sorted.length - 1);
  const below = Math.floor(rank);
  const upper = sorted[Math.min(below + 1, sorted.length - 1)]!;
  return sorted[below]! + (rank - below) * (upper - sorted[below]!);
}
