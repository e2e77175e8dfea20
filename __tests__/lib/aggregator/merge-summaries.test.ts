import { createLogger, GenAI, LLMTrace, type WindowSummary } from '../../../index.js';
import { Aggregator, mergeSummaries, mergeSummariesByGroup } from '../../../lib/extend/index.js';
import { exactPercentile, seededLogNormal } from '../../helpers/seeded-random.js';

function windowOf(fn: string, model: string, durations: readonly number[], ttft?: readonly number[]): WindowSummary {
  const aggregator = new Aggregator({ logger: createLogger({ format: 'hidden' }) });
  durations.forEach((duration, i) => {
    const attributes = { [LLMTrace.FUNCTION]: fn, [GenAI.REQUEST_MODEL]: model, [GenAI.USAGE_INPUT_TOKENS]: 10, [LLMTrace.COST_USD]: 0.5 };
    if (ttft?.[i] !== undefined) Object.assign(attributes, { [LLMTrace.TIME_TO_FIRST_TOKEN_MS]: ttft[i] });
    const failed = i % 10 === 0;
    aggregator.record({
      name: fn,
      kind: 'llm',
      status: failed ? 'error' : 'success',
      duration,
      attributes,
      error: failed ? { type: 'Boom', message: '' } : undefined,
    });
  });
  const [summary] = aggregator.flush();
  return summary!;
}

describe('mergeSummaries', () => {
  it('merges small windows with exact percentiles and summed counts', () => {
    const a = [10, 20, 30, 40, 50];
    const b = [5, 15, 25, 35, 45, 55, 65];
    const merged = mergeSummaries([windowOf('f', 'm', a), windowOf('f', 'm', b)]);
    const all = [...a, ...b];
    expect(merged).toMatchObject({ function: 'f', model: 'm', callCount: 12, failureCount: 2, inputTokens: 120, minMs: 5, maxMs: 65 });
    expect(merged.costUsd).toBeCloseTo(6, 9);
    expect(merged.p50Ms).toBe(exactPercentile(all, 0.5));
    expect(merged.p90Ms).toBe(exactPercentile(all, 0.9));
    expect(merged.avgMs).toBeCloseTo(all.reduce((x, y) => x + y, 0) / all.length, 9);
    expect(merged.errorTypes).toEqual({ Boom: 2 });
    expect(merged.successRate).toBeCloseTo(10 / 12, 12);
  });

  it('merges large windows (sketches) within 1% of the exact percentiles over all calls', () => {
    const next = seededLogNormal(5, Math.log(900), 1);
    const windows = [2_000, 30_000, 700].map((n) => Array.from({ length: n }, next));
    const stored = windows.map((w) => JSON.parse(JSON.stringify(windowOf('f', 'm', w))) as WindowSummary);
    const merged = mergeSummaries(stored);
    const all = windows.flat();
    expect(merged.callCount).toBe(all.length);
    for (const [q, field] of [[0.5, 'p50Ms'], [0.9, 'p90Ms'], [0.99, 'p99Ms']] as const) {
      const exact = exactPercentile(all, q);
      expect(Math.abs(merged[field]! - exact) / exact).toBeLessThanOrEqual(0.01);
    }
  });

  it('merges time to first token of the windows that streamed', () => {
    const merged = mergeSummaries([windowOf('f', 'm', [100, 200], [10, 20]), windowOf('f', 'm', [300]), windowOf('f', 'm', [400], [30])]);
    expect(merged.ttftP50Ms).toBe(20);
    expect(merged.ttftP90Ms).toBe(exactPercentile([10, 20, 30], 0.9));
  });

  it('marks mixed groups with * and spans every window', () => {
    const a = { ...windowOf('f', 'm1', [1]), windowStart: 1_000, windowEnd: 2_000 };
    const b = { ...windowOf('g', 'm1', [2]), windowStart: 2_000, windowEnd: 3_000 };
    expect(mergeSummaries([a, b])).toMatchObject({ function: '*', model: 'm1', windowStart: 1_000, windowEnd: 3_000 });
  });

  it('reports null percentiles rather than guessing when a summary has no distribution', () => {
    const { latencyDistribution: _dropped, ...bare } = windowOf('f', 'm', [1, 2, 3]);
    const merged = mergeSummaries([bare, windowOf('f', 'm', [4])]);
    expect(merged.callCount).toBe(4);
    expect(merged.p90Ms).toBeNull();
    expect(merged.maxMs).toBe(4);
  });

  it('merges per group', () => {
    const rows = mergeSummariesByGroup([windowOf('b', 'm', [1]), windowOf('a', 'm', [1]), windowOf('b', 'm', [3]), windowOf('a', 'n', [1])]);
    expect(rows.map((r) => [r.function, r.model, r.callCount])).toEqual([
      ['a', 'm', 1],
      ['a', 'n', 1],
      ['b', 'm', 2],
    ]);
  });

  it('refuses an empty list', () => {
    expect(() => mergeSummaries([])).toThrow(TypeError);
  });
});
