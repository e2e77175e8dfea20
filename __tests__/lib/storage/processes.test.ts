/**
 * Child-process tests of the file store: a writer killed with SIGKILL mid-flush, SIGTERM with spans
 * still pending, and two processes sharing one directory. The children run the packed tarball,
 * installed once for this file in a fresh project (helpers/packed-install.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openFileStore, type SpanData } from '../../../index.js';
import { openFileStoreReader } from '../../../lib/extend/index.js';
import { packAndInstall, removeInstall, type PackedInstall } from '../../helpers/packed-install.js';
import { removeTempDirs, tempDir } from '../../helpers/temp-dir.js';

const CHILD_SOURCE = fileURLToPath(new URL('../../helpers/storage-child.mjs', import.meta.url));
let install: PackedInstall | undefined;
let CHILD = '';

beforeAll(() => {
  install = packAndInstall();
  CHILD = join(install.project, 'storage-child.mjs');
  copyFileSync(CHILD_SOURCE, CHILD);
}, 180_000);
afterAll(() => {
  removeInstall(install);
  removeTempDirs();
});

interface Child {
  proc: ChildProcess;
  /** Resolves with the first stdout line matching `pattern`. */
  waitFor(pattern: RegExp): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; stdout: string }>;
}

function startChild(dir: string, args: string[]): Child {
  const proc = spawn(process.execPath, [CHILD, ...args], {
    cwd: install!.project,
    env: { ...process.env, NODE_OPTIONS: '', LLMTRACE_TEST_DIR: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  proc.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const line of stdout.split('\n')) {
      for (const w of waiters.splice(0)) {
        if (w.pattern.test(line)) w.resolve(line);
        else waiters.push(w);
      }
    }
  });
  proc.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; stdout: string }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal, stderr, stdout })),
  );
  return {
    proc,
    exited,
    waitFor: (pattern) =>
      Promise.race([
        new Promise<string>((resolve) => waiters.push({ pattern, resolve })),
        exited.then((e) => {
          throw new Error(`child exited (${e.code ?? e.signal}) before ${pattern}: ${e.stderr}`);
        }),
      ]),
  };
}

async function readAll(dir: string): Promise<SpanData[]> {
  const out: SpanData[] = [];
  for await (const span of openFileStoreReader({ dir }).readSpans()) out.push(span);
  return out;
}

describe('file store across processes', () => {
  test('a writer killed with SIGKILL in the middle of flushing loses at most the lines it was writing', async () => {
    for (const round of [1, 2, 3]) {
      const dir = tempDir();
      const child = startChild(dir, ['flush-loop']);
      await child.waitFor(/^flushed 3$/);
      // Kill at a varying moment within the next flushes (each appends 500 spans, about 350 KB).
      await new Promise((resolve) => setTimeout(resolve, 7 * round));
      child.proc.kill('SIGKILL');
      const exit = await child.exited;
      expect(exit.signal).toBe('SIGKILL');

      const names = readdirSync(join(dir, 'spans')).filter((n) => !n.startsWith('.'));
      expect(names.length).toBeGreaterThan(0);
      const reader = openFileStoreReader({ dir });
      const spans: SpanData[] = [];
      for await (const span of reader.readSpans()) spans.push(span);
      // Every flush that completed is there; of the one under way, at most its last line is cut
      // (read around: at most the one segment being written reports it).
      expect(spans.length).toBeGreaterThanOrEqual(3 * 500);
      expect(new Set(spans.map((s) => s.id)).size).toBe(spans.length);
      expect((await reader.stats()).corruptFoundByReader).toBeLessThanOrEqual(1);

      // The next store to open the directory moves nothing aside and every span still reads.
      const next = await openFileStore({ dir, flushOnExit: false });
      await next.shutdown();
      expect(readdirSync(join(dir, 'spans')).filter((n) => n.includes('.corrupt-'))).toEqual([]);
      expect(await readAll(dir)).toHaveLength(spans.length);
    }
  }, 60_000);

  test('SIGTERM with spans still pending: they are on disk after the child exits, and it exits by SIGTERM', async () => {
    const dir = tempDir();
    const child = startChild(dir, ['sigterm', '250']);
    const ready = await child.waitFor(/^ready /);
    expect(ready).toBe('ready 0'); // nothing written before the signal
    child.proc.kill('SIGTERM');
    const exit = await child.exited;
    expect(exit.signal).toBe('SIGTERM');
    const spans = await readAll(dir);
    expect(spans).toHaveLength(250);
    expect(new Set(spans.map((s) => s.id)).size).toBe(250);
  }, 30_000);

  test('two processes writing one directory at the same time lose nothing', async () => {
    const dir = tempDir();
    const a = startChild(dir, ['write', '600']);
    const b = startChild(dir, ['write', '600']);
    const [ea, eb] = await Promise.all([a.exited, b.exited]);
    expect([ea.code, eb.code, ea.stderr, eb.stderr]).toEqual([0, 0, '', '']);
    expect([ea.stdout.trim(), eb.stdout.trim()]).toEqual(['done 600', 'done 600']);
    const spans = await readAll(dir);
    expect(spans).toHaveLength(1200);
    expect(new Set(spans.map((s) => s.id)).size).toBe(1200);
    const meta = await openFileStoreReader({ dir }).readMeta();
    expect(meta!.processes).toHaveLength(2);
    expect(new Set(meta!.processes.map((p) => p.pid))).toEqual(new Set([a.proc.pid, b.proc.pid]));
  }, 30_000);
});
