/** startTracing: one call that configures llmtrace and starts the aggregator and the sinks. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { getStore, startTracing, traced, TraceStore } from '../../index.js';
import { freshStore } from '../helpers/fresh-store.js';
import { removeTempDirs, tempDir } from '../helpers/temp-dir.js';

afterAll(removeTempDirs);

describe('startTracing', () => {
  test('an invalid option throws a TypeError naming it before anything starts: no store swap, no directory', async () => {
    const before = freshStore();
    const cases: [Parameters<typeof startTracing>[0], RegExp][] = [
      [{ batching: { maxQueueSize: -1 } }, /llmtrace: startTracing: batching.maxQueueSize must be a positive integer/],
      [{ sessionFiles: { dir: 5 as never } }, /llmtrace: startTracing: sessionFiles.dir must be a non-empty string/],
      [{ aggregation: { intervalMs: 0 } }, /llmtrace: startTracing: aggregation.intervalMs must be/],
      [{ fileStore: { maxPendingBatches: 0 } }, /llmtrace: startTracing: fileStore.maxPendingBatches must be a positive integer/],
      [{ handleSignals: 'no' as never }, /handleSignals must be a boolean/],
      [{ batching: { maxQueueBytes: 0 } }, /maxQueueBytes must be a positive integer/],
    ];
    for (const [options, message] of cases) {
      const dir = join(tempDir(), 'store');
      await expect(startTracing({ ...options, store: new TraceStore(), fileStore: { dir, ...(options!.fileStore || {}) } })).rejects.toThrow(message);
      expect(getStore()).toBe(before);
      expect(existsSync(dir)).toBe(false);
    }
  });

  test('spans of traced calls reach the file store; shutdown flushes them', async () => {
    const dir = tempDir();
    const tracing = await startTracing({ store: new TraceStore(), logger: { format: 'hidden' }, fileStore: { dir } });
    traced((x: number) => x, { name: 'call' })(1);
    await tracing.shutdown();
    expect(tracing.fileStore!.stats().writtenSpans).toBe(1);
  });
});
