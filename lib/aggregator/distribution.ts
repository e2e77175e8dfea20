/**
 * Distribution: the values of one metric (latency, time to first token) in one group and window,
 * answering percentile queries. Exact while small: raw values are kept up to EXACT_PERCENTILE_LIMIT
 * and percentiles read from the sorted values. Beyond that the values move into a DDSketch
 * (`@datadog/sketches-js`) with relative accuracy SKETCH_RELATIVE_ACCURACY: every percentile it
 * returns is within 1% (relative) of the exact one, its memory depends on the range of the values
 * (one bin per 2% step), never on their number, and two sketches merge without losing accuracy.
 *
 * Percentile definition: linear interpolation between the sorted values around rank q * (n - 1)
 * (numpy's default, Excel's PERCENTILE.INC), so small windows read the way people compute them by
 * hand (p99 of a few calls is close to their max, not the second-slowest). The sketch answers for the
 * value at rank floor(q * (n - 1)); with more than EXACT_PERCENTILE_LIMIT values neighbouring ranks
 * differ by far less than the sketch's 1%, so crossing the limit changes precision, not meaning.
 */
import { DDSketch } from '@datadog/sketches-js';

/** Raw values kept per distribution before switching to the sketch (exact percentiles up to this count). */
export const EXACT_PERCENTILE_LIMIT = 512;

/**
 * Relative accuracy of the sketch: a returned percentile v' of exact value v satisfies
 * |v' - v| <= 0.01 * v. Measured in benchmarks/sketch-accuracy.ts.
 */
export const SKETCH_RELATIVE_ACCURACY = 0.01;

/** Decimal places raw values keep when serialised (1 µs for milliseconds). */
const SERIALISED_DECIMALS = 1_000;

/**
 * A distribution as stored in a WindowSummary (so summaries of several windows merge with correct
 * percentiles): raw values while small, else the DDSketch's bins as plain JSON. (Not the sketch's
 * own `toProto()`: that lazily requires `protobufjs`, which `@datadog/sketches-js` does not declare,
 * so it threw in a fresh install; the bins are also what a JSON store reads best.)
 */
export type SerializedDistribution =
  | {
      kind: 'exact';
      /** The values, rounded to 0.001. */
      values: number[];
    }
  | {
      kind: 'ddsketch';
      /** The sketch's relative accuracy (sketches of different accuracy do not merge). */
      relativeAccuracy: number;
      count: number;
      min: number;
      max: number;
      /** Values at or below the sketch's smallest distinguishable value (counted as 0). */
      zeroCount: number;
      /** The non-empty bins as [key, count] pairs, keys ascending (key k holds values near gamma^k). */
      bins: Array<[number, number]>;
    };

/** The values of one metric, exact while small, sketched beyond EXACT_PERCENTILE_LIMIT. */
export class Distribution {
  #values: number[] | undefined = [];
  #sorted = true;
  #sketch: DDSketch | undefined;
  #count = 0;
  #min = Infinity;
  #max = -Infinity;

  /** Values added. */
  get count(): number {
    return this.#count;
  }

  /** Smallest value, or null when empty. */
  get min(): number | null {
    return this.#count === 0 ? null : this.#min;
  }

  /** Largest value, or null when empty. */
  get max(): number | null {
    return this.#count === 0 ? null : this.#max;
  }

  /** True while percentiles are exact. */
  get exact(): boolean {
    return this.#values !== undefined;
  }

  /** Adds one value (finite, >= 0; others are ignored). */
  add(value: number): void {
    if (!(value >= 0) || value === Infinity) return;
    this.#count++;
    if (value < this.#min) this.#min = value;
    if (value > this.#max) this.#max = value;
    if (this.#values) {
      this.#values.push(value);
      this.#sorted = false;
      if (this.#values.length > EXACT_PERCENTILE_LIMIT) this.#toSketch();
    } else {
      this.#sketch!.accept(value);
    }
  }

  /** The value at quantile `q` (0..1), or null when empty. */
  quantile(q: number): number | null {
    if (this.#count === 0) return null;
    if (this.#values) {
      if (!this.#sorted) {
        this.#values.sort((a, b) => a - b);
        this.#sorted = true;
      }
      const rank = q * (this.#values.length - 1);
      const below = Math.floor(rank);
      const lower = this.#values[below]!;
      const upper = this.#values[Math.min(below + 1, this.#values.length - 1)]!;
      return lower + (rank - below) * (upper - lower);
    }
    const value = this.#sketch!.getValueAtQuantile(q);
    return Math.min(this.#max, Math.max(this.#min, value));
  }

  /** Adds every value of `other` (which is left unchanged). */
  merge(other: Distribution): void {
    if (other.#count === 0) return;
    if (this.#values && other.#values && this.#values.length + other.#values.length <= EXACT_PERCENTILE_LIMIT) {
      for (const value of other.#values) this.#values.push(value);
      this.#sorted = false;
    } else {
      if (this.#values) this.#toSketch();
      if (other.#values) for (const value of other.#values) this.#sketch!.accept(value);
      else this.#sketch!.merge(other.#sketch!);
    }
    this.#count += other.#count;
    this.#min = Math.min(this.#min, other.#min);
    this.#max = Math.max(this.#max, other.#max);
  }

  /** The serialised form (see SerializedDistribution). */
  toJSON(): SerializedDistribution {
    if (this.#values) {
      return { kind: 'exact', values: this.#values.map((v) => Math.round(v * SERIALISED_DECIMALS) / SERIALISED_DECIMALS) };
    }
    return {
      kind: 'ddsketch',
      relativeAccuracy: SKETCH_RELATIVE_ACCURACY,
      count: this.#count,
      min: this.#min,
      max: this.#max,
      zeroCount: this.#sketch!.zeroCount,
      bins: sketchBins(this.#sketch!),
    };
  }

  /**
   * Rebuilds a distribution from its serialised form; undefined when `data` is not one this version
   * can read (wrong shape, or a sketch of another accuracy).
   */
  static fromJSON(data: unknown): Distribution | undefined {
    if (data === null || typeof data !== 'object') return undefined;
    const d = data as Record<string, unknown>;
    const out = new Distribution();
    try {
      if (d.kind === 'exact' && Array.isArray(d.values)) {
        for (const value of d.values) if (typeof value === 'number') out.add(value);
        return out;
      }
      if (
        d.kind === 'ddsketch' &&
        d.relativeAccuracy === SKETCH_RELATIVE_ACCURACY &&
        Array.isArray(d.bins) &&
        typeof d.zeroCount === 'number' &&
        typeof d.count === 'number' &&
        typeof d.min === 'number' &&
        typeof d.max === 'number'
      ) {
        out.#values = undefined;
        const sketch = sketchFromBins(d.bins, d.zeroCount);
        if (!sketch) return undefined;
        out.#sketch = sketch;
        out.#count = d.count;
        out.#min = d.min;
        out.#max = d.max;
        return out;
      }
    } catch {
      // A damaged sketch reads as no distribution; the caller reports null percentiles.
    }
    return undefined;
  }

  #toSketch(): void {
    const sketch = new DDSketch({ relativeAccuracy: SKETCH_RELATIVE_ACCURACY });
    for (const value of this.#values!) sketch.accept(value);
    this.#sketch = sketch;
    this.#values = undefined;
  }
}

/** The non-empty positive bins of `sketch` (values are never negative here). */
function sketchBins(sketch: DDSketch): Array<[number, number]> {
  const { bins, offset } = sketch.store;
  const out: Array<[number, number]> = [];
  for (let i = 0; i < bins.length; i++) if (bins[i]! > 0) out.push([i + offset, bins[i]!]);
  return out;
}

/** Rebuilds a sketch from `sketchBins` output; undefined when a bin is malformed. */
function sketchFromBins(bins: unknown[], zeroCount: number): DDSketch | undefined {
  if (!(zeroCount >= 0)) return undefined;
  const sketch = new DDSketch({ relativeAccuracy: SKETCH_RELATIVE_ACCURACY });
  let total = zeroCount;
  for (const bin of bins) {
    if (!Array.isArray(bin) || !Number.isInteger(bin[0]) || !(typeof bin[1] === 'number' && bin[1] > 0)) return undefined;
    sketch.store.add(bin[0] as number, bin[1]);
    total += bin[1];
  }
  sketch.zeroCount = zeroCount;
  sketch.count = total;
  return sketch;
}
