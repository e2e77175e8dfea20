import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeFileSystem } from '../../../lib/extend/index.js';
import { inspectSegment, isOurTempFile, isTempName } from '../../../lib/storage/ownership.js';
import { removeTempDirs, tempDir } from '../../helpers/temp-dir.js';

afterAll(removeTempDirs);

const NAME = '2026-01-01T00-00.42-abcdef-0001.json';

function file(dir: string, name: string, text: string): string {
  mkdirSync(join(dir, 'spans'), { recursive: true });
  const path = join(dir, 'spans', name);
  writeFileSync(path, text);
  return path;
}

function head(schemaVersion: number, kind: string, instance: string): string {
  return JSON.stringify({ format: 'llmtrace.segment', schemaVersion, kind, instance, windowStart: 0, records: [], complete: true });
}

describe('proving a segment is llmtrace\'s', () => {
  test.each([
    ['llmtrace\'s, this schema', head(1, 'spans', '42-abcdef'), 'ours'],
    ['llmtrace\'s, cut short (the head still proves it)', head(1, 'spans', '42-abcdef').slice(0, 100), 'ours'],
    ['a newer schema version', head(2, 'spans', '42-abcdef'), 'newer'],
    ['another kind than its directory', head(1, 'summaries', '42-abcdef'), 'foreign'],
    ['another instance than its name', head(1, 'spans', '1-000000'), 'foreign'],
    ['JSON of another shape', '{"hello":"world","complete":true}', 'foreign'],
    ['keys in another order', JSON.stringify({ schemaVersion: 1, format: 'llmtrace.segment', kind: 'spans', instance: '42-abcdef' }), 'foreign'],
    ['empty', '', 'foreign'],
  ])('%s', async (_what, text, verdict) => {
    const path = file(tempDir(), NAME, text);
    expect(await inspectSegment(nodeFileSystem, path, 'spans')).toBe(verdict);
  });

  test('a file that went away reads as gone; a name that is not a segment name is foreign', async () => {
    const dir = tempDir();
    expect(await inspectSegment(nodeFileSystem, join(dir, 'spans', NAME), 'spans')).toBe('gone');
    expect(await inspectSegment(nodeFileSystem, file(dir, 'notes.json', head(1, 'spans', '42-abcdef')), 'spans')).toBe('foreign');
  });
});

describe('proving a temp file is llmtrace\'s', () => {
  test('needs the .llmtrace- marker in its name and an llmtrace document start in its content', async () => {
    const dir = tempDir();
    expect(isTempName('.meta.json.llmtrace-12-0a1b2c3d.tmp')).toBe(true);
    expect(isTempName('.meta.json.12-0a1b2c3d.tmp')).toBe(false);
    expect(isTempName('.notes.tmp')).toBe(false);
    expect(await isOurTempFile(nodeFileSystem, file(dir, '.a.json.llmtrace-12-0a1b2c3d.tmp', '{"format":"llmtrace.segment","sch'))).toBe(true);
    expect(await isOurTempFile(nodeFileSystem, file(dir, '.b.json.llmtrace-12-0a1b2c3d.tmp', 'user text'))).toBe(false);
    expect(await isOurTempFile(nodeFileSystem, file(dir, '.c.json.llmtrace-12-0a1b2c3d.tmp', ''))).toBe(false);
    expect(await isOurTempFile(nodeFileSystem, file(dir, '.notes.tmp', '{"format":"llmtrace.segment"}'))).toBe(false);
  });
});
