/**
 * tslog is loaded on the first pretty line, not at import: no module reachable from `index.ts`
 * through static imports imports it, and a line written just before the process exits is not lost.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/build-for-children.js';
import { packAndInstall, removeInstall } from '../helpers/packed-install.js';
import { reachableFromEntry } from '../helpers/static-imports.js';

describe('lazy logger', () => {
  it('is not loaded by importing llmtrace: no static import of tslog is reachable from index.ts', () => {
    const { packages } = reachableFromEntry(join(REPO_ROOT, 'index.ts'));
    expect(packages.size).toBeGreaterThan(0);
    expect([...packages].filter((p) => p.startsWith('node:')).length).toBeGreaterThan(0);
    expect(packages.has('tslog')).toBe(false);
    // ... while the logger does load it, dynamically.
    expect(readFileSync(join(REPO_ROOT, 'lib', 'log', 'outputs.ts'), 'utf8')).toContain("import('tslog')");
  });

  it('writes pretty lines logged just before process.exit() (tslog not loaded yet) in a plain one-line form', () => {
    const install = packAndInstall();
    try {
      const script = join(install.project, 'exit-child.mjs');
      writeFileSync(
        script,
        `const { createLogger } = await import('llmtrace');
         const { log } = createLogger({ format: 'pretty' });
         log.warn('LAST_WORDS', { reason: 'exit' });
         process.exit(0);`,
      );
      const out = execFileSync(process.execPath, [script], { cwd: install.project, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
      const lines = out.split('\n').filter((l) => l.includes('LAST_WORDS'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/WARN \[llmtrace\] LAST_WORDS \{"reason":"exit"\}/);
    } finally {
      removeInstall(install);
    }
  }, 180_000);
});
