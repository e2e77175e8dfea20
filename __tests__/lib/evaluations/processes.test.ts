/**
 * Evaluations across processes: two programs recording into one store at once lose nothing, and
 * evaluations still queued when SIGTERM arrives are flushed before the process ends. The children
 * run the packed tarball, installed once for this file in a fresh project (helpers/packed-install.ts).
 */
import { spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readEvaluations, type EvaluationRecord } from '../../../index.js';
import { openFileStoreReader } from '../../../lib/extend/index.js';
import { packAndInstall, removeInstall, type PackedInstall } from '../../helpers/packed-install.js';
import { removeTempDirs, tempDir } from '../../helpers/temp-dir.js';

const CHILD_SOURCE = fileURLToPath(new URL('../../helpers/evaluations-child.mjs', import.meta.url));
let install: PackedInstall | undefined;
let CHILD = '';

beforeAll(() => {
  install = packAndInstall();
  CHILD = join(install.project, 'evaluations-child.mjs');
  copyFileSync(CHILD_SOURCE, CHILD);
}, 180_000);
afterAll(() => {
  removeInstall(install);
  removeTempDirs();
});

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runChild(dir: string, args: string[]): Promise<Exit> {
  const proc = spawn(process.execPath, [CHILD, ...args], {
    cwd: install!.project,
    env: { ...process.env, NODE_OPTIONS: '', LLMTRACE_TEST_DIR: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

async function all(dir: string): Promise<EvaluationRecord[]> {
  const out: EvaluationRecord[] = [];
  for await (const record of readEvaluations(dir)) out.push(record);
  return out;
}

test('two processes recording evaluations into one store at the same time lose nothing', async () => {
  const dir = tempDir();
  const [a, b] = await Promise.all([runChild(dir, ['write', '300', 'A']), runChild(dir, ['write', '300', 'B'])]);
  expect([a.code, b.code, a.stderr, b.stderr]).toEqual([0, 0, '', '']);
  expect([a.stdout.trim(), b.stdout.trim()]).toEqual(['done 300', 'done 300']);
  const records = await all(dir);
  expect(records).toHaveLength(600);
  expect(new Set(records.map((r) => r.id)).size).toBe(600);
  for (const tag of ['A', 'B']) {
    const mine = records.filter((r) => r.type === 'decision' && r.evaluator === `arbiter-${tag}`);
    expect(mine).toHaveLength(300);
    expect(new Set(mine.map((r) => r.traceId)).size).toBe(300); // each linked to its own traced call
  }
  const stats = await openFileStoreReader({ dir }).stats();
  expect(stats.evaluationSegments).toBeGreaterThanOrEqual(12); // 50 records a segment, per process
  expect(stats.corruptFoundByReader).toBe(0);
}, 60_000);

test('evaluations still queued when SIGTERM arrives are on disk after the process ends by that signal', async () => {
  const dir = tempDir();
  const exit = await runChild(dir, ['sigterm', '120', 'T']);
  expect(exit.signal).toBe('SIGTERM');
  const values = (await all(dir)).map((r) => (r.type === 'score' ? r.value : undefined));
  expect(values).toEqual(Array.from({ length: 120 }, (_, i) => i));
}, 60_000);
