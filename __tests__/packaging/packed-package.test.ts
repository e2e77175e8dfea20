/**
 * The packed package works in a new project: `npm run build` + `npm pack`, installed into a temp
 * project, used from plain ESM JavaScript, from CommonJS (`require` of ESM, Node >= 20.19), and from
 * TypeScript compiled in both decorator modes. Slow (a build, a pack and an install): ~30 s.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '..', '..');
const tsc = join(repo, 'node_modules', '.bin', 'tsc');

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NODE_OPTIONS: '' } });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return result;
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
    dir = mkdtempSync(join(tmpdir(), 'llmtrace-pack-'));
    project = join(dir, 'consumer');
    mkdirSync(project);
    run('npm', ['run', 'build'], repo);
    run('npm', ['pack', '--pack-destination', dir, '--silent'], repo);
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error('npm pack wrote no tarball');
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    how = install(project, join(dir, tarball));
    writeFileSync(join(project, 'esm.mjs'), ESM_JS);
    writeFileSync(join(project, 'cjs.cjs'), CJS_JS);
    writeFileSync(join(project, 'unhandled.mjs'), UNHANDLED_JS);
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
});
