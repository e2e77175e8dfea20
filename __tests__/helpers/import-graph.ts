/**
 * Test helper: the source files reachable from an entry through relative imports, each with the
 * bare (package) specifiers it imports, read from the TypeScript sources (type-only imports
 * included, since a type import of a package that is not installed breaks a user's typecheck).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const SOURCE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every source file reachable from `entry` (an absolute `.ts` path), mapped to its bare imports. */
export function reachableImports(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const visit = (file: string): void => {
    if (seen.has(file) || !existsSync(file)) return; // a file being written by someone else right now
    const source = readFileSync(file, 'utf8');
    const bare: string[] = [];
    seen.set(file, bare);
    for (const match of source.matchAll(IMPORT)) {
      const spec = match[1] ?? match[2]!;
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else bare.push(spec);
    }
  };
  visit(entry);
  return seen;
}
