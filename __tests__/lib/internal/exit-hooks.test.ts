/**
 * Exit hooks: on SIGTERM/SIGINT pending data is flushed, then the signal takes its normal course:
 * the process is killed by it again only when nobody else handles it. Signals are emitted in-process
 * and `process.kill` is replaced, so no process is actually killed.
 */
import { jest } from '@jest/globals';
import { flushAllForExit, onExit } from '../../../lib/internal/exit-hooks.js';

let saved: Function[] = [];
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
});
