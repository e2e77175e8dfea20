import { readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { configure, TraceStore } from '../../../index.js';
import { createFileStore } from '../../../lib/extend/index.js';
import { openSource, SpanFileFollower, summariseTraces, TraceListing } from '../../../lib/query/index.js';
import { PICK_WITHIN_ROWS, TRACE_SORT_KEYS, type TraceSortKey } from '../../../lib/query/trace-listing.js';
import type { SpanData } from '../../../lib/span.js';
import { wholeFileReads } from '../../helpers/faulty-fs.js';
import { asSpans, seededSpans } from '../../helpers/query-store.js';
import { removeTempDirs, tempDir } from '../../helpers/temp-dir.js';

beforeAll(() => configure({ store: new TraceStore(), logger: { format: 'hidden' } }));
afterAll(removeTempDirs);

const spans = seededSpans(41, 30);

function all(listing: TraceListing) {
  return listing.query({ limit: 1_000 }).rows;
}

describe('a trace listing in parts', () => {
  test('traces cut across parts list as the fold of all their spans; replacing and deleting a part changes only its spans', () => {
    const whole = new TraceListing();
    for (const span of spans) whole.add(span);
    // Every third span in part a, the rest in b: every trace spans both parts.
    const parted = new TraceListing();
    parted.setPart('a', spans.filter((_, i) => i % 3 === 0));
    parted.setPart('b', spans.filter((_, i) => i % 3 !== 0));
    expect(all(parted)).toEqual(all(whole));
    expect(all(parted)).toEqual(summariseTraces(spans));
    expect(parted.facets()).toEqual(whole.facets());

    parted.deletePart('a');
    expect(all(parted)).toEqual(summariseTraces(spans.filter((_, i) => i % 3 !== 0)));
    const first = spans[0]!.traceId;
    parted.setPart('b', spans.filter((s) => s.traceId !== first));
    expect(parted.get(first)).toBeUndefined();
    expect(parted.size).toBe(new Set(spans.map((s) => s.traceId)).size - 1);
    expect(parted.holds(spans[1]!)).toBe(spans[1]!.traceId !== first);
  });
});

describe('following a store', () => {
  test('a refresh reads only the segments that are new or changed, and drops the deleted ones', async () => {
    const dir = tempDir();
    const store = createFileStore({ dir, flushOnExit: false, maxSegmentRecords: 40 });
    const early = spans.slice(0, 100);
    await store.export(asSpans(early));
    await store.flush();
    const { fs, files: parsed } = wholeFileReads();
    const listing = new TraceListing();
    const follower = new SpanFileFollower(await openSource(dir, { fs }), listing);
    const segments = () => readdirSync(join(dir, 'spans')).sort();
    expect(await follower.refresh()).toEqual({ read: segments().length, dropped: 0 });
    expect(all(listing)).toEqual(summariseTraces(early));

    parsed.length = 0;
    expect(await follower.refresh()).toEqual({ read: 0, dropped: 0 });
    expect(parsed).toEqual([]);

    // 10 more spans land in the open (last, part-filled) segment: that one file is read again.
    const before = segments();
    const more = spans.slice(100, 110);
    await store.export(asSpans(more));
    await store.flush();
    expect(segments()).toEqual(before);
    expect(await follower.refresh()).toEqual({ read: 1, dropped: 0 });
    expect(parsed).toEqual([before[before.length - 1]]);
    expect(all(listing)).toEqual(summariseTraces([...early, ...more]));

    // A deleted segment takes its spans out of the listing, read from nothing.
    parsed.length = 0;
    const gone = before[0]!;
    const goneIds = new Set((await (await openSource(dir)).spansOfFile(join(dir, 'spans', gone))).map((s) => s.id));
    unlinkSync(join(dir, 'spans', gone));
    expect(await follower.refresh()).toEqual({ read: 0, dropped: 1 });
    expect(parsed).toEqual([]);
    expect(all(listing)).toEqual(summariseTraces([...early, ...more].filter((s) => !goneIds.has(s.id))));
    await store.shutdown();
  });
});

describe('sorted pages', () => {
  const many = seededSpans(61, 1_300, 1);
  type Summary = ReturnType<typeof summariseTraces>[number];
  const KEYS: Record<TraceSortKey, (t: Summary) => number | string> = {
    start: (t) => t.start,
    duration: (t) => t.durationMs,
    spans: (t) => t.spanCount,
    errors: (t) => t.errors,
    tokens: (t) => t.inputTokens + t.outputTokens,
    cost: (t) => t.costUsd,
    name: (t) => t.rootName,
  };
  /** The documented order: by the key, ties newest first, then by trace id. */
  function sorted(traces: Summary[], key: TraceSortKey, order: 'asc' | 'desc'): Summary[] {
    const sign = order === 'asc' ? 1 : -1;
    return [...traces].sort((a, b) => {
      const x = KEYS[key](a);
      const y = KEYS[key](b);
      const c = typeof x === 'string' ? x.localeCompare(y as string) : x - (y as number);
      return sign * c || b.start - a.start || (a.traceId < b.traceId ? -1 : 1);
    });
  }

  test('every sort and direction pages the same rows near the top and deep down, and stays right as parts change', () => {
    const listing = new TraceListing();
    listing.setPart('a', many.slice(0, 2_000));
    listing.setPart('b', many.slice(2_000));
    const check = (spansNow: SpanData[]): void => {
      const traces = summariseTraces(spansNow);
      for (const key of TRACE_SORT_KEYS) {
        for (const order of ['asc', 'desc'] as const) {
          const expected = sorted(traces, key, order);
          // Near the top (picked while the order is not kept) and beyond PICK_WITHIN_ROWS (kept from then on).
          for (const offset of [0, 100, PICK_WITHIN_ROWS - 100, PICK_WITHIN_ROWS + 100]) {
            expect(listing.query({ sort: key, order, offset, limit: 100 })).toEqual({ total: traces.length, offset, rows: expected.slice(offset, offset + 100) });
          }
          const errors = expected.filter((t) => t.errors > 0);
          expect(listing.query({ sort: key, order, status: 'error', limit: 50 })).toEqual({ total: errors.length, offset: 0, rows: errors.slice(0, 50) });
        }
      }
    };
    check(many);
    // Part b replaced by fewer spans (traces cut short, some gone), then part a dropped.
    listing.setPart('b', many.slice(2_000, 3_500));
    check(many.slice(0, 3_500));
    listing.deletePart('a');
    check(many.slice(2_000, 3_500));
  });

  test('an unknown sort key is a TypeError naming it', () => {
    expect(() => new TraceListing().query({ sort: 'size' as TraceSortKey })).toThrow(/sort must be one of .*got "size"/);
  });
});
