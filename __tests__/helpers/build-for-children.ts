/**
 * Test helper for child-process tests: compiles the package once per test file into a private
 * folder (not `dist/`, which other runs may be rebuilding) under `node_modules/.cache`, so that
 * plain `.mjs` child scripts can import the built modules and still resolve dependencies.
 * Type errors elsewhere do not stop the emit; the helper checks that the modules it needs exist.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Compiles the package into a fresh folder and returns it. `required` are paths relative to it. */
export function buildForChildren(required: readonly string[]): string {
  const out = join(REPO_ROOT, 'node_modules', '.cache', 'llmtrace-test-build', `${process.pid}-${Date.now()}`);
  mkdirSync(out, { recursive: true });
  const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    execFileSync(
      process.execPath,
      [tsc, '-p', join(REPO_ROOT, 'tsconfig.build.json'), '--outDir', out, '--declaration', 'false', '--declarationMap', 'false', '--sourceMap', 'false'],
      { cwd: REPO_ROOT, stdio: 'pipe' },
    );
  } catch {
    // Type errors still emit JavaScript; the checks below decide.
  }
  for (const file of required) {
    if (!existsSync(join(out, file))) throw new Error(`build for child processes did not produce ${file} in ${out}`);
  }
  return out;
}

/** Removes a folder made by `buildForChildren`. */
export function removeBuild(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
