import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { configure, TraceStore, type SpanData } from '../../../index.js';
import { INDEX_HEAD_BYTES, parseTraceIndex } from '../../../lib/storage/segment-index.js';
import { seededSpans, summariesOf, writeStore } from '../../helpers/query-store.js';
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
