/**
 * The dashboard's trace list follows the store: after a span lands, only the segment it landed in
 * is read again, and the list shows it (a new trace appears, the counts are those of all spans).
 * In-process mode counts a span that is both in memory and on disk once.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DashboardSource, LISTING_RECHECK_MS } from '../../dashboard/server/dashboard-source.js';
import { configure, TraceStore } from '../../index.js';
import { createFileStore } from '../../lib/extend/index.js';
import { summariseTraces } from '../../lib/query/index.js';
import { wholeFileReads } from '../helpers/faulty-fs.js';
import { makeSpan } from '../helpers/make-spans.js';
import { asSpans, seededSpans } from '../helpers/query-store.js';
import { removeTempDirs, tempDir } from '../helpers/temp-dir.js';

beforeAll(() => configure({ store: new TraceStore(), logger: { format: 'hidden' } }));
afterAll(removeTempDirs);

describe('the dashboard trace list', () => {
  test('after a new span lands, only its segment is read again and the list shows the new trace with the right counts', async () => {
    const dir = tempDir();
    const store = createFileStore({ dir, flushOnExit: false, maxSegmentRecords: 50 });
    const spans = seededSpans(51, 40);
    const first = spans.slice(0, 178); // the 30th trace cut short: 4 of its 6 spans
    await store.export(asSpans(first));
    await store.flush();
    const { fs, files: parsed } = wholeFileReads();
    const source = new DashboardSource(dir, undefined, fs);
    let now = Date.now();
    const listing = await source.listing(now);
    expect(listing.query({ limit: 1_000 }).rows).toEqual(summariseTraces(first));
    const segments = readdirSync(join(dir, 'spans')).sort();
    expect(parsed.sort()).toEqual(segments);

    // The rest of the 30th trace and all of the 31st land in the open segment.
    parsed.length = 0;
    const landed = spans.slice(178, 186);
    await store.export(asSpans(landed));
    await store.flush();
    now += LISTING_RECHECK_MS;
    const after = await source.listing(now);
    expect(parsed).toEqual([segments[segments.length - 1]]);
    const expected = summariseTraces([...first, ...landed]);
    const page = after.query({ limit: 1_000 });
    expect(page.total).toBe(expected.length);
    expect(page.rows).toEqual(expected);
    const newTrace = landed[landed.length - 1]!.traceId;
    expect(first.some((s) => s.traceId === newTrace)).toBe(false);
    expect(after.get(newTrace)!.spanCount).toBe(landed.filter((s) => s.traceId === newTrace).length);
    const grown = first[first.length - 1]!.traceId;
    expect(after.get(grown)!.spanCount).toBe(6);
    await store.shutdown();
  });

  test('in-process mode counts a span that is in memory and on disk once, and lists memory-only spans', async () => {
    const dir = tempDir();
    const memory = new TraceStore();
    const onDisk = makeSpan({ name: 'stored' });
    const both = makeSpan({ name: 'both', parent: onDisk });
    const memoryOnly = makeSpan({ name: 'fresh', parent: onDisk });
    const store = createFileStore({ dir, flushOnExit: false });
    await store.export([onDisk, both]);
    await store.shutdown();
    memory.add(both);
    memory.add(memoryOnly);
    const source = new DashboardSource(dir, memory);
    const listing = await source.listing();
    expect(listing.size).toBe(1);
    expect(listing.get(onDisk.traceId)!.spanCount).toBe(3);
    expect((await source.traceSpans(onDisk.traceId)).map((s) => s.name).sort()).toEqual(['both', 'fresh', 'stored']);
  });
});
