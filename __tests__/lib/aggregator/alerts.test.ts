import { ALERT_LOG_MESSAGE, ALERT_RESOLVED_LOG_MESSAGE, createLogger, GenAI, LLMTrace, type AlertEvent, type AlertRule } from '../../../index.js';
import { Aggregator } from '../../../lib/extend/index.js';

function setup(alerts: AlertRule[]) {
  const logger = createLogger({ format: 'hidden' });
  const aggregator = new Aggregator({ logger, alerts, logSummaries: false });
  const events: AlertEvent[] = [];
  aggregator.onAlert((e) => events.push(e));
  const window = (fn: string, calls: { ms: number; failed?: boolean; cost?: number }[], model = 'm') => {
    for (const c of calls) {
      aggregator.record({
        name: fn,
        kind: 'llm',
        status: c.failed ? 'error' : 'success',
        duration: c.ms,
        attributes: { [LLMTrace.FUNCTION]: fn, [GenAI.REQUEST_MODEL]: model, [LLMTrace.COST_USD]: c.cost ?? 0 },
        error: c.failed ? { type: 'Boom', message: '' } : undefined,
      });
    }
    aggregator.flush();
  };
  return { logger, events, window };
}

const ok = (n: number, ms = 100) => Array.from({ length: n }, () => ({ ms }));
const failing = (n: number) => Array.from({ length: n }, () => ({ ms: 100, failed: true }));

describe('alerts', () => {
  it('watches a model by its calls, not by the wrapper of them (a decorated method around an SDK call)', () => {
    const logger = createLogger({ format: 'hidden' });
    const aggregator = new Aggregator({ logger, alerts: [{ name: 'mini', metric: 'errorRate', above: 0.2, model: 'm' }], logSummaries: false });
    const events: AlertEvent[] = [];
    aggregator.onAlert((e) => events.push(e));
    for (const fn of ['sdk.create', 'ask']) {
      aggregator.record({
        name: fn, kind: 'llm', status: 'error', duration: 10, error: { type: 'Boom', message: '' },
        attributes: { [LLMTrace.FUNCTION]: fn, [GenAI.REQUEST_MODEL]: 'm', ...(fn === 'ask' ? { [LLMTrace.MODEL_CALL_IN_CHILDREN]: true } : {}) },
      });
    }
    aggregator.flush();
    expect(events.map((e) => [e.function, e.state])).toEqual([['sdk.create', 'firing']]);
  });

  it('fires once when a rule starts firing, stays quiet while it keeps firing, and reports recovery once', () => {
    const { events, logger, window } = setup([{ name: 'errors', metric: 'errorRate', above: 0.2 }]);
    window('f', [...ok(5), ...failing(5)]);
    window('f', [...ok(5), ...failing(5)]);
    window('f', [...ok(2), ...failing(8)]);
    window('f', ok(10));
    window('f', ok(10));
    expect(events.map((e) => [e.state, e.windowsFiring])).toEqual([
      ['firing', 1],
      ['resolved', 0],
    ]);
    expect(events[0]).toMatchObject({ rule: 'errors', metric: 'errorRate', value: 0.5, threshold: 0.2, function: 'f', model: 'm' });
    expect(logger.buffer.query({ minLevel: 'warn' }).filter((l) => l.message === ALERT_LOG_MESSAGE)).toHaveLength(1);
    expect(logger.buffer.query().filter((l) => l.message === ALERT_RESOLVED_LOG_MESSAGE)).toHaveLength(1);
  });

  it('reminds every N windows while firing when asked', () => {
    const { events, window } = setup([{ metric: 'p90Ms', above: 500, repeatEveryWindows: 2 }]);
    for (let i = 0; i < 5; i++) window('f', ok(10, 1_000));
    expect(events.map((e) => e.windowsFiring)).toEqual([1, 3, 5]);
    expect(events[0]!.rule).toBe('p90Ms > 500');
  });

  it('evaluates each group separately and honours function/model filters', () => {
    const { events, window } = setup([
      { metric: 'costUsd', above: 1 },
      { metric: 'p90Ms', above: 50, function: 'slow', model: 'm' },
    ]);
    window('cheap', [{ ms: 100, cost: 0.1 }]);
    window('pricey', [{ ms: 100, cost: 0.8 }, { ms: 100, cost: 0.8 }]);
    window('slow', ok(3, 100), 'other-model');
    expect(events.map((e) => [e.function, e.metric])).toEqual([['pricey', 'costUsd']]);
    expect(events[0]!.value).toBeCloseTo(1.6, 9);
  });

  it('does not evaluate windows with fewer calls than minCalls', () => {
    const { events, window } = setup([{ metric: 'errorRate', above: 0.1, minCalls: 5 }]);
    window('f', failing(1));
    expect(events).toEqual([]);
    window('f', failing(5));
    expect(events).toHaveLength(1);
  });

  it('rejects bad rules with precise TypeErrors', () => {
    expect(() => new Aggregator({ alerts: [{ metric: 'p95Ms' as never, above: 1 }] })).toThrow(
      /^llmtrace: Aggregator: alerts\[0\]\.metric must be one of 'errorRate', .*got "p95Ms" \(string\)$/,
    );
    expect(() => new Aggregator({ alerts: [{ metric: 'p90Ms', above: Number.NaN }] })).toThrow(
      'llmtrace: Aggregator: alerts[0].above must be a finite number, got NaN (number)',
    );
    expect(() => new Aggregator({ alerts: [{ metric: 'p90Ms', above: 1, repeatEveryWindows: -1 }] })).toThrow(
      'llmtrace: Aggregator: alerts[0].repeatEveryWindows must be a non-negative integer, got -1 (number)',
    );
  });
});
