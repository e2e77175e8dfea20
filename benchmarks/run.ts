/**
 * The benchmark runner (`npm run bench`): runs every scenario file in `benchmarks/` (built into
 * `dist/benchmarks/`), each in its own child process (`node --expose-gc`) so heaps and JIT state do
 * not leak between scenarios, prints each result as a table, and writes them all, with the machine
 * description, to `benchmarks/results.json`.
 *
 * Usage: `npm run bench` runs all; `npm run bench -- traced` runs the scenarios whose file name
 * contains `traced` and replaces only their records in `results.json` (the others keep theirs, each
 * record carrying the time it was measured). A file whose default export is not a function is skipped (a helper module).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeMachine, printResult, type ScenarioResult } from './harness.js';

/** Infrastructure files in `benchmarks/`, never run as scenarios. */
const NOT_SCENARIOS = new Set(['run.js', 'run-scenario.js', 'harness.js']);

/** Longest a scenario may run before it is stopped. */
const SCENARIO_TIMEOUT_MS = 5 * 60_000;

const here = fileURLToPath(new URL('.', import.meta.url));
const resultsPath = fileURLToPath(new URL('../../benchmarks/results.json', import.meta.url));

/** What the runner records for one scenario file. */
interface ScenarioRecord {
  file: string;
  status: 'ok' | 'failed' | 'skipped';
  /** When the scenario ran, ISO 8601. */
  date: string;
  seconds: number;
  result?: ScenarioResult;
  error?: string;
}

function scenarioFiles(filters: readonly string[]): string[] {
  return readdirSync(here)
    .filter((f) => f.endsWith('.js') && !NOT_SCENARIOS.has(f) && !f.startsWith('_'))
    .filter((f) => filters.length === 0 || filters.some((filter) => f.includes(filter)))
    .sort();
}

/** Runs one scenario file in a fresh `node --expose-gc` child; its stdout and stderr pass through. */
function runScenario(file: string): Promise<ScenarioRecord> {
  const outDir = mkdtempSync(join(tmpdir(), 'llmtrace-bench-'));
  const outFile = join(outDir, 'result.json');
  const started = performance.now();
  const date = new Date().toISOString();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', join(here, 'run-scenario.js'), join(here, file), outFile], {
      stdio: 'inherit',
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), SCENARIO_TIMEOUT_MS);
    timer.unref();
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const seconds = Math.round((performance.now() - started) / 100) / 10;
      let record: ScenarioRecord;
      try {
        const written = JSON.parse(readFileSync(outFile, 'utf8')) as { skipped?: boolean; result?: ScenarioResult; error?: string };
        record = written.skipped
          ? { file, status: 'skipped', date, seconds }
          : written.error !== undefined
            ? { file, status: 'failed', date, seconds, error: written.error }
            : { file, status: 'ok', date, seconds, result: written.result! };
      } catch {
        record = { file, status: 'failed', date, seconds, error: `child exited (${signal ?? `code ${String(code)}`}) without a result` };
      }
      rmSync(outDir, { recursive: true, force: true });
      resolve(record);
    });
  });
}

/** The records of the last results.json (none when it is missing or unreadable). */
function previousRecords(): ScenarioRecord[] {
  try {
    const previous = JSON.parse(readFileSync(resultsPath, 'utf8')) as { date?: string; scenarios?: ScenarioRecord[] };
    return (previous.scenarios ?? []).map((r) => ({ ...r, date: r.date ?? previous.date ?? '' }));
  } catch {
    return [];
  }
}

async function main(): Promise<void> {
  const machine = describeMachine();
  process.stdout.write(`llmtrace benchmarks on ${machine.cpuModel} (${machine.cores} cores), Node ${machine.node}, ${machine.os}\n`);
  const records: ScenarioRecord[] = [];
  for (const file of scenarioFiles(process.argv.slice(2))) {
    process.stdout.write(`\n▶ ${basename(file, '.js')}\n`);
    const record = await runScenario(file);
    records.push(record);
    if (record.result) printResult(record.result);
    else if (record.status === 'failed') process.stdout.write(`  FAILED: ${record.error}\n`);
    if (record.status !== 'skipped') process.stdout.write(`  (${record.seconds} s)\n`);
  }
  const ran = records.filter((r) => r.status !== 'skipped');
  const kept = previousRecords().filter((old) => !records.some((r) => r.file === old.file));
  const scenarios = [...kept, ...ran].sort((a, b) => a.file.localeCompare(b.file));
  writeFileSync(resultsPath, `${JSON.stringify({ date: new Date().toISOString(), machine, scenarios }, null, 2)}\n`);
  process.stdout.write(`\nwrote ${resultsPath}\n`);
  if (ran.some((r) => r.status === 'failed')) process.exitCode = 1;
}

await main();
