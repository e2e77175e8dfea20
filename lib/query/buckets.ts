/**
 * Bucketing for charts and reports: a latency histogram with "nice" bucket edges, and counts per
 * time bucket (requests and errors over time) with a bucket size chosen from the range. Pure.
 */

/** One histogram bucket: [from, to). */
export interface HistogramBucket {
  from: number;
  to: number;
  count: number;
}

/** Buckets a histogram aims for. */
export const DEFAULT_HISTOGRAM_BUCKETS = 20;

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}

/**
 * A histogram of `values` with about `target` buckets of a nice width (1, 2, 2.5 or 5 times a power
 * of ten), from the lowest to the highest value; every value lands in exactly one bucket.
 */
export function histogram(values: readonly number[], target = DEFAULT_HISTOGRAM_BUCKETS): HistogramBucket[] {
  if (values.length === 0) return [];
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const step = niceStep(Math.max((max - min) / target, 1e-9));
  const start = Math.floor(min / step) * step;
  const n = Math.max(1, Math.floor((max - start) / step) + 1);
  const buckets = Array.from({ length: n }, (_, i) => ({ from: start + i * step, to: start + (i + 1) * step, count: 0 }));
  for (const v of values) buckets[Math.min(n - 1, Math.floor((v - start) / step))]!.count++;
  return buckets;
}

/** Requests and errors in one time bucket. */
export interface TimeBucket {
  /** Bucket start, epoch ms. */
  start: number;
  requests: number;
  errors: number;
}

const TIME_STEPS = [1_000, 5_000, 15_000, 60_000, 300_000, 900_000, 3_600_000, 6 * 3_600_000, 86_400_000];

/** A bucket size (from 1 s to 1 day) giving at most `maxBuckets` buckets over [from, to]. */
export function timeStep(from: number, to: number, maxBuckets = 60): number {
  return TIME_STEPS.find((step) => (to - from) / step <= maxBuckets) ?? 86_400_000;
}

/** Requests and errors per time bucket (empty buckets included) for `[time, failed]` points. */
export function timeBuckets(points: readonly (readonly [number, boolean])[], maxBuckets = 60): TimeBucket[] {
  if (points.length === 0) return [];
  let from = Infinity;
  let to = -Infinity;
  for (const [t] of points) {
    from = Math.min(from, t);
    to = Math.max(to, t);
  }
  const step = timeStep(from, to, maxBuckets);
  const first = Math.floor(from / step) * step;
  const n = Math.floor((to - first) / step) + 1;
  const buckets = Array.from({ length: n }, (_, i) => ({ start: first + i * step, requests: 0, errors: 0 }));
  for (const [t, failed] of points) {
    const b = buckets[Math.floor((t - first) / step)]!;
    b.requests++;
    if (failed) b.errors++;
  }
  return buckets;
}
