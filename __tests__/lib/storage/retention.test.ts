import { mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openFileStore } from '../../../index.js';
import { freshStore } from '../../helpers/fresh-store.js';
import { makeSpans } from '../../helpers/make-spans.js';
import { removeTempDirs, tempDir } from '../../helpers/temp-dir.js';

beforeAll(() => freshStore());
afterAll(removeTempDirs);

const DAY = 24 * 3_600_000;

/** Writes a complete-looking segment file of `bytes` bytes, last modified `ageMs` ago. */
function oldSegment(dir: string, name: string, ageMs: number, bytes = 100): string {
  mkdirSync(join(dir, 'spans'), { recursive: true });
  const path = join(dir, 'spans', name);
  const doc = { format: 'llmtrace.segment', schemaVersion: 1, kind: 'spans', instance: '1-aaaaaa', windowStart: 0, records: [] as string[], complete: true };
  doc.records.push('x'.repeat(Math.max(0, bytes - JSON.stringify(doc).length - 2)));
  writeFileSync(path, JSON.stringify(doc));
  const when = (Date.now() - ageMs) / 1000;
  utimesSync(path, when, when);
  return path;
}

describe('retention', () => {
  test('segment files older than the retention age are deleted at start; recent and corrupt-aside files stay', async () => {
    const dir = tempDir();
    oldSegment(dir, '2026-01-01T00-00.1-aaaaaa-0001.json', 10 * DAY);
    oldSegment(dir, '2026-01-08T00-00.1-aaaaaa-0002.json', 1 * DAY);
    writeFileSync(join(dir, 'spans', '2026-01-01T00-00.1-aaaaaa-0000.json.corrupt-2026-01-01'), 'kept for a person');
    utimesSync(join(dir, 'spans', '2026-01-01T00-00.1-aaaaaa-0000.json.corrupt-2026-01-01'), 0, 0);
    const store = await openFileStore({ dir, retentionMs: 7 * DAY, flushOnExit: false });
    await store.shutdown();
    expect(readdirSync(join(dir, 'spans')).sort()).toEqual([
      '2026-01-01T00-00.1-aaaaaa-0000.json.corrupt-2026-01-01',
      '2026-01-08T00-00.1-aaaaaa-0002.json',
    ]);
  });

  test('when the total size is over the limit, the oldest segments go first, after a rotation too', async () => {
    const dir = tempDir();
    oldSegment(dir, '2026-01-01T00-00.1-aaaaaa-0001.json', 3 * 3_600_000, 40_000);
    oldSegment(dir, '2026-01-01T01-00.1-aaaaaa-0002.json', 2 * 3_600_000, 40_000);
    const store = await openFileStore({ dir, maxStoreBytes: 100_000, maxSegmentRecords: 50, flushOnExit: false });
    expect(readdirSync(join(dir, 'spans'))).toHaveLength(2); // 80 kB fits
    await store.export(makeSpans(200, { attributes: { pad: 'y'.repeat(200) } })); // ~4 rotations, ~100 kB more
    await store.shutdown();
    const names = readdirSync(join(dir, 'spans'));
    expect(names).not.toContain('2026-01-01T00-00.1-aaaaaa-0001.json');
    expect(names.filter((n) => n.includes(store.instance)).length).toBeGreaterThan(0);
  });
});
