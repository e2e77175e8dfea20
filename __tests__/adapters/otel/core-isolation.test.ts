/**
 * The core never loads OpenTelemetry: no module reachable from the `llmtrace` entry imports
 * `@opentelemetry/*` (they are optional peer dependencies, used only by `llmtrace/otel`).
 */
import { join } from 'node:path';
import { reachableImports, SOURCE_ROOT } from '../../helpers/import-graph.js';

describe('core isolation', () => {
  it('no module reachable from the core entry imports @opentelemetry/*', () => {
    const graph = reachableImports(join(SOURCE_ROOT, 'index.ts'));
    expect(graph.size).toBeGreaterThan(10);
    const offenders = [...graph].filter(([, bare]) => bare.some((s) => s.startsWith('@opentelemetry/'))).map(([f]) => f);
    expect(offenders).toEqual([]);
  });

  it('the llmtrace/otel entry does import them (so the check above can fail)', () => {
    const graph = reachableImports(join(SOURCE_ROOT, 'adapters/otel/index.ts'));
    expect([...graph.values()].flat().some((s) => s.startsWith('@opentelemetry/'))).toBe(true);
  });
});
