import { readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { configure, TraceStore } from '../../../index.js';
import { createFileStore } from '../../../lib/extend/index.js';
import { openSource, SpanFileFollower, summariseTraces, TraceListing } from '../../../lib/query/index.js';
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
