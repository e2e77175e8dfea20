/**
 * Test helper for the CLI tests: the `llmtrace` bin run as a child process in a project folder,
 * with a clean environment (no colour, no LLMTRACE_DIR, no NODE_OPTIONS), as a user's shell would
 * run it. From the packed tarball installed in a fresh project (`runInstalledCli`, what the suites
 * of the command's behaviour use), or from the package compiled by buildForChildren (a private
 * folder, never `dist/`) for suites that only need the modules.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { join } from 'node:path';
import { buildForChildren } from '../helpers/build-for-children.js';
import type { PackedInstall } from '../helpers/packed-install.js';

/** The environment the CLI runs with: the test's, minus what would change its output. */
export function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', NODE_OPTIONS: '' };
  delete env.LLMTRACE_DIR;
  delete env.FORCE_COLOR;
  return { ...env, ...extra };
}

/** Compiles the package for child processes; returns the build folder (remove it with removeBuild). */
export function buildCli(): string {
  return buildForChildren(['cli/main.js']);
}

/** The path of the built bin in `build`. */
export function cliBin(build: string): string {
  return join(build, 'cli', 'main.js');
}

/**
 * Runs `llmtrace <args>` from `build` in `cwd` and waits for it (at most `timeoutMs`: a command
 * that wrongly keeps running, `tail` or `dashboard`, then ends with status null).
 */
export function runCli(build: string, cwd: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [cliBin(build), ...args], { cwd, encoding: 'utf8', timeout: options.timeoutMs ?? 30_000, env: cliEnv(options.env) });
}

/**
 * Runs the packed install's `llmtrace <args>` in `cwd` and waits for it (at most `timeoutMs`), as
 * `runCli` does for a build.
 */
export function runInstalledCli(install: PackedInstall, cwd: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): SpawnSyncReturns<string> {
  return spawnSync(install.bin, [...args], { cwd, encoding: 'utf8', timeout: options.timeoutMs ?? 30_000, env: cliEnv(options.env) });
}
