/**
 * The documented OpenTelemetry setup, as a user on this Node gets it: the packed tarball and the
 * `npm install` lines of docs/opentelemetry.md, installed by npm running under the Node that runs
 * this test (npm then picks SDK 3 on Node >= 22.15 and the 2.x line on Node 20) into a fresh project
 * with no fallback to this repository's node_modules. The install must succeed without ERESOLVE and
 * leave no invalid peer; a TypeScript consumer passing the SDK's own classes typechecks against the
 * installed declarations; then child processes export to a loopback OTLP receiver with `exportToOtlp`,
 * and through the bridge and `forwardToProvider` into the application's own SDK provider.
 * scripts/test-versions.mjs runs this file on Node 22 and 24 (SDK 3); the main suite on Node 20 (2.x).
 * Slow (a build, a pack and an install): ~40 s.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../helpers/build-for-children.js';
import { startHttpReceiver, type HttpReceiver } from '../helpers/http-receiver.js';
import { runNpm } from '../helpers/npm-under-node.js';
import { packTarball } from '../helpers/packed-tarball.js';
import type { ReceivedTrace } from '../helpers/otlp-decode.js';

const run = promisify(execFile);

/** SDK 3 (`@opentelemetry/*` 3.x) declares node >= 22.15: npm installs it on such a Node only. */
const SDK_LINE = (() => {
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  return major > 22 || (major === 22 && minor >= 15) ? 3 : 2;
})();

/** The packages of the first `npm install` command in docs/opentelemetry.md that `pick` accepts. */
function documentedPackages(pick: (command: string) => boolean): string[] {
  const doc = readFileSync(join(REPO_ROOT, 'docs', 'opentelemetry.md'), 'utf8');
  const commands = doc
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .filter((line) => line.startsWith('npm install '));
  const command = commands.find(pick);
  if (!command) throw new Error(`no matching npm install line in docs/opentelemetry.md among:\n${commands.join('\n')}`);
  return command.replace(/#.*/, '').trim().split(/\s+/).slice(2);
}

const OTLP_PACKAGES = documentedPackages((command) => command.includes('@opentelemetry/api'));
const BRIDGE_PACKAGES = documentedPackages((command) => command.includes(SDK_LINE === 3 ? '# SDK 3' : '# SDK 2'));

const CONSUMER = `import { context, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { bridgeOpenTelemetry, exportToOtlp, forwardToProvider } from 'llmtrace/otel';
import { configure, traced } from 'llmtrace';

const [mode, origin, line] = process.argv.slice(2);
configure({ logger: { format: 'hidden' } });
const ask = traced(async (question) => 'answer to ' + question, { name: 'ask' });

if (mode === 'otlp') {
  const otlp = await exportToOtlp({ url: origin + '/v1/traces', serviceName: 'otlp-check' });
  await ask('otlp');
  await otlp.shutdown();
} else {
  const resource = resourceFromAttributes({ 'service.name': 'bridge-check' });
  const exporter = new OTLPTraceExporter({ url: origin + '/v1/traces' });
  let provider;
  if (line === '3') {
    const { TracerProvider, BatchSpanProcessor } = await import('@opentelemetry/sdk-trace');
    const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
    provider = new TracerProvider({ resource, spanProcessors: [new BatchSpanProcessor({ exporter })] }); // SDK 3 takes options
    trace.setGlobalTracerProvider(provider);
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  } else {
    const { NodeTracerProvider, BatchSpanProcessor } = await import('@opentelemetry/sdk-trace-node');
    provider = new NodeTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(exporter)] });
    provider.register();
  }
  bridgeOpenTelemetry();
  const forwarded = forwardToProvider(provider);
  await trace.getTracer('app').startActiveSpan('handle request', async (span) => {
    await ask('bridge');
    span.end();
  });
  await forwarded.shutdown();
  await provider.shutdown();
}
`;

/**
 * A TypeScript consumer of the SDK line's own classes: its exporters, processors, providers and
 * ReadableSpan must fit llmtrace/otel's signatures, with llmtrace's declaration files checked too
 * (`skipLibCheck: false`, so a type import of a package that is not installed would be an error).
 */
const TYPES_CONSUMER = (line: number): string => `${
  line === 3
    ? "import { BatchSpanProcessor, ConsoleSpanExporter, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';\n" +
      "const processor = new BatchSpanProcessor({ exporter: new ConsoleSpanExporter() });\n" +
      'const provider = new TracerProvider({ spanProcessors: [processor] });\n'
    : "import { BatchSpanProcessor, ConsoleSpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';\n" +
      "import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';\n" +
      'const processor = new BatchSpanProcessor(new ConsoleSpanExporter());\n' +
      'const provider = new NodeTracerProvider({ spanProcessors: [processor] });\n'
}import type { Span } from 'llmtrace';
import { exportTo, forwardToProvider, llmtraceResource, OtelSpanExporter, toReadableSpan } from 'llmtrace/otel';

declare const span: Span;
const resource = llmtraceResource('types-check');
const readable: ReadableSpan = toReadableSpan(span, resource);
processor.onEnd(readable);
forwardToProvider(provider);
forwardToProvider({ spanProcessors: [processor], resource });
exportTo(new ConsoleSpanExporter(), { serviceName: 'types-check' });
new OtelSpanExporter(new ConsoleSpanExporter(), { resource });
`;

const TSCONFIG = {
  compilerOptions: { target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, skipLibCheck: false, types: ['node'] },
  files: ['types-check.ts'],
};

/** A temp folder with no node_modules above it, so nothing resolves outside the fresh project. */
function isolatedTemp(): string {
  const hasParentModules = (dir: string): boolean => {
    for (let at = resolve(dir); ; at = dirname(at)) {
      if (existsSync(join(at, 'node_modules'))) return true;
      if (dirname(at) === at) return false;
    }
  };
  if (hasParentModules(tmpdir())) throw new Error(`${tmpdir()} has a node_modules above it: the install would not be isolated`);
  return mkdtempSync(join(tmpdir(), 'llmtrace-otel-install-'));
}

let root: string;
let project: string;
let install: { status: number | null; output: string };
let receiver: HttpReceiver;

function installedVersion(name: string): string {
  return (JSON.parse(readFileSync(join(project, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

function tracesOf(service: string): ReceivedTrace[] {
  return receiver.traces().filter((t) => t.resource['service.name'] === service);
}

beforeAll(async () => {
  root = isolatedTemp();
  project = join(root, 'consumer');
  const tarball = packTarball(root);
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  writeFileSync(join(project, 'consumer.mjs'), CONSUMER);
  writeFileSync(join(project, 'types-check.ts'), TYPES_CONSUMER(SDK_LINE));
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(TSCONFIG));
  // @types/node of this Node's major: a TypeScript user on Node has it (llmtrace's declarations use NodeJS types).
  const typesNode = `@types/node@${process.versions.node.split('.')[0]}`;
  const result = runNpm(['install', '--no-audit', '--no-fund', tarball, ...OTLP_PACKAGES, ...BRIDGE_PACKAGES, typesNode], project);
  install = { status: result.status, output: `${result.stdout}\n${result.stderr}` };
  receiver = await startHttpReceiver();
}, 300_000);

afterAll(async () => {
  await receiver?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe(`the documented OpenTelemetry install on Node ${process.versions.node} (SDK ${SDK_LINE}.x)`, () => {
  it('installs with the packed package, without ERESOLVE or an invalid peer', () => {
    expect(OTLP_PACKAGES).toEqual(expect.arrayContaining(['@opentelemetry/api', '@opentelemetry/core', '@opentelemetry/resources']));
    expect(install.output).not.toMatch(/ERESOLVE/);
    expect(install.status).toBe(0);
    const ls = runNpm(['ls', '--all'], project);
    expect(`${ls.stdout}${ls.stderr}`).not.toMatch(/invalid|missing|ERESOLVE/);
    expect(ls.status).toBe(0);
  });

  it(`gets the SDK ${SDK_LINE}.x packages this Node is offered`, () => {
    expect(Number(installedVersion('@opentelemetry/core').split('.')[0])).toBe(SDK_LINE);
    expect(Number(installedVersion('@opentelemetry/resources').split('.')[0])).toBe(SDK_LINE);
    expect(existsSync(join(project, 'node_modules', '@opentelemetry', SDK_LINE === 3 ? 'sdk-trace' : 'sdk-trace-node'))).toBe(true);
  });

  it("typechecks a TypeScript consumer passing the SDK's own exporters, processors and provider", async () => {
    const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: project, env: { ...process.env, NODE_OPTIONS: '' } }).then(
      () => ({ ok: true, output: '' }),
      (error: { stdout?: string; stderr?: string }) => ({ ok: false, output: `${error.stdout ?? ''}${error.stderr ?? ''}` }),
    );
    expect(result).toEqual({ ok: true, output: '' });
  });

  it('exportToOtlp sends the spans to an OTLP receiver', async () => {
    await run(process.execPath, ['consumer.mjs', 'otlp', receiver.origin, String(SDK_LINE)], { cwd: project, env: { ...process.env, NODE_OPTIONS: '' } });
    const [trace] = tracesOf('otlp-check');
    expect(trace!.scope.name).toBe('llmtrace');
    // A model call with no model known is exported under its operation (the GenAI span name); the function's name stays as llmtrace.function.
    expect(trace!.spans.map((s) => [s.name, s.attributes['llmtrace.function']])).toEqual([['chat', 'ask']]);
  });

  it("through the bridge and forwardToProvider, llmtrace's span nests under the application's span in its provider's export", async () => {
    await run(process.execPath, ['consumer.mjs', 'bridge', receiver.origin, String(SDK_LINE)], { cwd: project, env: { ...process.env, NODE_OPTIONS: '' } });
    const spans = tracesOf('bridge-check').flatMap((t) => t.spans);
    const request = spans.find((s) => s.name === 'handle request');
    const ask = spans.find((s) => s.attributes['llmtrace.function'] === 'ask');
    expect(request).toBeDefined();
    expect(ask).toBeDefined();
    expect(ask!.traceId).toBe(request!.traceId);
    expect(ask!.parentSpanId).toBe(request!.spanId);
  });
});
