/** The LLM_AGGREGATED_METRICS line people read: rounded figures, ISO windows, no internals, one line in pretty mode. */
import { jest } from '@jest/globals';
import { createLogger, GenAI, LLMTrace, SUMMARY_LOG_MESSAGE, type Attributes } from '../../../index.js';
import { Aggregator } from '../../../lib/extend/index.js';

function call(duration: number, attrs: Attributes = {}, error?: string) {
  return {
    name: 'openai.chat',
    kind: 'llm' as const,
    status: error ? ('error' as const) : ('success' as const),
    duration,
    attributes: { [LLMTrace.FUNCTION]: 'openai.chat', [GenAI.REQUEST_MODEL]: 'gpt-4o-mini', ...attrs },
    error: error ? { type: error, message: 'slow down' } : undefined,
  };
}

/** Collects what is written to stdout (directly or through console, as tslog's pretty output does) while `fn` runs. */
async function captureStdout(fn: () => Promise<void>): Promise<string[]> {
  const chunks: string[] = [];
  const spies = [
    jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: string | Uint8Array) => {
      chunks.push(String(chunk));
      return true;
    }) as typeof process.stdout.write),
    ...(['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
      jest.spyOn(console, m).mockImplementation((...args: unknown[]) => {
        chunks.push(args.map(String).join(' ') + '\n');
      }),
    ),
  ];
  try {
    await fn();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return chunks.join('').split('\n').filter((line) => line.trim() !== '');
}

function feed(aggregator: Aggregator): void {
  // Three priced calls whose float sum is 0.005399999999999999, one rate-limited call.
  for (const ms of [274.13849, 190.25, 658.77777]) aggregator.record(call(ms, { [LLMTrace.COST_USD]: 0.0018 }));
  aggregator.record(call(1_000.04444, { [LLMTrace.COST_USD]: 0 }, 'RateLimitError'));
}

describe('LLM_AGGREGATED_METRICS in JSON', () => {
  it('rounds ms to 0.1, dollars to 6 significant digits and rates to 4 decimals, with ISO window times and no internals', async () => {
    const logger = createLogger({ format: 'json' });
    const aggregator = new Aggregator({ logger, intervalMs: 3_600_000 });
    feed(aggregator);
    const lines = await captureStdout(async () => {
      aggregator.flush();
      await logger.log.flush();
    });
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line.message).toBe(SUMMARY_LOG_MESSAGE);
    expect(line).not.toHaveProperty('_logMeta');
    expect(line).not.toHaveProperty('latencyDistribution');
    expect(line.costUsd).toBe(0.0054);
    expect(line.successRate).toBe(0.75);
    expect(line.avgMs).toBe(530.8);
    expect(line.maxMs).toBe(1000);
    expect(line.minMs).toBe(190.3);
    expect(new Date(line.windowStart as string).toISOString()).toBe(line.windowStart);
    expect(new Date(line.windowEnd as string).toISOString()).toBe(line.windowEnd);
    expect(line.errorTypes).toEqual({ RateLimitError: 1 });
    for (const value of Object.values(line)) {
      if (typeof value === 'number') expect(String(value).length).toBeLessThanOrEqual(8);
    }
    expect(lines[0]!.length).toBeLessThan(520);
  });

  it('says modelCalls: false on the line of a group that is not of model calls (a wrapper, a tool), and nothing on the others', async () => {
    const logger = createLogger({ format: 'json' });
    const aggregator = new Aggregator({ logger, intervalMs: 3_600_000 });
    aggregator.record(call(100));
    aggregator.record({ ...call(120, { [LLMTrace.FUNCTION]: 'ask', [LLMTrace.MODEL_CALL_IN_CHILDREN]: true }), name: 'ask' });
    const lines = await captureStdout(async () => {
      aggregator.flush();
      await logger.log.flush();
    });
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.map((l) => [l.function, l.modelCalls]).sort()).toEqual([['ask', false], ['openai.chat', undefined]]);
  });

  it('keeps the unrounded figures in the summaries handed to listeners (the file store)', () => {
    const aggregator = new Aggregator({ logger: createLogger({ format: 'hidden' }), intervalMs: 3_600_000 });
    feed(aggregator);
    const [summary] = aggregator.flush();
    expect(summary!.costUsd).toBeCloseTo(0.0054, 12);
    expect(summary!.windowStart).toEqual(expect.any(Number));
  });
});

describe('LLM_AGGREGATED_METRICS in pretty mode', () => {
  it('is one line per group with model, function, calls, success rate, p50, p90 and cost, naming no source file', async () => {
    const logger = createLogger({ format: 'pretty' });
    const aggregator = new Aggregator({ logger, intervalMs: 3_600_000 });
    for (let i = 0; i < 119; i++) aggregator.record(call(274, { [LLMTrace.COST_USD]: 0.0001 }));
    aggregator.record(call(658, { [LLMTrace.COST_USD]: 0.0004 }, 'RateLimitError'));
    const lines = await captureStdout(async () => {
      aggregator.flush();
      await logger.log.flush();
    });
    const text = lines.join('\n');
    const summaryLines = lines.filter((l) => l.includes('gpt-4o-mini'));
    expect(summaryLines).toHaveLength(1);
    expect(summaryLines[0]).toMatch(/gpt-4o-mini {2}openai\.chat {2}120 calls {2}99\.2% ok {2}p50 274 ms {2}p90 274 ms {2}\$0\.0123 {2}errors RateLimitError 1/);
    expect(text).not.toMatch(/aggregator|summary-log|\.ts:\d+|\.js:\d+/);
  });
});

describe('LLM_ALERT lines', () => {
  it('carry ISO window times and a rounded value, and are one line in pretty mode', async () => {
    const json = createLogger({ format: 'hidden' });
    const a = new Aggregator({ logger: json, intervalMs: 3_600_000, alerts: [{ name: 'errors', metric: 'errorRate', above: 0.2 }] });
    for (let i = 0; i < 2; i++) a.record(call(100));
    a.record(call(100, {}, 'RateLimitError'));
    a.flush();
    const [alert] = json.buffer.query({ minLevel: 'warn' });
    expect(alert!.message).toBe('LLM_ALERT');
    expect(alert!.fields.value).toBe(0.3333);
    expect(new Date(alert!.fields.windowStart as string).toISOString()).toBe(alert!.fields.windowStart);

    const logger = createLogger({ format: 'pretty' });
    const b = new Aggregator({ logger, intervalMs: 3_600_000, logSummaries: false, alerts: [{ name: 'errors', metric: 'errorRate', above: 0.2 }] });
    b.record(call(100, {}, 'RateLimitError'));
    const lines = await captureStdout(async () => {
      b.flush();
      await logger.log.flush();
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/ALERT errors {2}gpt-4o-mini {2}openai\.chat {2}errorRate 100\.0% > 20\.0% {2}\(1 window\)/);
  });
});

describe('pretty lines of other messages', () => {
  it('stay on one line with their fields', async () => {
    const logger = createLogger({ format: 'pretty' });
    const lines = await captureStdout(async () => {
      logger.log.info('step done', { step: 1, detail: { nested: { deep: true }, list: [1, 2, 3] }, text: 'x'.repeat(200) });
      await logger.log.flush();
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/INFO\s+\[llmtrace\]\s+step done \{ step: 1, detail: \{ nested: \{ deep: true \}/);
  });
});
