import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileStoreOptionsFromEnv, openFileStore, traced, withSpan, type WindowSummary } from '../../../index.js';
import { BatchSpanProcessor, createFileStore, openFileStoreReader } from '../../../lib/extend/index.js';
import { collect } from '../../helpers/collect.js';
import { freshStore } from '../../helpers/fresh-store.js';
import { makeSpan, makeSpans } from '../../helpers/make-spans.js';
import { listFilesDeep, removeTempDirs, tempDir } from '../../helpers/temp-dir.js';

afterAll(removeTempDirs);


function summary(windowStart: number, fn = 'answer'): WindowSummary {
  return {
    windowStart,
    windowEnd: windowStart + 60_000,
    function: fn,
    model: 'gpt-4o-mini',
    callCount: 3,
    successCount: 2,
    failureCount: 1,
    successRate: 2 / 3,
    cacheHits: 0,
    cacheMisses: 0,
    minMs: 10,
    avgMs: 20,
    maxMs: 30,
    p50Ms: 20,
    p90Ms: 30,
    p99Ms: 30,
    ttftP50Ms: null,
    ttftP90Ms: null,
    errorTypes: { RateLimitError: 1 },
    inputTokens: 30,
    outputTokens: 12,
    costUsd: 0.0001,
    unpricedCalls: 0,
  };
}

describe('JSON file store', () => {
  test('round-trips spans traced through a BatchSpanProcessor attached to the store', async () => {
    const store = freshStore();
    const dir = tempDir();
    const fileStore = await openFileStore({ dir, flushOnExit: false });
    const processor = new BatchSpanProcessor(fileStore, { flushOnExit: false }).attach(store);
    const answer = traced(async (q: string) => `answer to ${q}`, { name: 'answer', kind: 'llm' });

    const results = await Promise.all(['a', 'b', 'c'].map((q) => answer(q)));
    expect(results).toEqual(['answer to a', 'answer to b', 'answer to c']);
    await processor.forceFlush();

    const read = await collect(openFileStoreReader({ dir }).readSpans());
    expect(read.map((s) => s.name)).toEqual(['answer', 'answer', 'answer']);
    expect(new Set(read.map((s) => s.id))).toEqual(new Set(store.getRecent(3).map((s) => s.id)));
    expect(read[0]).toEqual(JSON.parse(JSON.stringify(store.getRecent(3).find((s) => s.id === read[0]!.id))));
    await processor.shutdown();
  });

  test('round-trips window summaries and filters them by time', async () => {
    const dir = tempDir();
    const fileStore = await openFileStore({ dir, flushOnExit: false });
    const t0 = Date.UTC(2026, 10, 24, 21, 0);
    fileStore.writeSummaries([summary(t0), summary(t0 + 60_000, 'other')]);
    fileStore.writeSummaries([summary(t0 + 2 * 3_600_000)]);
    await fileStore.flush();

    const reader = openFileStoreReader({ dir });
    expect(await reader.readSummaries()).toEqual([summary(t0), summary(t0 + 60_000, 'other'), summary(t0 + 2 * 3_600_000)]);
    expect(await reader.readSummaries({ from: t0 + 60_000, to: t0 + 3_600_000 })).toEqual([summary(t0 + 60_000, 'other')]);
    // one segment per hour window
    expect((await reader.listSegments('summaries')).map((s) => s.windowStart)).toEqual([t0, t0 + 2 * 3_600_000]);
    await fileStore.shutdown();
  });

  test('keeps only sampled-in spans', async () => {
    const dir = tempDir();
    const fileStore = await openFileStore({ dir, flushOnExit: false });
    await fileStore.export([makeSpan({ name: 'kept' }), makeSpan({ name: 'dropped', sampled: false })]);
    await fileStore.flush();
    expect((await collect(openFileStoreReader({ dir }).readSpans())).map((s) => s.name)).toEqual(['kept']);
    await fileStore.shutdown();
  });

  test('creates files 0600 and directories 0700, and leaves no temp files', async () => {
    const dir = join(tempDir(), 'store');
    const fileStore = await openFileStore({ dir, flushOnExit: false });
    await fileStore.export(makeSpans(5));
    fileStore.writeSummaries([summary(Date.now())]);
    await fileStore.shutdown();

    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const sub of ['spans', 'summaries', 'processes']) expect(statSync(join(dir, sub)).mode & 0o777).toBe(0o700);
    const files = listFilesDeep(dir);
    expect(files.length).toBeGreaterThanOrEqual(4); // meta, process record, a span and a summary segment
    for (const file of files) {
      expect(file).not.toMatch(/\.tmp$/);
      expect({ file, mode: statSync(file).mode & 0o777 }).toEqual({ file, mode: 0o600 });
    }
  });

  test('rotates segments by record count so each file stays small', async () => {
    const dir = tempDir();
    const fileStore = await openFileStore({ dir, maxSegmentRecords: 10, flushOnExit: false });
    await fileStore.export(makeSpans(25));
    await fileStore.export(makeSpans(7));
    await fileStore.flush();
    const reader = openFileStoreReader({ dir });
    const segments = await reader.listSegments('spans');
    const sizes = segments.map((s) => (JSON.parse(readFileSync(s.path, 'utf8')) as { records: unknown[] }).records.length);
    expect(sizes.sort()).toEqual([10, 10, 10, 2].sort());
    expect(new Set(segments.map((s) => s.instance))).toEqual(new Set([fileStore.instance]));
    expect(await collect(reader.readSpans())).toHaveLength(32);
    await fileStore.shutdown();
  });

  test('reads spans of a time range by their end time', async () => {
    const dir = tempDir();
    const fileStore = await openFileStore({ dir, flushOnExit: false });
    const spans = makeSpans(3);
    await fileStore.export(spans);
    await fileStore.flush();
    const reader = openFileStoreReader({ dir });
    const middle = spans[1]!.endTime;
    expect((await collect(reader.readSpans({ from: middle }))).map((s) => s.id)).toEqual([spans[1]!.id, spans[2]!.id]);
    expect((await collect(reader.readSpans({ to: middle }))).map((s) => s.id)).toEqual([spans[0]!.id]);
    expect(await collect(reader.readSpans({ from: middle + 3_600_000 * 5 }))).toEqual([]);
    await fileStore.shutdown();
  });

  test('writes meta.json and a process record listing the sessions seen', async () => {
    const store = freshStore();
    const dir = tempDir();
    const fileStore = await openFileStore({ dir, flushOnExit: false });
    const processor = new BatchSpanProcessor(fileStore, { flushOnExit: false }).attach(store);
    const call = traced(() => 1, { name: 'inner' });
    let sessionId = '';
    withSpan('chat', { kind: 'session' }, (span) => {
      sessionId = span.id;
      call();
    });
    await processor.shutdown();

    const meta = await openFileStoreReader({ dir }).readMeta();
    expect(meta).toMatchObject({ schemaVersion: 1, createdAt: expect.any(String) });
    expect(meta!.processes).toEqual([
      expect.objectContaining({ instance: fileStore.instance, pid: process.pid, sessions: [sessionId] }),
    ]);
  });

  test('flush and shutdown are idempotent and data after shutdown is ignored and counted', async () => {
    const dir = tempDir();
    const fileStore = createFileStore({ dir, flushOnExit: false });
    await fileStore.export(makeSpans(2));
    await Promise.all([fileStore.flush(), fileStore.flush()]);
    const first = fileStore.shutdown();
    expect(fileStore.shutdown()).toBe(first);
    await first;
    await fileStore.export(makeSpans(3));
    await fileStore.flush();
    expect(fileStore.stats()).toMatchObject({ writtenSpans: 2, rejectedAfterShutdown: 3, pendingSpans: 0 });
    expect(await collect(openFileStoreReader({ dir }).readSpans())).toHaveLength(2);
  });

  test('reads the directory from LLMTRACE_DIR only through fileStoreOptionsFromEnv', () => {
    expect(fileStoreOptionsFromEnv({ LLMTRACE_DIR: '/var/tmp/traces' })).toEqual({ dir: '/var/tmp/traces' });
    expect(fileStoreOptionsFromEnv({})).toEqual({});
    const previous = process.env.LLMTRACE_DIR;
    process.env.LLMTRACE_DIR = '/nowhere/else';
    try {
      expect(createFileStore({ flushOnExit: false }).dir).toBe(join(process.cwd(), '.llmtrace'));
    } finally {
      if (previous === undefined) delete process.env.LLMTRACE_DIR;
      else process.env.LLMTRACE_DIR = previous;
    }
  });

  test('rejects bad options at configuration time, naming the option', () => {
    expect(() => createFileStore({ maxPendingBatches: 0 })).toThrow(
      new TypeError('llmtrace: createFileStore: maxPendingBatches must be a positive integer, got 0 (number)'),
    );
    expect(() => createFileStore({ dir: '' })).toThrow(/llmtrace: createFileStore: dir must be a non-empty string, got "" \(string\)/);
    expect(() => createFileStore({ maxSegmentRecords: 1.5 })).toThrow(/maxSegmentRecords/);
  });

  test('two stores in one process write separate segment files and lose nothing', async () => {
    const dir = tempDir();
    const a = await openFileStore({ dir, flushOnExit: false });
    const b = await openFileStore({ dir, flushOnExit: false });
    await Promise.all([a.export(makeSpans(50)), b.export(makeSpans(50))]);
    await Promise.all([a.shutdown(), b.shutdown()]);
    expect(readdirSync(join(dir, 'spans'))).toHaveLength(2);
    expect(await collect(openFileStoreReader({ dir }).readSpans())).toHaveLength(100);
  });
});
