/**
 * The packed package works in a new project: `npm run build` + `npm pack`, installed into a temp
 * project, used from plain ESM JavaScript, from CommonJS (`require` of ESM, Node >= 20.19), and from
 * TypeScript compiled in both decorator modes; the README's long-running service run past every size
 * threshold; and consumers bundled with esbuild. Slow (a build, a pack and an install): ~40 s.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '..', '..');
const tsc = join(repo, 'node_modules', '.bin', 'tsc');
const esbuild = join(repo, 'node_modules', '.bin', 'esbuild');

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NODE_OPTIONS: '' } });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

/**
 * A folder for the consumer project with no `node_modules` in any parent: Node's resolution walks
 * up, so a stray `/tmp/node_modules` would quietly supply packages the tarball does not declare.
 */
function isolatedRoot(): string {
  const hasParentModules = (dir: string): boolean => {
    for (let at = resolve(dir); ; at = dirname(at)) {
      if (existsSync(join(at, 'node_modules'))) return true;
      if (dirname(at) === at) return false;
    }
  };
  const root = [tmpdir(), '/var/tmp', homedir()].find((dir) => existsSync(dir) && !hasParentModules(dir));
  if (!root) throw new Error('no temp folder without a node_modules above it: the packaging test cannot isolate the consumer');
  return root;
}

/** Parses the JSON line a consumer script printed last. */
function printed(result: SpawnSyncReturns<string>): unknown {
  const lines = result.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!);
}

/**
 * Installs only the tarball and its declared dependencies (from the npm cache or registry) into the
 * fresh project. No fallback to this repo's node_modules: that fallback once hid an undeclared
 * dependency that crashed consumers.
 */
function install(project: string, tarball: string): string {
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], project);
  return 'npm install';
}

const CONSUMER_TS = (mode: string) => `${mode === 'legacy' ? "import 'reflect-metadata';\n" : ''}import { configure, getStore, getTraceMetadata, monitorLLM, traceModelCall } from 'llmtrace';

configure({ logger: { format: 'hidden' } });

class LLMClient {
  model = 'instance-model';

  @traceModelCall({ modelParam: 'model', context: 'agent_turn' })
  async generateText(prompt: string, model: string = 'mistral:latest'): Promise<string> {
    return prompt + '@' + model;
  }

  @monitorLLM({ kind: 'embedding' })
  embed(text: string): number[] {
    return [text.length];
  }

  @traceModelCall()
  async *stream(n: number): AsyncGenerator<string> {
    for (let i = 0; i < n; i++) yield 't' + i;
  }
}

const client = new LLMClient();
const text = await client.generateText('hi');
const vector = client.embed('abc');
for await (const token of client.stream(10)) if (token === 't1') break;
const spans = getStore().getRecent(10).reverse();
console.log(JSON.stringify({
  mode: '${mode}',
  text,
  syncResult: Array.isArray(vector),
  paramTypes: getTraceMetadata(LLMClient.prototype, 'generateText')?.paramTypes,
  spans: spans.map((s) => ({
    name: s.name,
    kind: s.kind,
    status: s.status,
    model: s.attributes['gen_ai.request.model'] ?? null,
    context: s.attributes['llmtrace.context'] ?? null,
    requestBytes: s.attributes['llmtrace.request.bytes'] ?? null,
    streamEnd: s.attributes['llmtrace.stream.end'] ?? null,
  })),
}));
`;

const ESM_JS = `import { traced, getStore, configure } from 'llmtrace';
configure({ logger: { format: 'hidden' } });
async function generateText(prompt, model = 'mistral:latest') { return prompt + '@' + model; }
const gen = traced(generateText, { name: 'generate_text' });
const boom = new Error('down');
const fail = traced(async () => { throw boom; }, { name: 'fail' });
const value = await gen('hi');
const sameError = await fail().catch((e) => e === boom);
const [failed, ok] = getStore().getRecent(2);
console.log(JSON.stringify({ value, sameError, name: ok.name, model: ok.attributes['gen_ai.request.model'],
  traceId: ok.traceId, errors: getStore().getErrors().map((s) => s.name), failedStatus: failed.status }));
`;

/** A traced async function whose rejection nobody handles: Node must still report it and exit 1. */
const UNHANDLED_JS = `
import { traced, getStore, configure } from 'llmtrace';
configure({ logger: { format: 'hidden' } });
const fail = traced(async function failing() { throw new Error('nobody handles me'); });
void fail();
process.on('exit', () => console.log('span recorded: ' + getStore().getRecent(1)[0]?.status));
setTimeout(() => console.log('still running: unhandled rejection was swallowed'), 200);
`;

const CJS_JS = `const { traced, getStore, configure, withSpan } = require('llmtrace');
configure({ logger: { format: 'hidden' } });
const add = traced((a, b) => a + b, { name: 'add', kind: 'tool' });
const result = withSpan('run', { kind: 'run' }, () => add(2, 3));
const [run, call] = [getStore().getRecent(2)[0], getStore().getRecent(2)[1]];
console.log(JSON.stringify({ result, isPromise: result instanceof Promise, call: call.name, run: run.name,
  nested: call.parentId === run.id, runId: call.scopes.run === run.id }));
`;

/**
 * The README's long-running-service example, run past every size threshold of a real service:
 * more than EXACT_PERCENTILE_LIMIT (512) calls per function+model in one window (the exact-to-sketch
 * switch), segment rotation (small maxSegmentRecords) and retention passes (a small maxStoreBytes;
 * a pass runs 2 s after a rotation). Prints what is on disk afterwards, read back with the reader.
 */
const SERVICE_JS = `import { startTracing, fileStoreOptionsFromEnv, traced } from 'llmtrace';
import { openFileStoreReader, EXACT_PERCENTILE_LIMIT } from 'llmtrace/extend';

const MAX_STORE_BYTES = 60_000;
const tracing = await startTracing({
  logger: { format: 'hidden' },
  fileStore: { ...fileStoreOptionsFromEnv(), maxSegmentRecords: 25, maxStoreBytes: MAX_STORE_BYTES },
  aggregation: {
    intervalMs: 1_000,
    alerts: [{ metric: 'errorRate', above: 0.05, minCalls: 20 }, { metric: 'p90Ms', above: 8_000 }],
  },
  sampling: { ratio: 0.1, keepErrors: true, slowerThanMs: 10_000 },
});

const generate = traced(async function generateText(prompt, model = 'gpt-4o-mini') {
  if (prompt % 97 === 0) throw new Error('rate limited');
  return { model, choices: [{ message: { content: 'ok' } }], usage: { prompt_tokens: 12, completion_tokens: 5 } };
});

const started = Date.now();
let calls = 0;
while (Date.now() - started < 4_500) {
  for (let i = 0; i < 3 * EXACT_PERCENTILE_LIMIT; i++, calls++) await generate(calls).catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, 50));
}
await tracing.shutdown();

const reader = openFileStoreReader({ dir: tracing.fileStore.dir });
const segments = await reader.listSegments();
let spansOnDisk = 0;
for await (const span of reader.readSpans()) spansOnDisk += span.name === 'generateText' ? 1 : 0;
const summaries = await reader.readSummaries();
console.log(JSON.stringify({
  calls,
  written: tracing.fileStore.stats().writtenSpans,
  spansOnDisk,
  spanSegments: segments.filter((s) => s.kind === 'spans').length,
  segmentBytes: segments.reduce((total, s) => total + s.bytes, 0),
  maxStoreBytes: MAX_STORE_BYTES,
  sketchWindows: summaries.filter((s) => s.callCount > EXACT_PERCENTILE_LIMIT && s.latencyDistribution?.kind === 'ddsketch').length,
  summaryCalls: summaries.reduce((total, s) => total + s.callCount, 0),
}));
`;

/** A one-line consumer, bundled by esbuild: the bundler must find every module the package loads. */
const BUNDLE_TRACED_JS = `import { traced } from 'llmtrace';
console.log(JSON.stringify({ value: traced((a, b) => a + b, { name: 'add' })(2, 3) }));
`;

/** The README's startTracing example, bundled: aggregator, file store, sketches and exit flush in one file. */
const BUNDLE_SERVICE_JS = `import { startTracing, fileStoreOptionsFromEnv, traced, getStore } from 'llmtrace';
const tracing = await startTracing({
  logger: { format: 'hidden' },
  fileStore: fileStoreOptionsFromEnv(),
  aggregation: { intervalMs: 60_000, alerts: [{ metric: 'errorRate', above: 0.05, minCalls: 20 }] },
  sampling: { ratio: 0.1, keepErrors: true, slowerThanMs: 10_000 },
});
const call = traced(async function answer(model = 'gpt-4o-mini') { return { model }; });
for (let i = 0; i < 600; i++) await call();
const [summary] = tracing.aggregator.flush();
await tracing.shutdown();
console.log(JSON.stringify({ calls: summary.callCount, sketch: summary.latencyDistribution.kind, seen: getStore().stats().maxSpans > 0,
  written: tracing.fileStore.stats().writtenSummaries }));
`;

function tsconfig(mode: 'legacy' | 'standard'): string {
  return JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      lib: ['ES2022', 'DOM'],
      types: [],
      strict: true,
      skipLibCheck: true,
      outDir: `out-${mode}`,
      rootDir: `src-${mode}`,
      ...(mode === 'legacy' ? { experimentalDecorators: true, emitDecoratorMetadata: true } : {}),
    },
    include: [`src-${mode}`],
  });
}

describe('the packed package in a new project', () => {
  let dir: string;
  let project: string;
  let how: string;

  beforeAll(() => {
    dir = mkdtempSync(join(isolatedRoot(), 'llmtrace-pack-'));
    project = join(dir, 'consumer');
    mkdirSync(project);
    run('npm', ['pack', '--pack-destination', dir, '--silent'], repo); // builds first (prepack), as from a fresh clone
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error('npm pack wrote no tarball');
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    how = install(project, join(dir, tarball));
    writeFileSync(join(project, 'esm.mjs'), ESM_JS);
    writeFileSync(join(project, 'cjs.cjs'), CJS_JS);
    writeFileSync(join(project, 'unhandled.mjs'), UNHANDLED_JS);
    writeFileSync(join(project, 'service.mjs'), SERVICE_JS);
    writeFileSync(join(project, 'bundle-traced.mjs'), BUNDLE_TRACED_JS);
    writeFileSync(join(project, 'bundle-service.mjs'), BUNDLE_SERVICE_JS);
    for (const mode of ['legacy', 'standard'] as const) {
      mkdirSync(join(project, `src-${mode}`));
      writeFileSync(join(project, `src-${mode}`, 'client.ts'), CONSUMER_TS(mode));
      writeFileSync(join(project, `tsconfig.${mode}.json`), tsconfig(mode));
    }
  }, 240_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('installs from the tarball with its files under dist only', () => {
    expect(how).toBe('npm install');
    const installed = join(project, 'node_modules', 'llmtrace');
    expect(existsSync(join(installed, 'dist', 'index.js'))).toBe(true);
    expect(existsSync(join(installed, 'dist', 'index.d.ts'))).toBe(true);
    for (const page of ['index.html', 'app.js', 'app.css']) expect(existsSync(join(installed, 'dist', 'dashboard', 'ui', page))).toBe(true);
    expect(existsSync(join(installed, 'lib'))).toBe(false);
    expect(existsSync(join(installed, '__tests__'))).toBe(false);
  });

  it('works from plain JavaScript (ESM) with traced()', () => {
    const out = printed(run('node', ['esm.mjs'], project)) as Record<string, unknown>;
    expect(out).toMatchObject({
      value: 'hi@mistral:latest',
      sameError: true,
      name: 'generate_text',
      model: 'mistral:latest',
      errors: ['fail'],
      failedStatus: 'error',
    });
    expect(out.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('leaves an unhandled rejection of a traced async function unhandled, as without tracing', () => {
    const result = spawnSync('node', ['unhandled.mjs'], { cwd: project, encoding: 'utf8', timeout: 60_000 });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('nobody handles me');
    expect(result.stdout).toContain('span recorded: error');
  });

  it('resolves every subpath entry point; llmtrace/otel names its missing optional peer', () => {
    const script = `
      const names = {};
      for (const entry of ['llmtrace/openai', 'llmtrace/anthropic', 'llmtrace/ollama', 'llmtrace/gemini', 'llmtrace/ai-sdk', 'llmtrace/langchain', 'llmtrace/bedrock', 'llmtrace/fetch', 'llmtrace/offline-model']) {
        names[entry] = Object.keys(await import(entry)).sort();
      }
      names.pkg = (await import('llmtrace/package.json', { with: { type: 'json' } })).default.name;
      try { await import('llmtrace/otel'); names.otel = 'loaded'; } catch (error) { names.otel = error.code + ' ' + error.message; }
      console.log(JSON.stringify(names));`;
    const out = printed(run('node', ['--input-type=module', '-e', script], project)) as Record<string, unknown>;
    expect(out['llmtrace/openai']).toContain('instrumentOpenAI');
    expect(out['llmtrace/anthropic']).toContain('instrumentAnthropic');
    expect(out['llmtrace/ollama']).toContain('instrumentOllama');
    expect(out['llmtrace/gemini']).toContain('instrumentGemini');
    expect(out['llmtrace/ai-sdk']).toEqual(expect.arrayContaining(['llmtraceMiddleware', 'traceAISdk']));
    expect(out['llmtrace/langchain']).toEqual(expect.arrayContaining(['LLMTraceCallbackHandler', 'langchainCallbacks']));
    expect(out['llmtrace/bedrock']).toContain('instrumentBedrock');
    expect(out['llmtrace/fetch']).toContain('tracedFetch');
    expect(out['llmtrace/offline-model']).toContain('startOfflineModelServer');
    expect(out.pkg).toBe('llmtrace');
    // The OpenTelemetry packages are optional peers: not installed here, so only this entry fails, by name.
    expect(out.otel).toMatch(/^ERR_MODULE_NOT_FOUND .*'@opentelemetry\/api'/);
  });

  it('works from CommonJS through require()', () => {
    const out = printed(run('node', ['cjs.cjs'], project));
    expect(out).toEqual({ result: 5, isPromise: false, call: 'add', run: 'run', nested: true, runId: true });
  });

  it.each(['legacy', 'standard'] as const)('works from TypeScript with %s decorators', (mode) => {
    run(tsc, ['-p', `tsconfig.${mode}.json`], project);
    const out = printed(run('node', [join(`out-${mode}`, 'client.js')], project)) as {
      text: string;
      syncResult: boolean;
      paramTypes: string[];
      spans: Record<string, unknown>[];
    };
    expect(out.text).toBe('hi@mistral:latest');
    expect(out.syncResult).toBe(true);
    expect(out.paramTypes).toEqual(mode === 'legacy' ? ['String', 'String'] : []);
    expect(out.spans).toEqual([
      {
        name: 'generateText',
        kind: 'llm',
        status: 'success',
        model: 'mistral:latest',
        context: 'agent_turn',
        requestBytes: Buffer.byteLength('["hi"]'),
        streamEnd: null,
      },
      { name: 'embed', kind: 'embedding', status: 'success', model: 'instance-model', context: null, requestBytes: null, streamEnd: null },
      { name: 'stream', kind: 'llm', status: 'success', model: 'instance-model', context: null, requestBytes: Buffer.byteLength('[10]'), streamEnd: 'cancelled' },
    ]);
  });
  it("runs the README's long-running service past every size threshold: alive to the end, exit 0, data on disk", () => {
    const dir = join(project, 'service-store');
    const result = spawnSync('node', ['service.mjs'], {
      cwd: project,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, NODE_OPTIONS: '', LLMTRACE_DIR: dir },
    });
    expect({ status: result.status, signal: result.signal, stderr: result.stderr }).toEqual({ status: 0, signal: null, stderr: '' });
    const out = printed(result) as Record<string, number>;
    // Exact-to-sketch switch: windows of more than 512 calls were summarised with a sketch and stored.
    expect(out.sketchWindows).toBeGreaterThan(0);
    expect(out.summaryCalls).toBe(out.calls);
    // Segment rotation: many spans segments; retention: a pass deleted the oldest, so fewer spans
    // remain on disk than were written, and the store fits its bound (plus the segment being written).
    expect(out.spanSegments).toBeGreaterThan(1);
    expect(out.written).toBeGreaterThan(out.spansOnDisk);
    expect(out.spansOnDisk).toBeGreaterThan(0);
    expect(out.segmentBytes).toBeLessThan(2 * out.maxStoreBytes);
    expect(existsSync(join(dir, 'meta.json'))).toBe(true);
  }, 150_000);

  it.each([
    ['a one-line consumer of traced()', 'bundle-traced.mjs', { value: 5 }],
    ['the startTracing example', 'bundle-service.mjs', { calls: 600, sketch: 'ddsketch', seen: true, written: 1 }],
  ])('bundles %s with esbuild --bundle --platform=node, and the bundle runs', (_label, source, expected) => {
    const bundle = source.replace('.mjs', '.bundle.mjs');
    run(esbuild, [source, '--bundle', '--platform=node', '--format=esm', `--outfile=${bundle}`, '--log-level=warning'], project);
    // Run the bundle from a folder with no node_modules: everything it needs is inside it.
    const alone = mkdtempSync(join(dir, 'bundle-'));
    renameSync(join(project, bundle), join(alone, bundle));
    const result = spawnSync('node', [bundle], {
      cwd: alone,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, NODE_OPTIONS: '', LLMTRACE_DIR: join(alone, 'store') },
    });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(printed(result)).toEqual(expected);
  });
});
