/**
 * The runner's child entry: `node --expose-gc run-scenario.js <scenario.js> <out.json>` imports one
 * scenario file, runs its default export, and writes `{ result }`, `{ error }` or `{ skipped: true }`
 * (the file has no default-exported function: a helper) to `out.json` for `run.js` to collect.
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Scenario } from './harness.js';

async function main(): Promise<void> {
  const [scenarioPath, outFile] = process.argv.slice(2);
  if (!scenarioPath || !outFile) throw new Error('usage: run-scenario.js <scenario.js> <out.json>');
  let output: object;
  try {
    const module = (await import(pathToFileURL(scenarioPath).href)) as { default?: unknown };
    if (typeof module.default !== 'function') output = { skipped: true };
    else output = { result: await (module.default as Scenario)() };
  } catch (error) {
    output = { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  writeFileSync(outFile, JSON.stringify(output));
  // A scenario may leave handles open (servers, exporters); its figures are in, so stop here.
  process.exit(0);
}

await main();
