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


/** The quantiles of a sample, sorted once: `at(q)` for q in 0..1 (null when empty), and its maximum. */
export interface SampleQuantiles {
  at(q: number): number | null;
  readonly max: number | null;
}

/**
 * The quantiles of `values`, sorted once. Without `weights`, exact (`quantileSorted`). With them (a
 * weighted sample: spans kept by head sampling stand for 1 / ratio calls each), `at(q)` is the
 * smallest value whose cumulative weight reaches q of the total. `values` and `weights` are unchanged.
 */
export function sampleQuantiles(values: readonly number[], weights?: readonly number[]): SampleQuantiles {
  const n = values.length;
  if (!weights) {
    const sorted = Float64Array.from(values).sort();
    return { at: (q) => quantileSorted(sorted, q), max: n === 0 ? null : sorted[n - 1]! };
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let k = 0; k < n; k++) cumulative[k] = total += weights[order[k]!]!;
  return {
    at: (q) => {
      if (n === 0) return null;
      const target = q * total;
      let k = 0;
      while (k < n - 1 && cumulative[k]! < target) k++;
      return values[order[k]!]!;
    },
    max: n === 0 ? null : values[order[n - 1]!]!,
  };
}
