/**
 * Test helper: what a TypeScript entry reaches through static (value) imports, the module graph
 * `import` loads before any code runs. Type-only imports and `await import()` are not followed.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Specifiers of the static (value) imports and re-exports of a TypeScript source. */
export function staticImports(source: string): string[] {
  const out: string[] = [];
  const re = /^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;
  for (const match of source.matchAll(re)) out.push(match[1]!);
  return out;
}

/** The files (absolute `.ts` paths) and bare specifiers (packages, `node:` modules) reached from `entry`. */
export function reachableFromEntry(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const spec of staticImports(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) queue.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else packages.add(spec);
    }
  }
  return { files, packages };
}
