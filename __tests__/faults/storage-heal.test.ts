/**
 * Fault matrix, file store, point 4 of issue 8: the store heals itself and keeps what it can. A
 * store directory deleted while running is recreated on the next write; a span JSON cannot hold
 * loses only its bad attributes (or is dropped alone), never its batch.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openFileStore, Span, traced, type Attributes, type SpanData } from '../../index.js';
import { BatchSpanProcessor, openFileStoreReader } from '../../lib/extend/index.js';
import { resetDiagnostics, diagnosticCounts } from '../../lib/internal/diagnostics.js';
import { DROPPED_ATTRIBUTES_KEY } from '../../lib/storage/storable-span.js';
import { collect } from '../helpers/collect.js';
import { freshStore } from '../helpers/fresh-store.js';
import { makeSpan, makeSpans } from '../helpers/make-spans.js';
import { removeTempDirs, tempDir } from '../helpers/temp-dir.js';

beforeAll(() => freshStore());
beforeEach(resetDiagnostics);
afterAll(removeTempDirs);

/** Values JSON cannot hold, as an `attributes` hook may return them. */
function hostileValues(): Record<string, () => unknown> {
  const cycle: Record<string, unknown> = { a: 1 };
  cycle.self = cycle;
  return {
    bigint: () => 10n,
    cycle: () => cycle,
    'throwing toJSON': () => ({
      toJSON() {
        throw new Error('no JSON for you');
      },
    }),
    'throwing getter': () =>
      Object.defineProperty({}, 'x', {
        enumerable: true,
        get() {
          throw new Error('getter');
        },
      }),
    'nested bigint': () => [{ deep: { deeper: [1n] } }],
  };
}

describe('a store directory deleted while running', () => {
  test.each([
    ['the whole store directory', (dir: string) => dir],
    ['the spans sub-directory', (dir: string) => join(dir, 'spans')],
  ])('deleting %s: it is recreated on the next write and no later span is lost', async (_what, target) => {
    const dir = join(tempDir(), 'store');
    const fileStore = await openFileStore({ dir, flushOnExit: false });
    await fileStore.export(makeSpans(5));
    await fileStore.flush();
    rmSync(target(dir), { recursive: true, force: true });
    await fileStore.export(makeSpans(7, { name: 'after' }));
    await fileStore.flush();
    await fileStore.export(makeSpans(3, { name: 'later' }));
    await fileStore.shutdown();

    expect(existsSync(join(dir, 'meta.json'))).toBe(true);
    const spans = await collect(openFileStoreReader({ dir }).readSpans());
    // The open segment's records are held in memory and rewritten, so even the 5 written before the delete come back.
    expect(spans).toHaveLength(15);
    expect(fileStore.stats()).toMatchObject({ writtenSpans: 15, failedSpans: 0, dirRecreated: 1 });
    expect(diagnosticCounts()['storage.dir-recreated']).toBe(1);
    const meta = await openFileStoreReader({ dir }).readMeta();
    expect(meta?.processes.map((p) => p.instance)).toContain(fileStore.instance);
  });

  test('deleted again and again: every span after each deletion is kept', async () => {
    const dir = join(tempDir(), 'store');
    const fileStore = await openFileStore({ dir, flushOnExit: false, maxSegmentRecords: 4 });
    for (let round = 0; round < 3; round++) {
      await fileStore.export(makeSpans(10));
      await fileStore.flush();
      rmSync(dir, { recursive: true, force: true });
    }
    await fileStore.export(makeSpans(6));
    await fileStore.shutdown();
    const spans = await collect(openFileStoreReader({ dir }).readSpans());
    expect(spans.length).toBeGreaterThanOrEqual(6); // the last 6, plus the open segment's records rewritten
    expect(fileStore.stats().failedSpans).toBe(0);
  });
});

describe('a span JSON cannot hold', () => {
  test.each(Object.entries(hostileValues()))('a %s attribute: only that attribute is dropped, the span and its batch are kept', async (_name, value) => {
    const dir = tempDir();
    const fileStore = await openFileStore({ dir, flushOnExit: false });
    const bad = makeSpan({ name: 'bad', attributes: { good: 'kept' } });
    (bad.attributes as Record<string, unknown>).hostile = value();
    const batch = [...makeSpans(49), bad, ...makeSpans(50)];
    await fileStore.export(batch);
    await fileStore.shutdown();

    const spans = await collect(openFileStoreReader({ dir }).readSpans());
    expect(spans).toHaveLength(100);
    const stored = spans.find((s) => s.name === 'bad')!;
    expect(stored.attributes.good).toBe('kept');
    expect(stored.attributes).not.toHaveProperty('hostile');
    expect(stored.attributes[DROPPED_ATTRIBUTES_KEY]).toBe(1);
    expect(fileStore.stats()).toMatchObject({ writtenSpans: 100, failedSpans: 0, droppedAttributes: 1, unserialisableSpans: 0 });
  });

  test('a bad attribute on an event is dropped the same way', async () => {
    const dir = tempDir();
    const fileStore = await openFileStore({ dir, flushOnExit: false });
    const bad = new Span('bad', 'llm', undefined, {}, randomBytes(16).toString('hex'), randomBytes(8).toString('hex'), true);
    bad.addEvent('e', { n: 1, big: 2n } as unknown as Attributes);
    bad.finish();
    await fileStore.export([bad, ...makeSpans(3)]);
    await fileStore.shutdown();
    const spans = await collect(openFileStoreReader({ dir }).readSpans());
    expect(spans).toHaveLength(4);
    expect(spans.find((s) => s.name === 'bad')!.events[0]!.attributes).toEqual({ n: 1 });
  });

  test.each([
    ['its error holds a BigInt', (data: SpanData) => ({ ...data, error: { type: 'E', message: 'm', code: 1n } })],
    ['its toJSON throws', () => {
      throw new Error('no data');
    }],
  ])('a span with no JSON form at all (%s) is dropped alone and counted', async (_what, toJSON) => {
    const dir = tempDir();
    const fileStore = await openFileStore({ dir, flushOnExit: false });
    const bad = makeSpan({ name: 'bad' });
    const own = bad.toJSON();
    Object.defineProperty(bad, 'toJSON', { value: () => toJSON(own) });
    await fileStore.export([...makeSpans(10), bad, ...makeSpans(10)]);
    await fileStore.shutdown();
    expect(await collect(openFileStoreReader({ dir }).readSpans())).toHaveLength(20);
    expect(fileStore.stats()).toMatchObject({ writtenSpans: 20, failedSpans: 0, unserialisableSpans: 1 });
    expect(diagnosticCounts()['storage.unserialisable-span']).toBe(1);
  });

  test('a toJSON that fails only when written (not when measured) still costs only that span', async () => {
    const dir = tempDir();
    const fileStore = await openFileStore({ dir, flushOnExit: false });
    const bad = makeSpan({ name: 'bad' });
    let calls = 0;
    (bad.attributes as Record<string, unknown>).flaky = {
      toJSON() {
        if (++calls > 1) throw new Error('second time');
        return 'fine';
      },
    };
    await fileStore.export([...makeSpans(5), bad, ...makeSpans(5)]);
    await fileStore.shutdown();
    expect(await collect(openFileStoreReader({ dir }).readSpans())).toHaveLength(10);
    expect(fileStore.stats()).toMatchObject({ writtenSpans: 10, failedSpans: 0, unserialisableSpans: 1 });
  });

  test.each(Object.entries(hostileValues()))('from an attributes hook (%s): traced calls return, every span is stored', async (_name, value) => {
    const dir = tempDir();
    const store = freshStore();
    const fileStore = await openFileStore({ dir, flushOnExit: false });
    const processor = new BatchSpanProcessor(fileStore, { flushOnExit: false, maxExportBatchSize: 100 }).attach(store);
    const call = traced((i: number) => i + 1, {
      name: 'call',
      kind: 'llm',
      attributes: (args) => (args[0] === 3 ? ({ hostile: value() } as unknown as Attributes) : { fine: true }),
    });
    const results = Array.from({ length: 10 }, (_, i) => call(i));
    await processor.shutdown();
    expect(results).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await collect(openFileStoreReader({ dir }).readSpans())).toHaveLength(10);
    expect(fileStore.stats().failedSpans).toBe(0);
  });
});
