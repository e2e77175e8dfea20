/**
 * Rejection semantics are those of the untraced program (issue 8, point 6): each scenario runs in a
 * child process twice, traced (the packed tarball installed in a fresh project) and untraced
 * (llmtrace not loaded),
 * and both must end with the same exit code, signal, stdout and stderr. Covers Promise subclasses
 * (returned as the same object), plain async functions, and a native promise the program handles itself
 * returned by a call whose result is ignored (a prefetch: it crashed the traced program once).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packAndInstall, removeInstall, type PackedInstall } from '../helpers/packed-install.js';

let install: PackedInstall | undefined;
let child = '';

beforeAll(() => {
  install = packAndInstall();
  child = join(install.project, 'rejection-child.mjs');
  copyFileSync(fileURLToPath(new URL('../helpers/rejection-child.mjs', import.meta.url)), child);
}, 180_000);
afterAll(() => removeInstall(install));

function run(mode: 'traced' | 'untraced', scenario: string): { status: number | null; signal: string | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [child, mode, scenario], {
    cwd: install!.project,
    env: { ...process.env, NODE_OPTIONS: '' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

const CRASHES = ['subclass-unhandled', 'subclass-handled-late', 'async-unhandled', 'nested-async-unhandled', 'other-realm-async-unhandled', 'subclass-string-reason'];
const LIVES = ['subclass-handled', 'subclass-rejected-handled', 'subclass-awaited', 'listener-sees-reason', 'plain-prefetched', 'async-memoised-handled'];

describe('unhandled rejections of traced calls, compared with an untraced twin', () => {
  it.each(CRASHES)('%s: crashes exactly as untraced', (scenario) => {
    const untraced = run('untraced', scenario);
    expect(untraced.status).toBe(1); // the twin really crashes: the comparison below means something
    expect(run('traced', scenario)).toEqual(untraced);
  });

  it.each(LIVES)('%s: lives exactly as untraced', (scenario) => {
    const untraced = run('untraced', scenario);
    expect(untraced.status).toBe(0);
    expect(untraced.stdout).not.toBe('');
    expect(run('traced', scenario)).toEqual(untraced);
  });
});
