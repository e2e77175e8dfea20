/** The logger: JSON lines carry trace correlation, the minimum level holds, the buffer is bounded and queryable. */
import { jest } from '@jest/globals';
import { createLogger, traced, withSpan } from '../../index.js';
import { LogBuffer, type LogEntry } from '../../lib/extend/index.js';
import { freshStore } from '../helpers/fresh-store.js';

/** Captures what the logger writes to stdout while `fn` runs (tslog batches writes; flush drains them). */
async function captureStdout(fn: () => Promise<void>): Promise<string[]> {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
    chunks.push(String(chunk));
    const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof process.stdout.write);
  try {
    await fn();
  } finally {
    spy.mockRestore();
  }
  return chunks.join('').split('\n').filter((line) => line.trim() !== '');
}

describe('createLogger (json)', () => {
  it('writes JSON lines that carry trace_id, span_id, trace_flags and scope ids inside spans, and none outside', async () => {
    freshStore();
    const { log } = createLogger({ format: 'json', minLevel: 'info' });
    let ids: { traceId: string; spanId: string; runId: string } | undefined;
    const lines = await captureStdout(async () => {
      log.info('before');
      await withSpan('run', { kind: 'run' }, async (run) => {
        await traced(async () => {
          log.info('inside call', { step: 1 });
        }, { name: 'call' })();
        ids = { traceId: run.traceId, spanId: run.id, runId: run.id };
        log.warn('in run');
      });
      await log.flush();
    });
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed.map((p) => p.message)).toEqual(['before', 'inside call', 'in run']);
    const [before, inside, inRun] = parsed;
    expect(before!.trace_id).toBeUndefined();
    expect(before).not.toHaveProperty('_logMeta');
    expect(inside).toMatchObject({ trace_id: ids!.traceId, run_id: ids!.runId, trace_flags: '01', step: 1, level: 'info' });
    expect(Date.parse(inside!.time as string)).toBeGreaterThan(0);
    expect(inside!.span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(inside!.span_id).not.toBe(ids!.spanId);
    expect(inRun).toMatchObject({ trace_id: ids!.traceId, span_id: ids!.spanId, run_id: ids!.runId });
  });
});

describe('createLogger (hidden) and its buffer', () => {
  it('respects the minimum level', () => {
    const { log, buffer } = createLogger({ format: 'hidden', minLevel: 'warn' });
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    expect(buffer.query().map((e) => [e.level, e.message])).toEqual([
      ['warn', 'w'],
      ['error', 'e'],
    ]);
  });

  it('buffers lines written in scopes with their run and iteration ids, queryable by trace id', async () => {
    freshStore();
    const { log, buffer } = createLogger({ format: 'hidden', minLevel: 'debug' });
    const traces: string[] = [];
    for (let r = 0; r < 2; r++) {
      await withSpan('run', { kind: 'run' }, async (run) => {
        traces.push(run.traceId);
        await withSpan('iteration_0', { kind: 'iteration' }, async (iteration) => {
          log.info('step', { r });
          log.error(new Error('lone error'));
          log.warn('several', 'args', { n: 3 });
          expect(iteration.scopes.run).toBe(run.id);
        });
      });
    }
    log.info('outside');
    const first = buffer.query({ traceId: traces[0] });
    expect(first.map((e) => e.message)).toEqual(['step', 'lone error', 'several']);
    for (const entry of first) {
      expect(entry.traceId).toBe(traces[0]);
      expect(entry.fields.run_id).toMatch(/^[0-9a-f]{16}$/);
      expect(entry.fields.iteration_id).toBe(entry.spanId);
    }
    expect(first[0]!.fields.r).toBe(0);
    expect(buffer.query({ traceId: traces[1] })).toHaveLength(3);
    expect(buffer.query({ minLevel: 'error' }).map((e) => e.message)).toEqual(['lone error', 'lone error']);
    expect(buffer.query({ minLevel: 'warn', traceId: traces[1] }).map((e) => e.level)).toEqual(['error', 'warn']);
    expect(buffer.query({ limit: 1 }).map((e) => e.message)).toEqual(['outside']);
  });

  it('rejects invalid options with a TypeError naming them', () => {
    expect(() => createLogger({ minLevel: 'loud' as never })).toThrow(/^llmtrace: createLogger: minLevel must be one of/);
    expect(() => createLogger({ format: 'xml' as never })).toThrow(/^llmtrace: createLogger: format must be/);
    expect(() => createLogger({ bufferSize: 0 })).toThrow(/must be a positive integer, got 0 \(number\)/);
  });
});

describe('LogBuffer', () => {
  const entry = (i: number, level: LogEntry['level'] = 'info'): LogEntry => ({
    time: i,
    level,
    message: `m${i}`,
    traceId: i % 2 ? 'odd' : 'even',
    fields: {},
  });

  it('stays bounded, keeps the newest lines and counts what it dropped', () => {
    const buffer = new LogBuffer(10);
    for (let i = 0; i < 25; i++) buffer.push(entry(i));
    expect(buffer.size).toBeLessThanOrEqual(10);
    expect(buffer.dropped).toBe(25 - buffer.size);
    const messages = buffer.query().map((e) => e.message);
    expect(messages[messages.length - 1]).toBe('m24');
    expect(messages).toEqual(Array.from({ length: buffer.size }, (_, k) => `m${25 - buffer.size + k}`));
  });

  it('queries by level, trace id and limit, oldest first; clear empties it', () => {
    const buffer = new LogBuffer(100);
    buffer.push(entry(1, 'debug'));
    buffer.push(entry(2, 'warn'));
    buffer.push(entry(3, 'error'));
    buffer.push(entry(4, 'info'));
    expect(buffer.query({ minLevel: 'warn' }).map((e) => e.message)).toEqual(['m2', 'm3']);
    expect(buffer.query({ traceId: 'odd' }).map((e) => e.message)).toEqual(['m1', 'm3']);
    expect(buffer.query({ limit: 2 }).map((e) => e.message)).toEqual(['m3', 'm4']);
    buffer.clear();
    expect(buffer.size).toBe(0);
  });
});
