/**
 * The packed package's types resolve for every TypeScript module resolution a supported TypeScript
 * offers: `node10` (TypeScript <= 6 with `module: commonjs`, through `typesVersions`), `node16` and
 * `bundler`, for the root and every subpath in `exports`; and `attw` (Are The Types Wrong) finds no
 * problem but the one an ESM-only package has by design (docs/dependencies.md explains it). Runs in a
 * fresh project with only the tarball, TypeScript 6 and attw installed.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { REPO_ROOT } from '../helpers/build-for-children.js';
import { installTarball, packTarball, runOrThrow } from '../helpers/packed-tarball.js';

const TYPESCRIPT = 'typescript@6.0.3';
const ATTW = '@arethetypeswrong/cli@0.18.5';

const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
const specifiers = Object.keys(manifest.exports)
  .filter((key) => key !== './package.json')
  .map((key) => (key === '.' ? 'llmtrace' : `llmtrace/${key.slice(2)}`));

let root: string;
let project: string;
let tarball: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'llmtrace-types-'));
  tarball = packTarball(root);
  project = join(root, 'consumer');
  installTarball(project, tarball);
  runOrThrow('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--no-save', TYPESCRIPT, ATTW], project);
}, 600_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

/** Type-checks a consumer importing every entry point under `compilerOptions`, in a folder of its own. */
function typecheck(folder: string, packageType: 'module' | 'commonjs', compilerOptions: Record<string, unknown>): { status: number | null; output: string } {
  const dir = join(project, folder);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: folder, private: true, type: packageType }));
  const lines = specifiers.flatMap((s, i) => [`import * as entry${i} from '${s}';`, `export const names${i}: number = Object.keys(entry${i}).length;`]);
  writeFileSync(join(dir, 'consumer.ts'), `${lines.join('\n')}\n`);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, skipLibCheck: true, types: [], ...compilerOptions }, files: ['consumer.ts'] }));
  const tsc = join(project, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe(`types of the packed package (${specifiers.length} entry points)`, () => {
  it('resolve under node10 resolution (TypeScript 6, module commonjs), through typesVersions', () => {
    const { status, output } = typecheck('node10', 'commonjs', { module: 'commonjs', moduleResolution: 'node10', ignoreDeprecations: '6.0', esModuleInterop: true });
    expect(output).toBe('');
    expect(status).toBe(0);
  });

  it('resolve under node16 resolution from an ES module', () => {
    const { status, output } = typecheck('node16', 'module', { module: 'node16', moduleResolution: 'node16' });
    expect(output).toBe('');
    expect(status).toBe(0);
  });

  it('resolve under bundler resolution', () => {
    const { status, output } = typecheck('bundler', 'module', { module: 'esnext', moduleResolution: 'bundler' });
    expect(output).toBe('');
    expect(status).toBe(0);
  });

  it('leave attw with only the ESM-only finding, which it is told to ignore', () => {
    const attw = join(project, 'node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js');
    // The JSON report is large: into a file, which a child's exit cannot cut short as it can a pipe.
    const reportFile = join(root, 'attw.json');
    const fd = openSync(reportFile, 'w');
    try {
      spawnSync(process.execPath, [attw, tarball, '--format', 'json'], { cwd: project, stdio: ['ignore', fd, 'pipe'] });
    } finally {
      closeSync(fd);
    }
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { analysis: { problems: { kind: string }[] } };
    expect([...new Set(report.analysis.problems.map((p) => p.kind))]).toEqual(['CJSResolvesToESM']);
    const rest = spawnSync(process.execPath, [attw, tarball, '--ignore-rules', 'cjs-resolves-to-esm'], { cwd: project, encoding: 'utf8' });
    expect(rest.status).toBe(0);
  });
});
