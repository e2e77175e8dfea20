/**
 * generateDashboardData: the overview's numbers from spans equal the query layer's (groupStats,
 * exact percentiles), the same numbers come out of the aggregator's window summaries (what a long
 * range is computed from), and bad input is refused at once.
 */
import { describe, expect, it } from '@jest/globals';
import { Aggregator } from '../../lib/aggregator/aggregator.js';
import { generateDashboardData, groupStats, LATENCY_BUCKET_BOUNDS_MS, quantileSorted } from '../../lib/query/index.js';
import { seededSpans } from '../helpers/dashboard-seed.js';

const NOW = 1_800_000_000_000;
const spans = seededSpans({ traces: 120, now: NOW, seed: 11 });
const data = spans.map((s) => s.toJSON());
const from = NOW - 3_600_000;
const to = NOW + 1;

describe('generateDashboardData from spans', () => {
  const out = generateDashboardData({ spans: data, from, to, buckets: 12 });
  // Model calls: the tool spans of the seed are counted per function, not on the overview.
  const calls = data.filter((s) => s.kind === 'llm');

  it('counts what groupStats counts, with exact percentiles', () => {
    expect(out.basis).toBe('spans');
    expect(out.models).toEqual(groupStats(data, 'model'));
    expect(data.some((s) => s.kind === 'tool')).toBe(true); // left out of the requests
    expect(out.summary.requests).toBe(calls.length);
    expect(out.summary.errors).toBe(calls.filter((s) => s.status === 'error').length);
    const sorted = Float64Array.from(calls.map((s) => s.duration)).sort();
    expect(out.summary.p50Ms).toBe(quantileSorted(sorted, 0.5));
    expect(out.summary.p99Ms).toBe(quantileSorted(sorted, 0.99));
    expect(out.summary.requestsPerMinute).toBeCloseTo(calls.length / ((to - from) / 60_000), 9);
  });

  it('puts every call in one histogram bucket and one time bucket', () => {
    expect(out.latencyHistogram).toHaveLength(LATENCY_BUCKET_BOUNDS_MS.length + 1);
    for (const bucket of out.latencyHistogram) {
      const inside = calls.filter((s) => s.duration >= bucket.lowerMs && (bucket.upperMs === null || s.duration < bucket.upperMs));
      expect(bucket.count).toBe(inside.length);
    }
    expect(out.timeline).toHaveLength(12);
    const width = out.timeline[1]!.start - out.timeline[0]!.start;
    for (const bucket of out.timeline) {
      const inside = calls.filter((s) => s.endTime >= bucket.start && s.endTime < bucket.start + width);
      expect(bucket.requests).toBe(inside.length);
      expect(bucket.errors).toBe(inside.filter((s) => s.status === 'error').length);
    }
    expect(out.timeline.reduce((s, b) => s + b.requests, 0)).toBe(calls.length);
  });
});

describe('generateDashboardData with unpriced calls', () => {
  // Every fifth call of a model without a price: its cost is null, its bucket's cost a lower bound.
  const mixed = spans.map((s, i) => {
    const json = s.toJSON();
    return i % 5 === 0 && json.kind === 'llm' ? { ...json, attributes: { ...json.attributes, 'llmtrace.cost_usd': null } } : json;
  });
  const isUnpriced = (s: (typeof mixed)[number]) => s.kind === 'llm' && s.attributes['llmtrace.cost_usd'] === null;

  it('counts the unpriced calls of each time bucket, from spans and from window summaries', () => {
    const out = generateDashboardData({ spans: mixed, from, to, buckets: 12 });
    const width = out.timeline[1]!.start - out.timeline[0]!.start;
    expect(out.summary.unpricedCalls).toBeGreaterThan(0);
    for (const bucket of out.timeline) {
      const inside = mixed.filter((s) => isUnpriced(s) && s.endTime >= bucket.start && s.endTime < bucket.start + width);
      expect(bucket.unpricedCalls).toBe(inside.length);
    }
    expect(out.timeline.reduce((n, b) => n + b.unpricedCalls, 0)).toBe(out.summary.unpricedCalls);
    const aggregator = new Aggregator({ intervalMs: 60_000, logSummaries: false });
    for (const span of mixed) aggregator.record(span);
    const summaries = aggregator.flush().map((w) => ({ ...w, windowStart: NOW - 60_000 }));
    const bySummaries = generateDashboardData({ summaries, from, to, buckets: 12 });
    expect(bySummaries.timeline.reduce((n, b) => n + b.unpricedCalls, 0)).toBe(out.summary.unpricedCalls);
  });
});

describe('generateDashboardData from window summaries', () => {
  it('gives the span figures from the aggregator windows without the spans', () => {
    const aggregator = new Aggregator({ intervalMs: 60_000, logSummaries: false });
    for (const span of spans) aggregator.record(span);
    const summaries = aggregator.flush().map((s) => ({ ...s, windowStart: NOW - 60_000 }));
    const bySummaries = generateDashboardData({ summaries, from, to });
    const bySpans = generateDashboardData({ spans: data, from, to });
    expect(bySummaries.basis).toBe('summaries');
    expect(bySummaries.summary.requests).toBe(bySpans.summary.requests);
    expect(bySummaries.summary.errors).toBe(bySpans.summary.errors);
    expect(bySummaries.summary.costUsd).toBeCloseTo(bySpans.summary.costUsd, 12);
    expect(bySummaries.summary.inputTokens).toBe(bySpans.summary.inputTokens);
    for (const q of ['p50Ms', 'p90Ms', 'p99Ms'] as const) {
      expect(Math.abs(bySummaries.summary[q]! - bySpans.summary[q]!) / bySpans.summary[q]!).toBeLessThan(0.01);
    }
    expect(bySummaries.latencyHistogram.reduce((s, b) => s + b.count, 0)).toBe(bySpans.summary.requests);
    expect(bySummaries.models.map((r) => [r.key, r.calls])).toEqual(bySpans.models.map((r) => [r.key, r.calls]));
  });

  it('ignores windows outside the range and reports an empty range as zeros', () => {
    const empty = generateDashboardData({ summaries: [], from, to });
    expect(empty.summary.requests).toBe(0);
    expect(empty.summary.p50Ms).toBeNull();
    expect(empty.summary.errorRate).toBe(0);
  });
});

describe('generateDashboardData input', () => {
  it('refuses a bad range or bucket count with the value', () => {
    expect(() => generateDashboardData({ spans: [], from: 10, to: 5 })).toThrow('llmtrace: generateDashboardData from and to must be epoch ms with from < to, got 10 and 5');
    expect(() => generateDashboardData({ spans: [], from: 0, to: 5, buckets: 0 })).toThrow('buckets must be a positive integer, got 0 (number)');
  });
});
