/**
 * Test helper for suites that run the PACKED package in a fresh project (exit paths, packaging):
 * compiles the package into a private staging folder (never the repo's `dist/`, which another
 * suite may be rebuilding at the same moment), packs it with `npm pack` there, and installs the
 * tarball into an empty project with only its declared dependencies (no fallback to this repo's
 * node_modules). Call once per suite (in `beforeAll`).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './build-for-children.js';

/** Runs a command; throws with its output when it fails. */
export function runOrThrow(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 180_000, env: { ...process.env, NODE_OPTIONS: '' } });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

/** Builds and packs the package under `workDir`; returns the tarball's path. */
export function packTarball(workDir: string): string {
  const staging = join(workDir, 'staging');
  mkdirSync(staging, { recursive: true });
  const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  runOrThrow(process.execPath, [tsc, '-p', join(REPO_ROOT, 'tsconfig.build.json'), '--outDir', join(staging, 'dist')], REPO_ROOT);
  for (const file of ['package.json', 'README.md', 'LICENSE']) {
    if (existsSync(join(REPO_ROOT, file))) copyFileSync(join(REPO_ROOT, file), join(staging, file));
  }
  runOrThrow('npm', ['pack', '--pack-destination', workDir, '--silent', '--ignore-scripts'], staging);
  const tarball = readdirSync(workDir).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack wrote no tarball');
  return join(workDir, tarball);
}

/** Creates `project` (an ESM package) and installs `tarball` and its declared dependencies into it. */
export function installTarball(project: string, tarball: string): void {
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  runOrThrow('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], project);
}
