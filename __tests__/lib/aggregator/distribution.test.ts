import { Distribution, EXACT_PERCENTILE_LIMIT, SKETCH_RELATIVE_ACCURACY } from '../../../lib/extend/index.js';
import { exactPercentile, rankPercentile, seededLogNormal, seededUniform } from '../../helpers/seeded-random.js';

describe('Distribution', () => {
  it('gives exact percentiles for a small window', () => {
    const next = seededUniform(7);
    const values = Array.from({ length: 200 }, () => Math.round(next() * 5000) / 10);
    const d = new Distribution();
    for (const v of values) d.add(v);
    expect(d.exact).toBe(true);
    for (const q of [0.5, 0.9, 0.99]) expect(d.quantile(q)).toBe(exactPercentile(values, q));
    expect(d.min).toBe(Math.min(...values));
    expect(d.max).toBe(Math.max(...values));
  });

  it('keeps a 100k-sample skewed window within the documented relative error', () => {
    const next = seededLogNormal(42, Math.log(800), 0.9);
    const values = Array.from({ length: 100_000 }, next);
    const d = new Distribution();
    for (const v of values) d.add(v);
    expect(d.exact).toBe(false);
    expect(d.count).toBe(100_000);
    for (const q of [0.5, 0.9, 0.99]) {
      const exact = rankPercentile(values, q);
      const relativeError = Math.abs(d.quantile(q)! - exact) / exact;
      expect(relativeError).toBeLessThanOrEqual(SKETCH_RELATIVE_ACCURACY);
    }
  });

  it('switches to the sketch only beyond the exact limit', () => {
    const d = new Distribution();
    for (let i = 0; i < EXACT_PERCENTILE_LIMIT; i++) d.add(i + 1);
    expect(d.exact).toBe(true);
    d.add(1);
    expect(d.exact).toBe(false);
  });

  it('round-trips a sketched distribution through plain JSON with the same percentiles', () => {
    const next = seededLogNormal(11, Math.log(500), 1);
    const d = new Distribution();
    for (let i = 0; i < 5_000; i++) d.add(next());
    d.add(0);
    const stored = JSON.parse(JSON.stringify(d.toJSON()));
    expect(stored.kind).toBe('ddsketch');
    const back = Distribution.fromJSON(stored)!;
    expect(back.count).toBe(d.count);
    for (const q of [0, 0.01, 0.5, 0.9, 0.99, 1]) expect(back.quantile(q)).toBe(d.quantile(q));
    const merged = Distribution.fromJSON(stored)!;
    merged.merge(back);
    expect(merged.count).toBe(2 * d.count);
    expect(merged.quantile(0.5)).toBe(d.quantile(0.5));
  });

  it('merges distributions as if all values were added to one', () => {
    const next = seededLogNormal(3, Math.log(300), 1.2);
    const parts = [50, 5_000, 20_000].map((n) => Array.from({ length: n }, next));
    const merged = new Distribution();
    for (const values of parts) {
      const d = new Distribution();
      for (const v of values) d.add(v);
      merged.merge(Distribution.fromJSON(JSON.parse(JSON.stringify(d)))!);
    }
    const all = parts.flat();
    expect(merged.count).toBe(all.length);
    for (const q of [0.5, 0.9, 0.99]) {
      const exact = rankPercentile(all, q);
      expect(Math.abs(merged.quantile(q)! - exact) / exact).toBeLessThanOrEqual(SKETCH_RELATIVE_ACCURACY);
    }
  });

  it('stays exact when merging small windows', () => {
    const a = new Distribution();
    const b = new Distribution();
    [5, 1, 9].forEach((v) => a.add(v));
    [3, 7].forEach((v) => b.add(v));
    a.merge(b);
    expect(a.exact).toBe(true);
    expect(a.quantile(0.5)).toBe(5);
    expect(a.quantile(1)).toBe(9);
  });

  it('reads back null for shapes it does not know', () => {
    expect(Distribution.fromJSON({ kind: 'ddsketch', relativeAccuracy: 0.05, count: 1, min: 1, max: 1, zeroCount: 0, bins: [] })).toBeUndefined();
    expect(Distribution.fromJSON('nope')).toBeUndefined();
    // The released format's protobuf sketch is not decoded (that needed the undeclared protobufjs): unknown, no throw.
    expect(Distribution.fromJSON({ kind: 'ddsketch', relativeAccuracy: 0.01, count: 1, min: 1, max: 1, sketch: 'CgkJAAAAAAAA' })).toBeUndefined();
    expect(new Distribution().quantile(0.5)).toBeNull();
  });
});
