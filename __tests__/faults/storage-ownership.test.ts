/**
 * Fault matrix, file store, point 5 of issue 8: touch only what is ours. Files in the store
 * directory that llmtrace did not write (user temp files, foreign JSON named like llmtrace's,
 * segments of a newer schema version) are left byte for byte across open, write, retention and
 * every read; llmtrace's own old segments and stale temp files are still cleaned up; an existing
 * directory is tightened to 0700 or a warning says why not.
 */
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openFileStore } from '../../index.js';
import { openFileStoreReader, readSessionFile } from '../../lib/extend/index.js';
import { diagnosticCounts, resetDiagnostics } from '../../lib/internal/diagnostics.js';
import { collect } from '../helpers/collect.js';
import { FaultyFileSystem } from '../helpers/faulty-fs.js';
import { freshStore } from '../helpers/fresh-store.js';
import { makeSpans } from '../helpers/make-spans.js';
import { listFilesDeep, removeTempDirs, tempDir } from '../helpers/temp-dir.js';

beforeAll(() => freshStore());
beforeEach(resetDiagnostics);
afterAll(removeTempDirs);

const DAY = 24 * 3_600_000;

/** Writes `text` at `dir/rel`, last modified `ageMs` ago. */
function plant(dir: string, rel: string, text: string, ageMs = 30 * DAY): string {
  const path = join(dir, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  const when = (Date.now() - ageMs) / 1000;
  utimesSync(path, when, when);
  return path;
}

function segmentText(schemaVersion: number, instance: string, records: unknown[] = [], complete = true): string {
  const doc = { format: 'llmtrace.segment', schemaVersion, kind: 'spans', instance, windowStart: 0, records };
  const text = JSON.stringify(complete ? { ...doc, complete: true } : doc);
  return complete ? text : text.slice(0, -10);
}

/** Foreign files of every kind the store could mistake for its own, planted old (past any retention). */
function plantForeignFiles(dir: string): string[] {
  return [
    plant(dir, '.notes.tmp', 'user temp file in the store root'),
    plant(dir, 'spans/.draft.tmp', 'user temp file among segments'),
    plant(dir, 'processes/.x.tmp', 'user temp file among process records'),
    plant(dir, '.meta.json.123-abcdef12.tmp', '{"schemaVersion":1}'), // looks like an old-style llmtrace temp name
    plant(dir, 'spans/.seg.json.llmtrace-1-deadbeef.tmp', 'not llmtrace content behind an llmtrace temp name'),
    plant(dir, 'processes/foreign.json', '{"not":"ours"}'),
    plant(dir, 'processes/garbage.json', 'not json at all'),
    plant(dir, 'spans/2020-01-01T00-00.1-aaaaaa-0001.json', '{"hello":"world","complete":true}'),
    plant(dir, 'spans/2020-01-01T00-00.1-bbbbbb-0001.json', '{"no tail at all"'),
    plant(dir, 'spans/2020-01-01T00-00.1-dddddd-0001.json', segmentText(1, 'someone-else')), // content names another instance
    plant(dir, 'summaries/2020-01-01T00-00.1-eeeeee-0001.json', segmentText(1, '1-eeeeee')), // a spans doc in summaries/
    plant(dir, 'spans/2020-01-01T00-00.2-cccccc-0001.json', segmentText(2, '2-cccccc', [{ future: true }])), // newer schema
    plant(dir, 'spans/2020-01-01T01-00.2-cccccc-0002.json', segmentText(2, '2-cccccc', [], false)), // newer schema, cut short
    plant(dir, 'notes.txt', 'a user note'),
    plant(dir, 'spans/README', 'a user readme'),
    plant(dir, 'sessions/session-mine.jsonl', '{"type":"custom"}\nnot json\n'),
  ];
}

function hashes(paths: readonly string[]): Record<string, string> {
  return Object.fromEntries(paths.map((p) => [p, existsSync(p) ? createHash('sha256').update(readFileSync(p)).digest('hex') : 'MISSING']));
}

describe('foreign files are left byte for byte', () => {
  test('across open, writes with rotations, retention on age and size, shutdown and every read', async () => {
    const dir = tempDir();
    const foreign = plantForeignFiles(dir);
    // llmtrace's own leftovers, which must still be cleaned up: an old segment and a stale temp file.
    const ownOld = plant(dir, 'spans/2020-01-01T00-00.7-abcdef-0001.json', segmentText(1, '7-abcdef', [{ old: true }]));
    const ownTemp = plant(dir, `spans/.2020-01-01T00-00.7-abcdef-0002.json.llmtrace-7-0123abcd.tmp`, segmentText(1, '7-abcdef', [], false));
    const before = hashes(foreign);

    const store = await openFileStore({ dir, flushOnExit: false, retentionMs: DAY, maxStoreBytes: 20_000, maxSegmentRecords: 10 });
    for (let i = 0; i < 10; i++) {
      await store.export(makeSpans(10, { attributes: { pad: 'p'.repeat(300) } }));
      await store.flush();
    }
    store.writeSummaries([]);
    await store.shutdown();

    const reader = openFileStoreReader({ dir });
    await collect(reader.readSpans());
    await reader.readSummaries();
    await reader.readMeta();
    const stats = await reader.stats();
    await readSessionFile(join(dir, 'sessions/session-mine.jsonl'));

    expect(hashes(foreign)).toEqual(before);
    expect(listFilesDeep(dir).filter((p) => p.includes('.corrupt-'))).toEqual([]);
    expect(existsSync(ownOld)).toBe(false); // retention still deletes llmtrace's own old segments
    expect(existsSync(ownTemp)).toBe(false); // and the start check llmtrace's own stale temp files
    expect(stats.newerSchemaSkipped).toBe(1);
    expect(diagnosticCounts()['storage.foreign-file']).toBeGreaterThan(0);
    expect(diagnosticCounts()['storage.newer-schema']).toBeGreaterThan(0);
  });

  test('a second store opening the same directory, and a reader of a store holding only foreign files, change nothing', async () => {
    const dir = tempDir();
    const foreign = plantForeignFiles(dir);
    const before = hashes(foreign);
    const names = listFilesDeep(dir).sort();
    const reader = openFileStoreReader({ dir });
    expect(await collect(reader.readSpans())).toEqual([]);
    expect(await reader.readMeta()).toBeNull();
    await reader.stats();
    expect(listFilesDeep(dir).sort()).toEqual(names); // a reader creates, renames and deletes nothing
    for (let i = 0; i < 2; i++) {
      const store = await openFileStore({ dir, flushOnExit: false, retentionMs: 1, maxStoreBytes: 1 });
      await store.export(makeSpans(3));
      await store.shutdown();
    }
    expect(hashes(foreign)).toEqual(before);
  });

  test('a reader meeting a newer-schema segment skips it and counts it, and leaves it in place', async () => {
    const dir = tempDir();
    const newer = plant(dir, 'spans/2020-01-01T00-00.2-cccccc-0001.json', segmentText(2, '2-cccccc', [{ id: 'x', endTime: 1 }]));
    const reader = openFileStoreReader({ dir });
    expect(await collect(reader.readSpans())).toEqual([]);
    expect((await reader.stats()).newerSchemaSkipped).toBe(1);
    expect(existsSync(newer)).toBe(true);
  });
});

describe('the store directory is private', () => {
  test('an existing 0755 store directory is tightened to 0700', async () => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    const store = await openFileStore({ dir, flushOnExit: false });
    await store.shutdown();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const sub of ['spans', 'summaries', 'processes']) expect(statSync(join(dir, sub)).mode & 0o777).toBe(0o700);
  });

  test('when tightening fails, a warning names the directory and the store keeps writing', async () => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    const fs = new FaultyFileSystem((op) => (op === 'chmod' ? 'EPERM' : undefined));
    const store = await openFileStore({ dir, fs, flushOnExit: false });
    await store.export(makeSpans(2));
    await store.shutdown();
    expect(diagnosticCounts()['storage.dir-mode']).toBeGreaterThanOrEqual(1);
    expect(store.stats().writtenSpans).toBe(2);
    expect(readdirSync(join(dir, 'spans'))).toHaveLength(1);
  });
});
