/**
 * Exact percentiles of loaded values, with the same definition the aggregator's distributions use
 * (linear interpolation between the sorted values around rank q * (n - 1)), so a percentile from
 * spans and one from stored summaries mean the same thing. Pure.
 */

/** The q-quantile (0..1) of ascending-sorted `sorted`, or null when empty. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const rank = q * (n - 1);
  const below = Math.floor(rank);
  const lower = sorted[below]!;
  const upper = sorted[Math.min(below + 1, n - 1)]!;
  return lower + (rank - below) * (upper - lower);
}


/**
 * The q-quantile (0..1) of `values` where each counts `weights[i]` times (a weighted sample: spans
 * kept by head sampling stand for 1 / ratio calls each): the smallest value whose cumulative weight
 * reaches q of the total. Null when empty. Sorts a copy; `values` and `weights` are unchanged.
 */
export function weightedQuantile(values: readonly number[], weights: readonly number[], q: number): number | null {
  const n = values.length;
  if (n === 0) return null;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[i]!;
  const target = q * total;
  let cumulative = 0;
  for (const i of order) {
    cumulative += weights[i]!;
    if (cumulative >= target) return values[i]!;
  }
  return values[order[n - 1]!]!;
}
