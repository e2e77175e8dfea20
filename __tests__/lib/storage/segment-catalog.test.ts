/**
 * The segment catalog (lib/storage/segment-catalog.ts): `open()` and retention cost what changed,
 * not what the store holds. Reads are counted through the file-system seam: a second open of a store
 * reads no segment content whatever its size, and retention reads the head of only the segments it
 * deletes. The catalog is a cache: losing it loses nothing, and one llmtrace did not write is left
 * byte for byte.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openFileStore } from '../../../index.js';
import { openFileStoreReader } from '../../../lib/extend/index.js';
import { diagnosticCounts, resetDiagnostics } from '../../../lib/internal/diagnostics.js';
import { collect } from '../../helpers/collect.js';
import { FaultyFileSystem } from '../../helpers/faulty-fs.js';
import { freshStore } from '../../helpers/fresh-store.js';
import { removeTempDirs, tempDir } from '../../helpers/temp-dir.js';

beforeAll(() => freshStore());
beforeEach(resetDiagnostics);
afterAll(removeTempDirs);

const DAY = 24 * 3_600_000;

/** Plants `count` complete llmtrace span segments of one record each, last modified `ageMs` ago; returns their paths. */
function plantSegments(dir: string, count: number, ageMs: number, instance = '7-abcdef', firstSeq = 1): string[] {
  mkdirSync(join(dir, 'spans'), { recursive: true });
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const seq = firstSeq + i;
    const path = join(dir, 'spans', `2026-01-01T00-00.${instance}-${String(seq).padStart(4, '0')}.json`);
    const record = { traceId: `t${seq}`, id: `s${seq}`, name: `old-${seq}`, endTime: 1 };
    const doc = { format: 'llmtrace.segment', schemaVersion: 1, kind: 'spans', instance, windowStart: 0, traceIds: [`t${seq}`], records: [record], complete: true };
    writeFileSync(path, JSON.stringify(doc));
    const when = (Date.now() - ageMs) / 1000;
    utimesSync(path, when, when);
    paths.push(path);
  }
  return paths;
}

/** Opens and shuts a store on `dir` through a counting file system; returns the calls by operation. */
async function countedOpen(dir: string, retentionMs: number): Promise<Record<string, number>> {
  const fs = new FaultyFileSystem();
  const store = await openFileStore({ dir, fs, retentionMs, flushOnExit: false });
  await store.shutdown();
  return fs.calls;
}

describe('open() and retention read what changed, not what is stored', () => {
  test('a second open reads no segment content and stats none, whether the store holds 5 segments or 60', async () => {
    const calls: Record<string, number>[] = [];
    for (const count of [5, 60]) {
      const dir = tempDir();
      plantSegments(dir, count, 2 * DAY);
      await countedOpen(dir, 30 * DAY); // the first open meets every segment once (tail check and stat)
      calls.push(await countedOpen(dir, 30 * DAY));
      expect(readdirSync(join(dir, 'spans'))).toHaveLength(count); // nothing deleted
    }
    for (const c of calls) {
      expect(c.readTail ?? 0).toBe(0);
      expect(c.readHead ?? 0).toBe(0);
      expect(c.readFile).toBe(2); // meta.json and catalog.json
    }
    expect(calls[1]!.stat).toBe(calls[0]!.stat); // the stats a second open takes do not grow with the store
  });

  test('retention reads the head of only the segments it deletes, and deletes exactly those past the age', async () => {
    const dir = tempDir();
    const old = plantSegments(dir, 3, 10 * DAY, '7-abcdef', 1);
    const recent = plantSegments(dir, 40, 2 * DAY, '7-abcdef', 4);
    await countedOpen(dir, 30 * DAY);
    const calls = await countedOpen(dir, 7 * DAY);
    expect(calls.readHead).toBe(3);
    expect(calls.unlink).toBe(3);
    expect(calls.readTail ?? 0).toBe(0);
    for (const path of old) expect(existsSync(path)).toBe(false);
    for (const path of recent) expect(existsSync(path)).toBe(true);
  });

  test('a segment added by another writer after the catalog was written is checked when next met: cut short, it is moved aside', async () => {
    const dir = tempDir();
    plantSegments(dir, 10, 2 * DAY);
    await countedOpen(dir, 30 * DAY);
    const [added] = plantSegments(dir, 1, 2 * DAY, '8-abcdef');
    const whole = readFileSync(added!, 'utf8');
    writeFileSync(added!, whole.slice(0, whole.length - 20));
    const fs = new FaultyFileSystem();
    const store = await openFileStore({ dir, fs, retentionMs: 30 * DAY, flushOnExit: false });
    await store.shutdown();
    expect(fs.calls.readTail).toBe(1); // only the new segment
    expect(store.stats().corruptMovedAside).toBe(1);
    expect(readdirSync(join(dir, 'spans')).filter((n) => n.includes('.corrupt-'))).toHaveLength(1);
  });
});

describe('the catalog is a cache', () => {
  test('deleting catalog.json loses nothing: the next open finds every segment again', async () => {
    const dir = tempDir();
    plantSegments(dir, 4, 2 * DAY);
    await countedOpen(dir, 30 * DAY);
    rmSync(join(dir, 'catalog.json'));
    const calls = await countedOpen(dir, 30 * DAY);
    expect(calls.readTail).toBe(4);
    expect(await collect(openFileStoreReader({ dir }).readSpans())).toHaveLength(4);
    expect(existsSync(join(dir, 'catalog.json'))).toBe(true);
  });

  test('a catalog.json llmtrace did not write is left byte for byte, and retention still works without one', async () => {
    const dir = tempDir();
    const foreign = '{"segments":"mine"}';
    writeFileSync(join(dir, 'catalog.json'), foreign);
    const [old] = plantSegments(dir, 1, 10 * DAY);
    const recent = plantSegments(dir, 2, 1 * DAY, '7-abcdef', 2);
    await countedOpen(dir, 7 * DAY);
    await countedOpen(dir, 7 * DAY);
    expect(readFileSync(join(dir, 'catalog.json'), 'utf8')).toBe(foreign);
    expect(existsSync(old!)).toBe(false);
    for (const path of recent) expect(existsSync(path)).toBe(true);
    expect(diagnosticCounts()['storage.foreign-file']).toBeGreaterThan(0);
  });

  test('a catalog of a newer schema version is left as it is', async () => {
    const dir = tempDir();
    const newer = JSON.stringify({ format: 'llmtrace.catalog', schemaVersion: 99, segments: {} });
    writeFileSync(join(dir, 'catalog.json'), newer);
    plantSegments(dir, 2, 1 * DAY);
    await countedOpen(dir, 7 * DAY);
    expect(readFileSync(join(dir, 'catalog.json'), 'utf8')).toBe(newer);
  });

  test('a segment its writer may still rewrite is stat\'ed again by each pass, so the disk bound counts its growth', async () => {
    const dir = tempDir();
    const [live] = plantSegments(dir, 1, 60_000); // the newest of its window, written a minute ago
    await countedOpen(dir, 30 * DAY);
    const doc = JSON.parse(readFileSync(live!, 'utf8')) as { records: unknown[] };
    doc.records.push({ traceId: 't1', id: 'grown', name: 'x'.repeat(50_000), endTime: 1 }); // its writer rewrites it
    writeFileSync(live!, JSON.stringify(doc));
    const store = await openFileStore({ dir, retentionMs: 30 * DAY, maxStoreBytes: 40_000, flushOnExit: false });
    await store.shutdown();
    expect(existsSync(live!)).toBe(false); // counted at its new size, over the bound: the oldest went
  });
});
