/**
 * `import 'llmtrace'` loads the tracing core only: the file store (lowdb, p-queue), the aggregator
 * (@datadog/sketches-js), the session files and the store reader are loaded when first used, and
 * no metadata polyfill is loaded (decorators/legacy-metadata.ts)
 * (`openFileStore()`, `startTracing()`, the first evaluation read), and work as before once they are.
 * The speed is measured in benchmarks/import-time.ts; this checks the module graph that buys it.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/build-for-children.js';
import { packAndInstall, removeInstall } from '../helpers/packed-install.js';
import { reachableFromEntry } from '../helpers/static-imports.js';
import { tempDir, removeTempDirs } from '../helpers/temp-dir.js';

afterAll(removeTempDirs);

describe('what import \'llmtrace\' loads', () => {
  const { files, packages } = reachableFromEntry(join(REPO_ROOT, 'index.ts'));

  it('loads none of the store, aggregator and session-file dependencies, nor a metadata polyfill', () => {
    expect(files.has(join(REPO_ROOT, 'lib', 'record', 'recorder.ts'))).toBe(true); // the walk does reach the core
    for (const dependency of ['lowdb', 'p-queue', '@datadog/sketches-js', 'reflect-metadata', 'reflect-metadata/no-conflict']) {
      expect(packages.has(dependency)).toBe(false);
    }
  });

  it.each([
    'lib/storage/file-store.ts',
    'lib/storage/file-store-reader.ts',
    'lib/storage/session-file-exporter.ts',
    'lib/aggregator/aggregator.ts',
    'lib/tracing-setup.ts',
  ])('does not load %s', (module) => {
    expect(files.has(join(REPO_ROOT, module))).toBe(false);
  });

  it('startTracing, openFileStore and readEvaluations load them when first used: spans and evaluations reach the disk', () => {
    const install = packAndInstall();
    const dir = tempDir();
    try {
      const script = join(install.project, 'lazy-child.mjs');
      writeFileSync(
        script,
        `const { startTracing, traced, score, readEvaluations, openFileStore } = await import('llmtrace');
         const tracing = await startTracing({ fileStore: { dir: ${JSON.stringify(dir)} }, logger: { format: 'hidden' } });
         const answer = traced(async () => 42, { name: 'answer' });
         await answer();
         score({ name: 'judge', value: 1, traceId: 'a'.repeat(32), spanId: 'b'.repeat(16) });
         await tracing.shutdown();
         const evaluations = [];
         for await (const e of readEvaluations(${JSON.stringify(dir)})) evaluations.push(e);
         const again = await openFileStore({ dir: ${JSON.stringify(dir)}, flushOnExit: false });
         await again.shutdown();
         process.stdout.write(JSON.stringify({ written: tracing.fileStore.stats().writtenSpans, evaluations: evaluations.length, dir: again.dir }));`,
      );
      const out = JSON.parse(execFileSync(process.execPath, [script], { cwd: install.project, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } })) as { written: number; evaluations: number; dir: string };
      expect(out).toEqual({ written: 1, evaluations: 1, dir });
    } finally {
      removeInstall(install);
    }
  }, 180_000);
});
