import { compareModels, mannWhitney, meanInterval, quantileInterval, rateInterval } from '../../../lib/query/index.js';
import type { SpanData } from '../../../index.js';
import { weightedMannWhitney } from '../../../lib/query/intervals.js';
import { seededLogNormal } from '../../helpers/seeded-random.js';

function calls(model: string, durations: readonly number[], failEvery = 0): SpanData[] {
  return durations.map((duration, i) => ({
    id: `${model}-${i}`,
    traceId: 'f'.repeat(32),
    name: 'chat',
    kind: 'llm',
    startTime: 1000 + i,
    endTime: 1000 + i + duration,
    duration,
    status: failEvery && i % failEvery === 0 ? 'error' : 'success',
    attributes: { 'gen_ai.request.model': model, 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.output_tokens': 20, 'llmtrace.cost_usd': 0.001 },
    events: [],
    scopes: {},
    sampled: true,
  }));
}

describe('intervals and the rank test', () => {
  test('Mann-Whitney U matches the textbook normal approximation', () => {
    // U = 0 for fully separated samples of 5 and 5: z = -12.5 / sqrt(25 * 11 / 12) = -2.611, p = 0.00902.
    const test = mannWhitney([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])!;
    expect(test.u).toBe(0);
    expect(test.z).toBeCloseTo(-2.6112, 3);
    expect(test.p).toBeCloseTo(0.00902, 4);
    expect(mannWhitney([1, 2, 3], [1, 2, 3])!.p).toBeCloseTo(1, 6);
    expect(mannWhitney([], [1])).toBeNull();
    expect(mannWhitney([2, 2], [2, 2])).toBeNull();
  });

  test('Wilson interval of a rate, mean interval, order-statistic interval of a percentile', () => {
    const rate = rateInterval(8, 10);
    expect(rate.value).toBe(0.8);
    expect(rate.low).toBeCloseTo(0.4902, 3);
    expect(rate.high).toBeCloseTo(0.9433, 3);
    const m = meanInterval([1, 2, 3, 4, 5]);
    expect(m.value).toBe(3);
    expect(m.high! - m.value!).toBeCloseTo((1.959964 * Math.sqrt(2.5)) / Math.sqrt(5), 6);
    const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    const median = quantileInterval(sorted, 0.5);
    expect(median.value).toBe(50.5);
    expect(median.low!).toBeLessThan(50.5);
    expect(median.high!).toBeGreaterThan(50.5);
    expect([median.low, median.high]).toEqual([sorted[39], sorted[60]]); // X(40) and X(61)
    // The interval never excludes its own estimate: p99 of six calls is interpolated below the
    // largest, which a bound at X(6) would have put above the estimate.
    const six = Float64Array.from([100, 200, 300, 400, 500, 900]);
    const p99 = quantileInterval(six, 0.99);
    expect(p99.value).toBeCloseTo(880, 9);
    expect(p99.low!).toBeLessThanOrEqual(p99.value!);
    for (let n = 1; n <= 40; n++) {
      const sample = Float64Array.from({ length: n }, (_, i) => (i + 1) ** 2);
      for (const q of [0.5, 0.9, 0.99]) {
        const e = quantileInterval(sample, q);
        if (e.low !== null) expect(e.low).toBeLessThanOrEqual(e.value!);
        if (e.high !== null) expect(e.high).toBeGreaterThanOrEqual(e.value!);
      }
    }
    // A non-negative quantity's interval stays at or above its floor.
    const cost = meanInterval([0.000002, 0.000106], 0);
    expect(cost.value).toBeCloseTo(0.000054, 12);
    expect(cost.low).toBe(0);
    expect(meanInterval([0.000002, 0.000106]).low!).toBeLessThan(0);
  });
});

describe('compareModels', () => {
  test('a clearly faster model is called faster, significantly, with the figures behind it', () => {
    const fast = seededLogNormal(1, Math.log(300), 0.3);
    const slow = seededLogNormal(2, Math.log(900), 0.3);
    const spans = [...calls('a', Array.from({ length: 60 }, fast)), ...calls('b', Array.from({ length: 60 }, slow), 10)];
    const c = compareModels(spans, 'a', 'b');
    expect(c.a.calls).toBe(60);
    expect(c.b.successRate.value).toBeCloseTo(0.9, 9);
    expect(c.latencySignificant).toBe(true);
    expect(c.latencyTest!.p).toBeLessThan(0.001);
    expect(c.verdict).toMatch(/^a is faster: p50 \d+ ms vs \d+ ms \(\d\.\d\dx\), significant \(Mann-Whitney p=/);
    expect(c.a.costPerCallUsd.value).toBeCloseTo(0.001, 12);
  });

  test('two samples of one distribution get "no significant difference", and tiny samples "too few"', () => {
    const same = seededLogNormal(3, Math.log(500), 0.4);
    const spans = [...calls('a', Array.from({ length: 40 }, same)), ...calls('b', Array.from({ length: 40 }, same))];
    const c = compareModels(spans, 'a', 'b');
    expect(c.latencySignificant).toBe(false);
    expect(c.verdict).toMatch(/^no significant latency difference/);
    expect(compareModels(calls('a', [1, 2]).concat(calls('b', [3, 4])), 'a', 'b').verdict).toMatch(/^too few calls to tell \(2 vs 2/);
    expect(compareModels(calls('a', [1]), 'a', 'zz').verdict).toBe('cannot compare: no calls of zz in this range');
  });

  test('a head-to-head record from evaluations joins the verdict', () => {
    const spans = [...calls('a', [1, 2, 3, 4, 5, 6]), ...calls('b', [1, 2, 3, 4, 5, 6])];
    const c = compareModels(spans, 'a', 'b', { a: 'a', b: 'b', decisions: 42, aWins: 32, bWins: 8, otherWins: 1, noChoice: 1, aWinRate: 0.8 });
    expect(c.headToHead!.aWinRateInterval).toEqual(rateInterval(32, 40));
    expect(c.verdict).toMatch(/a wins 32 of 40 judged head-to-head$/);
  });

  test('a sampled store is compared on weighted estimates, not on the over-kept errors and slow calls', () => {
    // 1,000 calls of each model, 50 failing; head sampling keeps 100 of the 950 successes (weight
    // 9.5 each), keepErrors every failure (weight 1): a third of the kept spans are errors.
    const sampled = (model: string, latency: () => number): SpanData[] => {
      const spans = calls(model, Array.from({ length: 1000 }, latency), 20);
      return spans.filter((s, i) => s.status === 'error' || i % 10 === 1).map((s) => {
        if (s.status !== 'error') s.attributes['llmtrace.sample_weight'] = 9.5;
        return s;
      });
    };
    const spans = [...sampled('a', seededLogNormal(4, Math.log(300), 0.3)), ...sampled('b', seededLogNormal(5, Math.log(600), 0.3))];
    const c = compareModels(spans, 'a', 'b');
    expect(c.a.sampledSpans).toBe(150);
    expect(c.a.calls).toBe(1000);
    expect(c.a.successRate.value).toBeCloseTo(0.95, 9);
    expect(c.a.successRate.low!).toBeLessThan(0.95);
    expect(c.a.successRate.high!).toBeGreaterThan(0.95);
    expect(c.b.p50Ms.value!).toBeGreaterThan(c.a.p50Ms.value! * 1.5);
    expect(c.verdict).toMatch(/^a is faster: .*n=150\/150 sampled spans\)/);
    // The same spans unweighted (the attribute dropped): a third of the calls look failed.
    for (const s of spans) delete s.attributes['llmtrace.sample_weight'];
    expect(compareModels(spans, 'a', 'b').a.successRate.value).toBeCloseTo(100 / 150, 9);
  });

  test('the weighted rank test is the plain one when every weight is 1, and counts a weight as that many calls', () => {
    const next = seededLogNormal(6, Math.log(100), 0.5);
    const a = Array.from({ length: 30 }, next);
    const b = Array.from({ length: 25 }, () => next() * 1.3);
    const ones = (n: number) => Array.from({ length: n }, () => 1);
    const plain = mannWhitney(a, b)!;
    const weighted = weightedMannWhitney(a, ones(a.length), b, ones(b.length))!;
    expect(weighted.p).toBeCloseTo(plain.p, 9);
    expect(weighted.probabilityFirstGreater).toBeCloseTo(plain.probabilityFirstGreater, 12);
    // [1, 5] with 5 weighted 3 against [2, 3]: of the 8 weighted pairs, 6 have a above b.
    expect(weightedMannWhitney([1, 5], [1, 3], [2, 3], [1, 1])!.probabilityFirstGreater).toBeCloseTo(6 / 8, 12);
    expect(weightedMannWhitney([], [], [1], [1])).toBeNull();
  });
});
