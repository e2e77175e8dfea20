import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openFileStore } from '../../../index.js';
import { openFileStoreReader } from '../../../lib/extend/index.js';
import { diagnosticCounts, resetDiagnostics } from '../../../lib/internal/diagnostics.js';
import { freshStore } from '../../helpers/fresh-store.js';
import { makeSpans } from '../../helpers/make-spans.js';
import { collect } from '../../helpers/collect.js';
import { removeTempDirs, tempDir } from '../../helpers/temp-dir.js';

beforeAll(() => freshStore()); // hidden logger: diagnostics print nothing
beforeEach(resetDiagnostics);
afterAll(removeTempDirs);


/** A store holding `n` spans in one segment, written by a store that has shut down. */
async function storeWithSpans(n: number): Promise<{ dir: string; segment: string }> {
  const dir = tempDir();
  const writer = await openFileStore({ dir, flushOnExit: false });
  await writer.export(makeSpans(n));
  await writer.shutdown();
  const [name] = readdirSync(join(dir, 'spans'));
  return { dir, segment: join(dir, 'spans', name!) };
}

describe('corrupt files', () => {
  test('a segment of the one-document layout found cut short at start is moved aside, kept byte for byte, and the store keeps working', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'spans'));
    const segment = join(dir, 'spans', '2026-11-24T21-00.123-abcdef-0001.json');
    const records = makeSpans(20).map((s) => s.toJSON());
    const whole = JSON.stringify({ format: 'llmtrace.segment', schemaVersion: 1, kind: 'spans', instance: '123-abcdef', windowStart: 0, records, complete: true });
    const cut = whole.slice(0, Math.floor(whole.length / 2));
    writeFileSync(segment, cut);

    const store = await openFileStore({ dir, flushOnExit: false });
    const names = readdirSync(join(dir, 'spans'));
    const aside = names.filter((n) => n.includes('.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(aside[0]!.startsWith(`${segment.split('/').pop()}.corrupt-`)).toBe(true);
    expect(readFileSync(join(dir, 'spans', aside[0]!), 'utf8')).toBe(cut); // not lost, not overwritten
    expect(store.stats().corruptMovedAside).toBe(1);
    expect(diagnosticCounts()['storage.corrupt-file']).toBe(1);

    await store.export(makeSpans(3));
    await store.shutdown();
    const reader = openFileStoreReader({ dir });
    expect(await collect(reader.readSpans())).toHaveLength(3);
    expect((await reader.stats()).corruptFiles).toBe(1);
  });

  test('a segment corrupt at its head is skipped when read, left byte for byte, and reading goes on with the others', async () => {
    const { dir, segment } = await storeWithSpans(5);
    const other = await openFileStore({ dir, flushOnExit: false });
    await other.export(makeSpans(4));
    await other.shutdown();
    const text = readFileSync(segment, 'utf8');
    expect(text).toContain('"records":[\n{');
    const damaged = text.replace('"records":[\n{', '"records":#garbage#[\n{');
    writeFileSync(segment, damaged);
    const namesBefore = readdirSync(join(dir, 'spans')).sort();

    const reader = openFileStoreReader({ dir });
    expect(await collect(reader.readSpans())).toHaveLength(4);
    expect((await reader.stats()).corruptFoundByReader).toBe(1);
    expect(diagnosticCounts()['storage.read-skipped']).toBe(1);
    expect(readdirSync(join(dir, 'spans')).sort()).toEqual(namesBefore); // a reader renames nothing
    expect(readFileSync(segment, 'utf8')).toBe(damaged);
  });

  test('an old one-document segment corrupt inside (valid-looking tail) is skipped whole when read: only a full parse notices', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'spans'));
    const records = makeSpans(3).map((s) => s.toJSON());
    const whole = JSON.stringify({ format: 'llmtrace.segment', schemaVersion: 1, kind: 'spans', instance: '123-abcdef', windowStart: 0, records, complete: true });
    writeFileSync(join(dir, 'spans', '2026-11-24T21-00.123-abcdef-0001.json'), whole.replace('"records":[{', '"records":[#garbage#{'));
    const reader = openFileStoreReader({ dir });
    expect(await collect(reader.readSpans())).toEqual([]);
    expect((await reader.stats()).corruptFoundByReader).toBe(1);
  });

  test('a meta.json that does not parse is not llmtrace\'s to replace: left byte for byte, reported, spans still stored', async () => {
    const dir = tempDir();
    const foreign = '{"schemaVersion": 1, "createdAt"';
    writeFileSync(join(dir, 'meta.json'), foreign);
    const store = await openFileStore({ dir, flushOnExit: false });
    await store.export(makeSpans(2));
    await store.shutdown();
    expect(readFileSync(join(dir, 'meta.json'), 'utf8')).toBe(foreign);
    expect(readdirSync(dir).filter((n) => n.includes('.corrupt-'))).toHaveLength(0);
    expect(diagnosticCounts()['storage.foreign-file']).toBeGreaterThanOrEqual(1);
    expect(await openFileStoreReader({ dir }).readMeta()).toBeNull();
    expect(await collect(openFileStoreReader({ dir }).readSpans())).toHaveLength(2);
  });

  test('an empty file named like a segment proves nothing: left alone at start and reported', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'spans'));
    const path = join(dir, 'spans', '2026-11-24T21-00.123-abcdef-0001.json');
    writeFileSync(path, '');
    const store = await openFileStore({ dir, flushOnExit: false });
    await store.shutdown();
    expect(readdirSync(join(dir, 'spans'))).toEqual(['2026-11-24T21-00.123-abcdef-0001.json']);
    expect(diagnosticCounts()['storage.foreign-file']).toBe(1);
  });
});
