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

