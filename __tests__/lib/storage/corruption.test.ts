import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openFileStore, openFileStoreReader } from '../../../index.js';
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
  test('a truncated segment found at start is moved aside, kept byte for byte, and the store keeps working', async () => {
    const { dir, segment } = await storeWithSpans(20);
    const whole = readFileSync(segment, 'utf8');
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

  test('a segment corrupt inside is moved aside when read, and reading goes on with the others', async () => {
    const { dir, segment } = await storeWithSpans(5);
    const other = await openFileStore({ dir, flushOnExit: false });
    await other.export(makeSpans(4));
    await other.shutdown();
    // Garbage in the middle but a valid-looking tail: only a full parse notices.
    const text = readFileSync(segment, 'utf8');
    expect(text).toContain('"records":[{');
    writeFileSync(segment, text.replace('"records":[{', '"records":[#garbage#{'));

    const reader = openFileStoreReader({ dir });
    expect(await collect(reader.readSpans())).toHaveLength(4);
    expect((await reader.stats()).corruptFoundByReader).toBe(1);
    expect(readdirSync(join(dir, 'spans')).filter((n) => n.includes('.corrupt-'))).toHaveLength(1);
  });

  test('a corrupt meta.json is moved aside and rewritten', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'meta.json'), '{"schemaVersion": 1, "createdAt"');
    const store = await openFileStore({ dir, flushOnExit: false });
    await store.shutdown();
    expect(readdirSync(dir).filter((n) => n.startsWith('meta.json.corrupt-'))).toHaveLength(1);
    expect(await openFileStoreReader({ dir }).readMeta()).toMatchObject({ schemaVersion: 1 });
  });

  test('a segment file that is empty is moved aside at start', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'spans'));
    writeFileSync(join(dir, 'spans', '2026-11-24T21-00.123-abcdef-0001.json'), '');
    const store = await openFileStore({ dir, flushOnExit: false });
    await store.shutdown();
    expect(readdirSync(join(dir, 'spans')).some((n) => n.startsWith('2026-11-24T21-00.123-abcdef-0001.json.corrupt-'))).toBe(true);
  });
});
