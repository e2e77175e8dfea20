/**
 * Test helper for CLI tests: builds the package into a private staging folder (never the repo's
 * `dist/`, which other suites rebuild at the same time), packs it with `npm pack`, and installs
 * only that tarball and its declared dependencies into a fresh project, as a user would. Also runs
 * the installed `llmtrace` bin as a child process.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './build-for-children.js';

/** A fresh project with the packed llmtrace installed. */
export interface PackedInstall {
  /** Temp root (remove with `removeInstall`). */
  root: string;
  /** The consumer project folder. */
  project: string;
  /** Path of the installed `llmtrace` bin. */
  bin: string;
}

/** Runs a command, throwing with its output when it fails. */
export function mustRun(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 180_000, env: { ...env, NODE_OPTIONS: '' } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** Builds (the modules and the dashboard page), packs and installs the package into a new project (about 30 s). */
export function packAndInstall(): PackedInstall {
  const root = mkdtempSync(join(tmpdir(), 'llmtrace-cli-'));
  const staging = join(root, 'staging');
  const project = join(root, 'consumer');
  mkdirSync(staging);
  mkdirSync(project);
  const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  mustRun(process.execPath, [tsc, '-p', join(REPO_ROOT, 'tsconfig.build.json'), '--outDir', join(staging, 'dist')], REPO_ROOT);
  // The dashboard page, as `npm run build` (the prepack step) makes it.
  mustRun(process.execPath, [join(REPO_ROOT, 'scripts', 'build-dashboard-ui.mjs'), join(staging, 'dist', 'dashboard', 'ui')], REPO_ROOT);
  for (const file of ['package.json', 'README.md', 'LICENSE']) copyFileSync(join(REPO_ROOT, file), join(staging, file));
  mustRun('npm', ['pack', '--pack-destination', root, '--silent', '--ignore-scripts'], staging);
  const tarball = readdirSync(root).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack wrote no tarball');
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  mustRun('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(root, tarball)], project);
  return { root, project, bin: join(project, 'node_modules', '.bin', 'llmtrace') };
}

/** Removes what `packAndInstall` made. */
export function removeInstall(install: PackedInstall | undefined): void {
  if (install) rmSync(install.root, { recursive: true, force: true });
}
