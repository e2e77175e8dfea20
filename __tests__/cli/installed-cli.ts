/**
 * Test helper for the CLI tests: the `llmtrace` bin of the packed tarball installed in a fresh
 * project (helpers/packed-install.ts), run as a child process in a project folder with a clean
 * environment (no colour, no LLMTRACE_DIR, no NODE_OPTIONS), as a user's shell would run it.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import type { PackedInstall } from '../helpers/packed-install.js';

/** The environment the CLI runs with: the test's, minus what would change its output. */
export function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', NODE_OPTIONS: '' };
  delete env.LLMTRACE_DIR;
  delete env.FORCE_COLOR;
  return { ...env, ...extra };
}

/**
 * Runs the packed install's `llmtrace <args>` in `cwd` and waits for it (at most `timeoutMs`: a
 * command that wrongly keeps running, `tail` or `dashboard`, then ends with status null).
 */
export function runInstalledCli(install: PackedInstall, cwd: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): SpawnSyncReturns<string> {
  return spawnSync(install.bin, [...args], { cwd, encoding: 'utf8', timeout: options.timeoutMs ?? 30_000, env: cliEnv(options.env) });
}
