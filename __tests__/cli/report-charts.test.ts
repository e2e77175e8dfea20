/**
 * The report's per-model charts show model calls only: a tool or chain call (no model) is a call of
 * the time charts, not an `unknown` model, and a wrapper of a model call is not a second call of it.
 */
import { latencyByModel, modelUsage } from '../../cli/report/charts.js';
import type { CallPoint } from '../../cli/report/collect.js';

const point = (model: string, modelCall: boolean, i: number): CallPoint => ({ input: 'store', model, modelCall, time: 1_800_000_000_000 + i * 1_000, durationMs: 100 + i, failed: false });
const calls = [point('gpt-4o-mini', true, 0), point('gpt-4o-mini', true, 1), point('unknown', false, 2), point('claude-haiku-4-5', true, 3)];

describe('report charts', () => {
  it('per model: the model calls only, no unknown model for the tool calls', async () => {
    for (const chart of [await modelUsage(calls), await latencyByModel(calls)]) {
      expect(chart.svg).toContain('gpt-4o-mini');
      expect(chart.svg).toContain('claude-haiku-4-5');
      expect(chart.svg).not.toContain('unknown');
    }
  });
});
