import { configure, TraceStore, type Span } from '../../../index.js';
import { createFileStore } from '../../../lib/extend/index.js';
import { followSpans, histogram, openSource, spanColumns, spanRow, summaryRow, SUMMARY_COLUMNS, timeBuckets } from '../../../lib/query/index.js';
import { seededSpans, summariesOf } from '../../helpers/query-store.js';
import { removeTempDirs, tempDir } from '../../helpers/temp-dir.js';

beforeAll(() => configure({ store: new TraceStore(), logger: { format: 'hidden' } }));
afterAll(removeTempDirs);

describe('buckets', () => {
  test('a histogram puts every value in exactly one nice-width bucket', () => {
    const values = seededSpans(41, 30).map((s) => s.duration);
    const buckets = histogram(values, 10);
    expect(buckets.reduce((n, b) => n + b.count, 0)).toBe(values.length);
    const width = buckets[0]!.to - buckets[0]!.from;
    expect([1, 2, 2.5, 5].some((m) => Math.abs(width / 10 ** Math.floor(Math.log10(width)) - m) < 1e-9)).toBe(true);
    for (const b of buckets) expect(b.count).toBe(values.filter((v) => v >= b.from && (v < b.to || (b === buckets[buckets.length - 1] && v <= b.to))).length);
    expect(histogram([])).toEqual([]);
  });

  test('time buckets count requests and errors, empty buckets included', () => {
    const t = Date.UTC(2026, 0, 1);
    const buckets = timeBuckets([[t, false], [t + 10, true], [t + 3 * 60_000, false]], 10);
    expect(buckets.map((b) => [b.start - t, b.requests, b.errors])).toEqual([[0, 2, 1], [60_000, 0, 0], [120_000, 0, 0], [180_000, 1, 0]]);
  });
});

describe('flat rows', () => {
  test('span rows carry the documented columns and one attr.<key> column per attribute', () => {
    const [span] = seededSpans(42, 1);
    const row = spanRow(span!);
    const columns = spanColumns(Object.keys(span!.attributes));
    expect(Object.keys(row).sort()).toEqual([...columns].sort());
    expect(row.trace_id).toBe(span!.traceId);
    expect(row.start_time).toBe(new Date(span!.startTime).toISOString());
    expect(row.model).toBe(span!.attributes['gen_ai.request.model']);
    expect(row['attr.llmtrace.context']).toBe('first');
    expect(spanRow({ ...span!, attributes: { tags: ['a', 'b'] } })['attr.tags']).toBe('["a","b"]');
  });

  test('summary rows have every SUMMARY_COLUMNS cell', () => {
    const [summary] = summariesOf(seededSpans(43, 2));
    expect(Object.keys(summaryRow(summary!))).toEqual([...SUMMARY_COLUMNS]);
  });
});

describe('followSpans', () => {
  test('yields spans written after it started, each once, and returns when stopped', async () => {
    const dir = tempDir();
    const store = createFileStore({ dir, flushOnExit: false });
    const now = Date.now();
    const spans = seededSpans(44, 2).map((s, i) => ({ ...s, startTime: now + i, endTime: now + i + 1 }));
    await store.export([{ sampled: true, toJSON: () => ({ ...spans[0]!, endTime: now - 60_000 }) } as unknown as Span]);
    await store.flush();
    const source = await openSource(dir);
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const seen: string[] = [];
    const following = (async () => {
      for await (const span of followSpans(source, { from: now, pollMs: 20, stop: stopped })) {
        seen.push(span.id);
        if (seen.length === spans.length - 1) stop();
      }
    })();
    await store.export(spans.slice(1).map((data) => ({ sampled: true, toJSON: () => data }) as unknown as Span));
    await store.flush();
    await following;
    await store.shutdown();
    expect(seen.sort()).toEqual(spans.slice(1).map((s) => s.id).sort());
  });
});
