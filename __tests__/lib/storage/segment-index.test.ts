import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { configure, readEvaluations, TraceStore, type EvaluationRecord, type SpanData } from '../../../index.js';
import { createFileStore } from '../../../lib/extend/index.js';
import { collect } from '../../helpers/collect.js';
import { wholeFileReads } from '../../helpers/faulty-fs.js';
import { INDEX_HEAD_BYTES, parseTraceIndex } from '../../../lib/storage/segment-index.js';
import { seededSpans, summariesOf, T0, writeStore } from '../../helpers/query-store.js';
import { removeTempDirs, tempDir } from '../../helpers/temp-dir.js';

beforeAll(() => configure({ store: new TraceStore(), logger: { format: 'hidden' } }));
afterAll(removeTempDirs);

function segments(dir: string, kind: string): string[] {
  return readdirSync(join(dir, kind)).map((name) => readFileSync(join(dir, kind, name), 'utf8'));
}

describe('trace-id index of span segments', () => {
  test('every span segment lists exactly the distinct trace ids of its records, before the records', async () => {
    const dir = tempDir();
    await writeStore(dir, seededSpans(31, 40), [], { maxSegmentRecords: 17 });
    const texts = segments(dir, 'spans');
    expect(texts.length).toBeGreaterThan(5);
    for (const text of texts) {
      const doc = JSON.parse(text) as { traceIds: string[]; records: SpanData[] };
      expect(doc.traceIds).toEqual([...new Set(doc.records.map((s) => s.traceId))]);
      expect(Object.keys(doc)).toEqual(['format', 'schemaVersion', 'kind', 'instance', 'windowStart', 'traceIds', 'records', 'complete']);
      expect(parseTraceIndex(text.slice(0, INDEX_HEAD_BYTES))).toEqual(doc.traceIds);
    }
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

  test('summary segments carry no index', async () => {
    const dir = tempDir();
    const spans = seededSpans(32, 2);
    await writeStore(dir, spans, summariesOf(spans));
    const texts = segments(dir, 'summaries');
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts) expect(Object.keys(JSON.parse(text) as object)).not.toContain('traceIds');
  });

  test('a head without an index reads as none: an older segment, or an index cut off by the head size', () => {
    const old = '{"format":"llmtrace.segment","schemaVersion":1,"kind":"spans","instance":"1-ab","windowStart":0,"records":[{"traceId":"aa"}],"complete":true}';
    expect(parseTraceIndex(old)).toBeUndefined();
    const cut = '{"format":"llmtrace.segment","schemaVersion":1,"kind":"spans","instance":"1-ab","windowStart":0,"traceIds":["aa","b';
    expect(parseTraceIndex(cut)).toBeUndefined();
    expect(parseTraceIndex('not json,"records":[')).toBeUndefined();
    expect(parseTraceIndex('{"traceIds":[1,2],"records":[')).toBeUndefined();
  });
});
