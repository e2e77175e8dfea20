/** llmtrace writing into the application's own logger: a real pino instance, a real winston logger, console-like objects. */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import winston from 'winston';
import { attachCallLog, configure, createLogger, getLogger, traced, withSpan } from '../../index.js';
import { freshStore } from '../helpers/fresh-store.js';

/** A stream that keeps every line written to it. */
function lineSink(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { stream, lines };
}

const completion = { model: 'gpt-4o-mini', choices: [], usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 } };

describe('a pino logger as output', () => {
  it('receives (fields, message) so message lands in msg and fields at the top level, with trace_id/span_id', async () => {
    freshStore();
    const { stream, lines } = lineSink();
    const app = pino({ level: 'debug' }, stream);
    const logger = createLogger({ output: app, minLevel: 'debug' });
    let traceId = '';
    await withSpan('run', { kind: 'run' }, async (run) => {
      traceId = run.traceId;
      logger.log.info('inside', { step: 2 });
      logger.log.debug('detail');
    });
    logger.log.warn(new Error('boom'));
    const stop = attachCallLog({ logger });
    await traced(async (model: string) => ({ ...completion, model }), { name: 'chat', kind: 'llm' })('gpt-4o-mini');
    stop();
    await logger.log.flush();
    const out = lines();
    expect(out.map((l) => [l.level, l.msg])).toEqual([
      [30, 'inside'],
      [20, 'detail'],
      [40, 'boom'],
      [30, 'LLM_CALL_METRICS'],
    ]);
    expect(out[0]).toMatchObject({ step: 2, trace_id: traceId, trace_flags: '01' });
    expect(out[0]!.span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(out[2]).toMatchObject({ error: { type: 'Error', message: 'boom' } });
    expect(out[3]).toMatchObject({ model: 'gpt-4o-mini', function: 'chat', success: true, prompt_tokens: 7, completion_tokens: 3 });
    // The buffer keeps working alongside: queryable by trace id.
    expect(logger.buffer.query({ traceId }).map((e) => e.message)).toEqual(['inside', 'detail']);
  });

  it('is accepted directly by configure({ logger })', () => {
    freshStore();
    const { stream, lines } = lineSink();
    configure({ logger: pino(stream) });
    getLogger().log.info('hello', { a: 1 });
    expect(lines()).toEqual([expect.objectContaining({ msg: 'hello', a: 1 })]);
    freshStore();
  });
});

describe('a winston logger as output', () => {
  it('receives (message, fields) and writes message and fields as winston does', async () => {
    freshStore();
    const { stream, lines } = lineSink();
    const app = winston.createLogger({ level: 'debug', format: winston.format.json(), transports: [new winston.transports.Stream({ stream })] });
    configure({ logger: app });
    let traceId = '';
    await withSpan('run', { kind: 'run' }, async (run) => {
      traceId = run.traceId;
      getLogger().log.error('failed', { attempt: 3 });
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines()).toEqual([expect.objectContaining({ level: 'error', message: 'failed', attempt: 3, trace_id: traceId })]);
    freshStore();
  });
});

describe('console-like outputs', () => {
  it('maps levels to the methods the object has (fatal to error, trace to debug) and never throws when it does', () => {
    const calls: [string, unknown[]][] = [];
    const app = {
      debug: (...args: unknown[]) => calls.push(['debug', args]),
      info: (...args: unknown[]) => calls.push(['info', args]),
      warn: () => {
        throw new Error('broken logger');
      },
      error: (...args: unknown[]) => calls.push(['error', args]),
    };
    const { log, buffer } = createLogger({ output: app, minLevel: 'trace' });
    log.trace('t');
    log.fatal('f', { x: 1 });
    expect(() => log.warn('w')).not.toThrow();
    expect(calls).toEqual([
      ['debug', ['t']],
      ['error', ['f', { x: 1 }]],
    ]);
    expect(buffer.query().map((e) => e.message)).toEqual(['t', 'f', 'w']);
  });

  it('honours an explicit argumentOrder and refuses what is not a logger', () => {
    const calls: unknown[][] = [];
    const app = { info: (...a: unknown[]) => calls.push(a), warn: () => undefined, error: () => undefined };
    createLogger({ output: app, argumentOrder: 'fields-first' }).log.info('m', { k: 1 });
    expect(calls).toEqual([[{ k: 1 }, 'm']]);
    expect(() => createLogger({ output: { info: () => undefined } as never })).toThrow(/createLogger: output must be an application logger \(pino, winston, console: info, warn and error methods\)/);
    expect(() => createLogger({ output: app, argumentOrder: 'sideways' as never })).toThrow(/createLogger: argumentOrder must be 'fields-first' or 'message-first'/);
    expect(() => createLogger({ levels: 'all' } as never)).toThrow(/levels/);
  });
});
