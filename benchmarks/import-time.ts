/**
 * Benchmark: how long does `import 'llmtrace'` take, against the OpenTelemetry pair a user would
 * load instead (`@opentelemetry/api` + `@opentelemetry/sdk-trace-base`)? Each import runs in a fresh
 * `node` child that times its own `await import()` (so node's start-up is left out), the cases
 * alternating round by round so machine drift hits both; medians of ROUNDS children. Target: the
 * ratio at most 1 (issue 13: load the logger, sketch and store code when first used).
 * Run alone: `npm run build && node --expose-gc dist/benchmarks/import-time.js`
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { quantile, round, runIfMain, type ScenarioResult } from './harness.js';

const ROUNDS = 31;

/** The package root: `llmtrace` resolves to the built package there (self-reference through `exports`). */
const root = fileURLToPath(new URL('../..', import.meta.url));

/** What each case imports, in one child. */
const CASES: Readonly<Record<string, readonly string[]>> = {
  llmtrace: ['llmtrace'],
  'otel api + sdk-trace-base': ['@opentelemetry/api', '@opentelemetry/sdk-trace-base'],
};

/** Runs one child that imports `specifiers` and prints the ms the imports took. */
function timedImport(specifiers: readonly string[]): number {
  const code = `const t = performance.now(); ${specifiers.map((s) => `await import(${JSON.stringify(s)});`).join(' ')} process.stdout.write(String(performance.now() - t));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`import of ${specifiers.join(', ')} failed: ${child.stderr}`);
  return Number(child.stdout);
}

/** The scenario. */
export default async function importTime(): Promise<ScenarioResult> {
  const names = Object.keys(CASES);
  const times = new Map<string, number[]>(names.map((name) => [name, []]));
  for (const name of names) timedImport(CASES[name]!); // warm the file cache
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? names : [...names].reverse();
    for (const name of order) times.get(name)!.push(timedImport(CASES[name]!));
  }
  const median = (name: string): number => quantile(times.get(name)!, 0.5);
  const ratio = median('llmtrace') / median('otel api + sdk-trace-base');
  const results: ScenarioResult['results'] = {};
  for (const name of names) {
    results[`${name}_ms (median)`] = round(median(name), 1);
    results[`${name}_ms (p25..p75)`] = `${round(quantile(times.get(name)!, 0.25), 1)}..${round(quantile(times.get(name)!, 0.75), 1)}`;
  }
  results['ratio llmtrace / otel (target <= 1)'] = round(ratio, 2);
  results['target.met'] = ratio <= 1 ? 'yes' : 'no';
  return {
    name: `import-time: import 'llmtrace' vs @opentelemetry/api + sdk-trace-base (${ROUNDS} alternating child processes each)`,
    results,
    notes: 'Each child times its own dynamic imports; node start-up is not counted.',
  };
}

runIfMain(import.meta.url, importTime);
