import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configure, readEvaluations, TraceStore, type EvaluationRecord, type Span, type SpanData } from '../../../index.js';
import { createFileStore, openFileStoreReader } from '../../../lib/extend/index.js';
import { collect } from '../../helpers/collect.js';
import { makeSpans } from '../../helpers/make-spans.js';
import { FaultyFileSystem, wholeFileReads } from '../../helpers/faulty-fs.js';
import { parseIndexTrailer, parseTraceIndex, readTraceIndex } from '../../../lib/storage/segment-index.js';
import { seededSpans, summariesOf, T0, writeStore } from '../../helpers/query-store.js';
import { removeTempDirs, tempDir } from '../../helpers/temp-dir.js';

beforeAll(() => configure({ store: new TraceStore(), logger: { format: 'hidden' } }));
afterAll(removeTempDirs);

function segments(dir: string, kind: string): string[] {
  return readdirSync(join(dir, kind)).map((name) => readFileSync(join(dir, kind, name), 'utf8'));
}

describe('trace-id index of span segments', () => {
  test('every sealed span segment lists exactly the distinct trace ids of its records, in its tail', async () => {
    const dir = tempDir();
    await writeStore(dir, seededSpans(31, 40), [], { maxSegmentRecords: 17 });
    const texts = segments(dir, 'spans');
    expect(texts.length).toBeGreaterThan(5);
    for (const text of texts) {
      const doc = JSON.parse(text) as { traceIds: string[]; indexBytes: number; records: SpanData[] };
      expect(doc.traceIds).toEqual([...new Set(doc.records.map((s) => s.traceId))]);
      expect(Object.keys(doc)).toEqual(['format', 'schemaVersion', 'kind', 'instance', 'windowStart', 'records', 'traceIds', 'indexBytes', 'sealed', 'complete']);
      expect(parseIndexTrailer(text.slice(-(doc.indexBytes + 200)))).toEqual(doc.traceIds);
    }
  });

  test('an index longer than the first probe is read from the tail all the same, with one more read', async () => {
    const dir = tempDir();
    const store = createFileStore({ dir, flushOnExit: false });
    await store.export(makeSpans(400)); // 400 traces in one window: an index of about 14 KB
    await store.shutdown();
    const [name] = readdirSync(join(dir, 'spans'));
    const path = join(dir, 'spans', name!);
    const doc = JSON.parse(readFileSync(path, 'utf8')) as { indexBytes: number; traceIds: string[] };
    expect(doc.indexBytes).toBeGreaterThan(8 * 1024);
    const fs = new FaultyFileSystem();
    expect(await readTraceIndex(fs, path)).toEqual(doc.traceIds);
    expect(fs.calls).toEqual({ readTail: 2 });
  });

  test('a segment still open has no index: found without reading its head, and read in full', async () => {
    const dir = tempDir();
    const spans = seededSpans(35, 3);
    const store = createFileStore({ dir, flushOnExit: false });
    await store.export(spans.map((data) => ({ sampled: true, toJSON: () => data }) as unknown as Span));
    await store.flush(); // not shut down: the segment stays open
    const [name] = readdirSync(join(dir, 'spans'));
    const fs = new FaultyFileSystem();
    expect(await readTraceIndex(fs, join(dir, 'spans', name!))).toBeUndefined();
    expect(fs.calls).toEqual({ readTail: 1 });
    const found = await collect(openFileStoreReader({ dir }).readTraceSpans(spans[0]!.traceId));
    expect(found).toEqual(spans.filter((s) => s.traceId === spans[0]!.traceId));
    await store.shutdown();
  });

  test('a segment written before the line layout is still found by the index at its head', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'spans'), { recursive: true });
    const spans = seededSpans(36, 3);
    const wanted = spans.filter((s) => s.traceId === spans[0]!.traceId);
    const doc = { format: 'llmtrace.segment', schemaVersion: 1, kind: 'spans', instance: '7-abcdef', windowStart: 0, traceIds: [...new Set(spans.map((s) => s.traceId))], records: spans, complete: true };
    writeFileSync(join(dir, 'spans', '2026-11-24T21-00.7-abcdef-0001.json'), JSON.stringify(doc));
    const other = { ...doc, traceIds: ['ffff'], records: [{ ...spans[1]!, traceId: 'ffff' }] };
    writeFileSync(join(dir, 'spans', '2026-11-24T21-00.7-abcdef-0002.json'), JSON.stringify(other));
    const { fs, files } = wholeFileReads(join(dir, 'spans'));
    expect(await collect(openFileStoreReader({ dir, fs }).readTraceSpans(spans[0]!.traceId.slice(0, 8)))).toEqual(wanted);
    expect(files).toEqual(['2026-11-24T21-00.7-abcdef-0001.json']);
  });

  test('evaluation segments list their trace ids too, and a trace\'s evaluations are read only from the segments that can hold them', async () => {
    const dir = tempDir();
    const spans = seededSpans(33, 12);
    const traceIds = [...new Set(spans.map((s) => s.traceId))];
    const records: EvaluationRecord[] = traceIds.flatMap((traceId, i) => [
      { type: 'score', id: `${i}`.padStart(16, '0'), time: T0 + i * 60_000, traceId, name: 'relevance', value: i / 10 },
      { type: 'score', id: `${i}`.padStart(16, '1'), time: T0 + i * 60_000 + 1, name: 'untraced', value: true },
    ]);
    const store = createFileStore({ dir, flushOnExit: false, maxSegmentRecords: 5 });
    store.writeEvaluations(records);
    await store.shutdown();
    const names = readdirSync(join(dir, 'evaluations'));
    expect(names.length).toBeGreaterThan(3);
    for (const text of segments(dir, 'evaluations')) {
      const doc = JSON.parse(text) as { traceIds: string[]; records: EvaluationRecord[] };
      expect(doc.traceIds).toEqual([...new Set(doc.records.flatMap((r) => (r.traceId ? [r.traceId] : [])))]);
    }
    const wanted = traceIds[7]!;
    const { fs, files } = wholeFileReads(join(dir, 'evaluations'));
    const found = await collect(readEvaluations(dir, { traceId: wanted.slice(0, 10) }, { fs }));
    expect(found).toEqual(records.filter((r) => r.traceId === wanted));
    const holding = names.filter((name) => (JSON.parse(readFileSync(join(dir, 'evaluations', name), 'utf8')) as { records: EvaluationRecord[] }).records.some((r) => r.traceId === wanted));
    expect(files.sort()).toEqual(holding.sort());
  });

  test('summary segments carry no index, only the seal', async () => {
    const dir = tempDir();
    const spans = seededSpans(32, 2);
    await writeStore(dir, spans, summariesOf(spans));
    const texts = segments(dir, 'summaries');
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts) {
      expect(Object.keys(JSON.parse(text) as object)).not.toContain('traceIds');
      expect(JSON.parse(text)).toMatchObject({ sealed: true, complete: true });
    }
  });

  test('a head without an index reads as none: an older segment, or an index cut off by the head size', () => {
    const old = '{"format":"llmtrace.segment","schemaVersion":1,"kind":"spans","instance":"1-ab","windowStart":0,"records":[{"traceId":"aa"}],"complete":true}';
    expect(parseTraceIndex(old)).toBeUndefined();
    const cut = '{"format":"llmtrace.segment","schemaVersion":1,"kind":"spans","instance":"1-ab","windowStart":0,"traceIds":["aa","b';
    expect(parseTraceIndex(cut)).toBeUndefined();
    expect(parseTraceIndex('not json,"records":[')).toBeUndefined();
    expect(parseTraceIndex('{"traceIds":[1,2],"records":[')).toBeUndefined();
  });

  test('a tail without a whole index reads as none: open, cut off, or not a list of strings', () => {
    expect(parseIndexTrailer('\n],"complete":true}')).toBeUndefined();
    expect(parseIndexTrailer('"b"],"indexBytes":20,"sealed":true,"complete":true}')).toBeUndefined();
    expect(parseIndexTrailer('\n],"traceIds":[1],"indexBytes":16,"sealed":true,"complete":true}')).toBeUndefined();
    expect(parseIndexTrailer('\n],"traceIds":["aa"],"indexBytes":19,"sealed":true,"complete":true}')).toEqual(['aa']);
  });
});
