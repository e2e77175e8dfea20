/**
 * Test helper: runs npm under a chosen Node binary (by default the one running the test). npm
 * picks each package's newest version whose `engines` the running Node satisfies, so an install
 * run by Node 24 resolves what a Node 24 user gets (OpenTelemetry SDK 3, say) and one run by
 * Node 20 resolves the older line. The machine's `npm` command would always run under its own Node.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Path of npm's CLI script (`npm-cli.js`) of the `npm` on PATH. */
export function npmCliScript(): string {
  const fromNpm = process.env['npm_execpath'];
  if (fromNpm && fromNpm.endsWith('npm-cli.js') && existsSync(fromNpm)) return fromNpm;
  const which = spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' });
  const bin = which.stdout.trim();
  if (which.status !== 0 || !bin) throw new Error('npm is not on PATH');
  const script = join(dirname(realpathSync(bin)), 'npm-cli.js');
  if (!existsSync(script)) throw new Error(`no npm-cli.js next to ${realpathSync(bin)}`);
  return script;
}

/** Runs `npm <args>` in `cwd` under `node` (the test's own Node unless given); never throws. */
export function runNpm(args: readonly string[], cwd: string, node: string = process.execPath): SpawnSyncReturns<string> {
  return spawnSync(node, [npmCliScript(), ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 240_000,
    env: { ...process.env, NODE_OPTIONS: '', PATH: `${dirname(node)}:${process.env['PATH'] ?? ''}` },
  });
}
