/**
 * `llmtrace/otel` works with OpenTelemetry JS SDK 2.x and 3.x: its modules (types included) import
 * only OpenTelemetry packages that both lines publish and that package.json declares as peers, never
 * the SDK's trace package (`sdk-trace-base` in 2.x, `sdk-trace` in 3.x), and the peer ranges admit
 * both majors. The run against SDK 3 itself is __tests__/packaging/otel-install.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { reachableImports, SOURCE_ROOT } from '../../helpers/import-graph.js';

const pkg = JSON.parse(readFileSync(join(SOURCE_ROOT, 'package.json'), 'utf8')) as { peerDependencies: Record<string, string> };

function otelPackagesImported(): Set<string> {
  const graph = reachableImports(join(SOURCE_ROOT, 'adapters/otel/index.ts'));
  const names = [...graph.values()].flat().filter((s) => s.startsWith('@opentelemetry/'));
  return new Set(names.map((s) => s.split('/').slice(0, 2).join('/')));
}

describe('llmtrace/otel and the OpenTelemetry SDK lines', () => {
  it('imports no SDK trace package, not even for types', () => {
    const imported = otelPackagesImported();
    expect(imported.size).toBeGreaterThan(0);
    expect(imported.has('@opentelemetry/sdk-trace-base')).toBe(false);
    expect(imported.has('@opentelemetry/sdk-trace')).toBe(false);
  });

  it('imports only OpenTelemetry packages declared as peer dependencies', () => {
    const undeclared = [...otelPackagesImported()].filter((name) => !(name in pkg.peerDependencies));
    expect(undeclared).toEqual([]);
  });

  it('declares peer ranges that admit both the 2.x and the 3.x SDK packages', () => {
    for (const name of ['@opentelemetry/core', '@opentelemetry/resources', '@opentelemetry/sdk-metrics']) {
      expect([name, pkg.peerDependencies[name]]).toEqual([name, expect.stringMatching(/\^2\.\d+\.\d+ \|\| \^3\.0\.0/)]);
    }
    expect(pkg.peerDependencies).not.toHaveProperty('@opentelemetry/sdk-trace-base');
  });
});
