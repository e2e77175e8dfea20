/**
 * Exit hooks: on SIGTERM/SIGINT pending data is flushed, then the signal takes its normal course:
 * the process is killed by it again only when nobody else handles it. Signals are emitted in-process
 * and `process.kill` is replaced, so no process is actually killed.
 */
import { jest } from '@jest/globals';
import { flushAllForExit, flushAllSync, onExit, setExitSignalHandling } from '../../../lib/internal/exit-hooks.js';

let saved: Function[] = [];

/** Emits the event Node emits before an uncaught exception is handled or kills the process. */
const emitMonitor = (error: Error): boolean =>
  (process.emit as (event: string, ...args: unknown[]) => boolean)('uncaughtExceptionMonitor', error, 'uncaughtException');
let kill: jest.SpiedFunction<typeof process.kill>;

beforeEach(() => {
  // Whatever the test runner listens with is set aside, so only this test's listeners count.
  saved = process.listeners('SIGTERM');
  process.removeAllListeners('SIGTERM');
  kill = jest.spyOn(process, 'kill').mockImplementation(() => true);
});

afterEach(() => {
  kill.mockRestore();
  process.removeAllListeners('SIGTERM');
  for (const listener of saved) process.on('SIGTERM', listener as () => void);
});

describe('exit hooks', () => {
  test('with no other SIGTERM handler, the process is killed by SIGTERM again after the flush', async () => {
    const flushed: string[] = [];
    const remove = onExit('test', async () => {
      flushed.push('flush');
    });
    process.emit('SIGTERM', 'SIGTERM');
    await flushAllForExit();
    await new Promise((resolve) => setImmediate(resolve));
    remove();
    expect(flushed).toEqual(['flush']);
    expect(kill).toHaveBeenCalledWith(process.pid, 'SIGTERM');
  });

  test("a user's process.once('SIGTERM') handler keeps the signal's outcome: the process is not killed", async () => {
    const remove = onExit('test', async () => undefined);
    const handled: string[] = [];
    process.once('SIGTERM', () => handled.push('user'));
    process.emit('SIGTERM', 'SIGTERM');
    await flushAllForExit();
    await new Promise((resolve) => setImmediate(resolve));
    remove();
    expect(handled).toEqual(['user']);
    expect(kill).not.toHaveBeenCalled();
  });

  test("a user's once handler registered before llmtrace's also keeps the process alive", async () => {
    const handled: string[] = [];
    process.once('SIGTERM', () => handled.push('user'));
    const remove = onExit('test', async () => undefined);
    process.emit('SIGTERM', 'SIGTERM');
    await flushAllForExit();
    await new Promise((resolve) => setImmediate(resolve));
    remove();
    expect(handled).toEqual(['user']);
    expect(kill).not.toHaveBeenCalled();
  });

  test('before the re-raised signal, the synchronous flushes run too', async () => {
    const order: string[] = [];
    const remove = onExit('test', async () => void order.push('async'), () => void order.push('sync'));
    process.emit('SIGTERM', 'SIGTERM');
    await flushAllForExit();
    await new Promise((resolve) => setImmediate(resolve));
    remove();
    expect(order).toEqual(['async', 'sync']);
    expect(kill).toHaveBeenCalledWith(process.pid, 'SIGTERM');
  });

  test('a second signal while the async flush waits kills at once, after the synchronous flushes', async () => {
    let release!: () => void;
    const order: string[] = [];
    const remove = onExit('test', () => new Promise<void>((resolve) => (release = resolve)), () => void order.push('sync'));
    process.emit('SIGTERM', 'SIGTERM');
    expect(kill).not.toHaveBeenCalled();
    process.emit('SIGTERM', 'SIGTERM');
    expect(order).toEqual(['sync']);
    expect(kill).toHaveBeenCalledTimes(1);
    release();
    await flushAllForExit();
    await new Promise((resolve) => setImmediate(resolve));
    remove();
    expect(kill).toHaveBeenCalledTimes(1); // the finished flush does not raise it again
  });

  test('setExitSignalHandling(false) leaves SIGTERM to Node (no listener of ours), true puts it back', () => {
    const remove = onExit('test', async () => undefined);
    expect(process.listenerCount('SIGTERM')).toBe(1);
    setExitSignalHandling(false);
    expect(process.listenerCount('SIGTERM')).toBe(0);
    setExitSignalHandling(true);
    expect(process.listenerCount('SIGTERM')).toBe(1);
    remove();
    expect(process.listenerCount('SIGTERM')).toBe(0);
  });
});

describe('synchronous exit flushes', () => {
  test('run newest registration first, each guarded: one that throws does not stop the others', () => {
    const order: string[] = [];
    const a = onExit('exporter', async () => undefined, () => void order.push('exporter'));
    const b = onExit('broken', async () => undefined, () => {
      throw new Error('broken sink');
    });
    const c = onExit('processor', async () => undefined, () => void order.push('processor'));
    expect(() => flushAllSync()).not.toThrow();
    c();
    b();
    a();
    expect(order).toEqual(['processor', 'exporter']);
  });

  test("run on 'exit' and from uncaughtExceptionMonitor only when the exception is fatal", () => {
    const runs: string[] = [];
    const remove = onExit('test', async () => undefined, () => void runs.push('sync'));
    process.emit('exit', 0);
    expect(runs).toEqual(['sync']);
    const keepAlive = (): void => undefined;
    process.on('uncaughtException', keepAlive);
    emitMonitor(new Error('handled by the program'));
    expect(runs).toEqual(['sync']); // the program's handler keeps it running: nothing to do
    process.off('uncaughtException', keepAlive);
    // Jest's own uncaughtException listeners are set aside so the exception counts as fatal.
    const jestListeners = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    try {
      emitMonitor(new Error('fatal'));
    } finally {
      for (const listener of jestListeners) process.on('uncaughtException', listener);
    }
    remove();
    expect(runs).toEqual(['sync', 'sync']);
  });
});
