/**
 * The core never loads OpenTelemetry: no module reachable from the `llmtrace` entry imports
 * `@opentelemetry/*` (they are optional peer dependencies, used only by `llmtrace/otel`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every source file reachable from `entry` through relative imports, with its bare imports. */
function reachable(entry: string): Map<string, string[]> {
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

describe('core isolation', () => {
  it('no module reachable from the core entry imports @opentelemetry/*', () => {
    const graph = reachable(join(ROOT, 'index.ts'));
    expect(graph.size).toBeGreaterThan(10);
    const offenders = [...graph].filter(([, bare]) => bare.some((s) => s.startsWith('@opentelemetry/'))).map(([f]) => f);
    expect(offenders).toEqual([]);
  });

  it('the llmtrace/otel entry does import them (so the check above can fail)', () => {
    const graph = reachable(join(ROOT, 'adapters/otel/index.ts'));
    expect([...graph.values()].flat().some((s) => s.startsWith('@opentelemetry/'))).toBe(true);
  });
});
