/**
 * No circular imports among the modules that ship (STYLE.md rule 19): a cycle makes load order,
 * and so what a module sees at import, depend on which file a user imports first.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const repo = join(import.meta.dirname, '..', '..');

function sourceFiles(path: string): string[] {
  if (statSync(path).isDirectory()) return readdirSync(path).flatMap((name) => sourceFiles(join(path, name)));
  return path.endsWith('.ts') ? [path] : [];
}

/** Run-time imports of `file` (type-only imports vanish when compiled). */
function runtimeImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const match of source.matchAll(/^(import|export)\s+(type\s+)?[^'"]*?from\s+'(\.[^']+)'/gm)) {
    if (match[2]) continue;
    out.push(normalize(join(dirname(file), match[3]!.replace(/\.js$/, '.ts'))));
  }
  return out;
}

function findCycles(files: readonly string[]): string[] {
  const graph = new Map(files.map((f) => [normalize(f), runtimeImports(f)]));
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].map((f) => relative(repo, f)).join(' -> '));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

describe('module graph', () => {
  it('has no circular imports in index.ts, lib/, decorators/ and adapters/', () => {
    const files = ['index.ts', 'lib', 'decorators', 'adapters'].flatMap((p) => sourceFiles(join(repo, p)));
    expect(files.length).toBeGreaterThan(50);
    expect(findCycles(files)).toEqual([]);
  });

  it('would report a cycle (the check itself can fail)', () => {
    const files = ['a', 'b'].map((n) => join(repo, '__tests__', 'architecture', 'fixtures', `${n}.ts`));
    expect(findCycles(files)).toEqual(['__tests__/architecture/fixtures/a.ts -> __tests__/architecture/fixtures/b.ts -> __tests__/architecture/fixtures/a.ts']);
  });
});
