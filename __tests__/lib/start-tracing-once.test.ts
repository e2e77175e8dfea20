/** startTracing runs once at a time: a second call while one runs is refused, so nothing is written twice. */
import { afterAll, describe, expect, test } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { getStore, startTracing, traced, TraceStore } from '../../index.js';
import { removeTempDirs, tempDir } from '../helpers/temp-dir.js';

afterAll(removeTempDirs);

const quiet = { logger: { format: 'hidden' as const } };

describe('a second startTracing()', () => {
  test('is refused while one runs: no reconfiguration, no second directory, every span written once', async () => {
    const dir = tempDir();
    const first = await startTracing({ ...quiet, store: new TraceStore(), fileStore: { dir } });
    const store = getStore();
    const secondDir = join(tempDir(), 'second');
    await expect(startTracing({ ...quiet, store: new TraceStore(), fileStore: { dir: secondDir } })).rejects.toThrow(
      /^llmtrace: startTracing\(\) is already running in this process \(since .+\); use the handle it returned, or await handle\.shutdown\(\) before starting again$/,
    );
    await expect(startTracing({ ...quiet, fileStore: { dir } })).rejects.toThrow(/already running/);
    expect(getStore()).toBe(store);
    expect(existsSync(secondDir)).toBe(false);
    traced((x: number) => x, { name: 'once' })(1);
    await first.shutdown();
    expect(first.fileStore!.stats().writtenSpans).toBe(1);
  });

  test('is accepted after shutdown()', async () => {
    const first = await startTracing({ ...quiet, store: new TraceStore(), fileStore: false });
    await first.shutdown();
    const again = await startTracing({ ...quiet, store: new TraceStore(), fileStore: { dir: tempDir() } });
    traced(() => 1, { name: 'after' })();
    await again.shutdown();
    expect(again.fileStore!.stats().writtenSpans).toBe(1);
  });

  test('started concurrently, exactly one wins', async () => {
    const results = await Promise.allSettled([
      startTracing({ ...quiet, store: new TraceStore(), fileStore: { dir: tempDir() } }),
      startTracing({ ...quiet, store: new TraceStore(), fileStore: { dir: tempDir() } }),
    ]);
    const started = results.filter((r) => r.status === 'fulfilled');
    expect(started).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([
      expect.stringMatching(/already running/),
    ]);
    await (started[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof startTracing>>>).value.shutdown();
  });

  test('a start refused for bad options holds nothing: the next start works', async () => {
    await expect(startTracing({ ...quiet, fileStore: { dir: '' } })).rejects.toThrow(TypeError);
    await expect(startTracing({ ...quiet, sampling: { ratio: 2 } })).rejects.toThrow(TypeError);
    const tracing = await startTracing({ ...quiet, store: new TraceStore(), fileStore: false });
    await tracing.shutdown();
  });
});
