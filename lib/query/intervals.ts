/**
 * 95% intervals and the rank test behind `compare`: Wilson intervals for rates, t-style intervals
 * for means, distribution-free (order-statistic) intervals for percentiles, and the Mann-Whitney U
 * test (normal approximation, from simple-statistics' rank sum) for "is one model's latency
 * different from the other's". Pure.
 */
import { errorFunction, mean, sampleStandardDeviation, wilcoxonRankSum } from 'simple-statistics';
import { quantileSorted, sampleQuantiles } from './percentiles.js';
import type { Estimate, RankTest } from './wire-types.js';

/** z for a two-sided 95% interval. */
export const Z_95 = 1.959964;

const NONE: Estimate = { value: null, low: null, high: null };

/** Wilson score interval of `successes` out of `n`. */
export function rateInterval(successes: number, n: number): Estimate {
  if (n === 0) return NONE;
  const p = successes / n;
  const z2 = Z_95 * Z_95;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z_95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { value: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * Mean with a normal-approximation interval (mean ± 1.96 s/√n). `floor` bounds the interval below
 * for quantities that cannot be less (0 for tokens and cost: a small sample's normal interval would
 * reach below it).
 */
export function meanInterval(values: readonly number[], floor = -Infinity): Estimate {
  if (values.length === 0) return NONE;
  const m = mean(values as number[]);
  if (values.length < 2) return { value: m, low: null, high: null };
  const half = (Z_95 * sampleStandardDeviation(values as number[])) / Math.sqrt(values.length);
  return { value: m, low: Math.max(floor, m - half), high: m + half };
}

/**
 * The q-quantile of ascending `sorted` with a distribution-free interval: the order statistics
 * X(r) and X(s) (1-based) with r = ⌊n·q - h⌋ and s = ⌈n·q + h⌉ + 1, h = 1.96·√(n·q·(1-q)), which
 * cover the quantile with at least about 95% whatever the latency distribution; a bound past the
 * sample is null. The bounds never exclude the estimate itself (interpolated between neighbours).
 */
export function quantileInterval(sorted: ArrayLike<number>, q: number): Estimate {
  const n = sorted.length;
  if (n === 0) return NONE;
  const value = quantileSorted(sorted, q)!;
  const half = Z_95 * Math.sqrt(n * q * (1 - q));
  const low = Math.floor(n * q - half) - 1; // 0-based index of X(r)
  const high = Math.ceil(n * q + half); // 0-based index of X(s)
  return {
    value,
    low: low >= 0 ? Math.min(sorted[low]!, value) : null,
    high: high < n ? Math.max(sorted[high]!, value) : null,
  };
}

function tieCorrection(a: readonly number[], b: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const v of a) counts.set(v, (counts.get(v) ?? 0) + 1);
  for (const v of b) counts.set(v, (counts.get(v) ?? 0) + 1);
  let sum = 0;
  for (const t of counts.values()) sum += t * t * t - t;
  return sum;
}

/**
 * Mann-Whitney U (Wilcoxon rank-sum) test of two samples, two-sided; null when either sample is
 * empty or every value is tied.
 */
export function mannWhitney(a: readonly number[], b: readonly number[]): RankTest | null {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) return null;
  const rankSum = wilcoxonRankSum(a as number[], b as number[]);
  const u = rankSum - (n1 * (n1 + 1)) / 2;
  const n = n1 + n2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieCorrection(a, b) / (n * (n - 1)));
  if (!(variance > 0)) return null;
  const z = (u - (n1 * n2) / 2) / Math.sqrt(variance);
  const p = Math.min(1, 1 - errorFunction(Math.abs(z) / Math.SQRT2));
  return { u, z, p, probabilityFirstGreater: u / (n1 * n2) };
}

/** Kish's effective sample size of `weights`: (Σw)² / Σw² (the count itself when every weight is 1). */
export function effectiveSize(weights: readonly number[]): number {
  let sum = 0;
  let squares = 0;
  for (const w of weights) {
    sum += w;
    squares += w * w;
  }
  return squares === 0 ? 0 : (sum * sum) / squares;
}

/**
 * Weighted mean of `values` (each standing for `weights[i]` calls) with a normal-approximation
 * interval on the effective sample size, bounded below by `floor` (see `meanInterval`).
 */
export function weightedMeanInterval(values: readonly number[], weights: readonly number[], floor = -Infinity): Estimate {
  let total = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    total += weights[i]!;
    sum += weights[i]! * values[i]!;
  }
  if (total === 0) return NONE;
  const m = sum / total;
  const n = effectiveSize(weights);
  if (n < 2) return { value: m, low: null, high: null };
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += weights[i]! * (values[i]! - m) ** 2;
  const half = Z_95 * Math.sqrt((squares / total) * (n / (n - 1)) / n);
  return { value: m, low: Math.max(floor, m - half), high: m + half };
}

/**
 * The weighted q-quantile of `values` (`sampleQuantiles`) with the order-statistic interval taken
 * on cumulative weight: the quantiles at q ± 1.96·√(q·(1-q) / n) for the effective sample size n.
 */
export function weightedQuantileInterval(values: readonly number[], weights: readonly number[], q: number): Estimate {
  if (values.length === 0) return NONE;
  const quantiles = sampleQuantiles(values, weights);
  const half = Z_95 * Math.sqrt((q * (1 - q)) / effectiveSize(weights));
  return {
    value: quantiles.at(q),
    low: q - half >= 0 ? quantiles.at(q - half) : null,
    high: q + half <= 1 ? quantiles.at(q + half) : null,
  };
}

/**
 * The Mann-Whitney test of two weighted samples: the probability that a call of the first is
 * slower than one of the second, each pair weighted by the calls both stand for (ties count
 * half), tested against 1/2 with the variance of U on the two effective sample sizes. Reduces to
 * `mannWhitney` without the tie correction when every weight is 1. Null when either side is empty
 * or every value is tied.
 */
export function weightedMannWhitney(
  a: readonly number[],
  weightsA: readonly number[],
  b: readonly number[],
  weightsB: readonly number[],
): RankTest | null {
  if (a.length === 0 || b.length === 0) return null;
  const points = [
    ...a.map((value, i) => ({ value, wa: weightsA[i]!, wb: 0 })),
    ...b.map((value, i) => ({ value, wa: 0, wb: weightsB[i]! })),
  ].sort((x, y) => x.value - y.value);
  let totalA = 0;
  let totalB = 0;
  let aAboveB = 0; // Σ wa·wb over pairs with a > b, plus half over ties
  let belowB = 0; // weight of b strictly below the current value
  for (let i = 0; i < points.length; ) {
    let groupA = 0;
    let groupB = 0;
    const value = points[i]!.value;
    for (; i < points.length && points[i]!.value === value; i++) {
      groupA += points[i]!.wa;
      groupB += points[i]!.wb;
    }
    aAboveB += groupA * (belowB + groupB / 2);
    belowB += groupB;
    totalA += groupA;
    totalB += groupB;
  }
  if (points[0]!.value === points[points.length - 1]!.value) return null;
  const probability = aAboveB / (totalA * totalB);
  const n1 = effectiveSize(weightsA);
  const n2 = effectiveSize(weightsB);
  const u = probability * a.length * b.length;
  const z = (probability - 0.5) / Math.sqrt((n1 + n2 + 1) / (12 * n1 * n2));
  const p = Math.min(1, 1 - errorFunction(Math.abs(z) / Math.SQRT2));
  return { u, z, p, probabilityFirstGreater: probability };
}
