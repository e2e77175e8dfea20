/**
 * The OpenTelemetry environment variables, as a user sets them for a real process: each test runs
 * a program that calls `exportToOtlp()` (no url in code) in a child process with the variables set
 * (the packed tarball and the OTLP exporters installed in a fresh project),
 * against a loopback receiver, and checks endpoint, protocol, headers, resource and the disabled
 * switch on what arrives.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { otlpEnvironment } from '../../../adapters/otel/otlp-environment.js';
import { REPO_ROOT } from '../../helpers/build-for-children.js';
import { mustRun, packAndInstall, removeInstall, type PackedInstall } from '../../helpers/packed-install.js';
import { startHttpReceiver, type HttpReceiver } from '../../helpers/http-receiver.js';

/** The OTLP packages of docs/opentelemetry.md's install line, both HTTP encodings, at this repository's versions. */
const OTLP_PACKAGES = (() => {
  const dev = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies;
  return ['@opentelemetry/api', '@opentelemetry/core', '@opentelemetry/resources', '@opentelemetry/exporter-trace-otlp-proto', '@opentelemetry/exporter-trace-otlp-http'].map((name) => `${name}@${dev[name]}`);
})();

let install: PackedInstall | undefined;
let program: string;
let receiver: HttpReceiver;

beforeAll(() => {
  install = packAndInstall();
  mustRun('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...OTLP_PACKAGES], install.project);
  program = join(install.project, 'otlp-env-program.mjs');
  writeFileSync(
    program,
    `import { traced, configure } from 'llmtrace';
import { exportToOtlp } from 'llmtrace/otel';
configure({ logger: { minLevel: 'fatal' } });
const otlp = await exportToOtlp();
await traced(async (model) => ({ object: 'chat.completion', model, choices: [], usage: { prompt_tokens: 3, completion_tokens: 2 } }), { name: 'ask' })('gpt-4o-mini');
await otlp.shutdown();
console.log(JSON.stringify(otlp.stats()));
`,
  );
}, 240_000);
afterAll(() => removeInstall(install));
beforeEach(async () => {
  receiver = await startHttpReceiver();
});
afterEach(() => receiver.close());

/** Runs the program with `env` added to a clean environment (no OTEL_* of the test runner leaks in). */
function run(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_') && !k.startsWith('LLMTRACE_')));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [program], { cwd: install!.project, env: { ...base, NODE_OPTIONS: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('exportToOtlp() configured from the environment', () => {
  it('sends to OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces with the protocol, headers, service name and resource the variables set', async () => {
    const result = await run({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-team=llm%20ops,authorization=Bearer%20abc',
      OTEL_SERVICE_NAME: 'support-bot',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=staging,service.version=1.2.3',
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    expect(request!.path).toBe('/v1/traces');
    expect(request!.headers['content-type']).toContain('application/json');
    expect(request!.headers['x-team']).toBe('llm ops');
    expect(request!.headers.authorization).toBe('Bearer abc');
    const [trace] = receiver.traces();
    expect(trace!.resource).toMatchObject({ 'service.name': 'support-bot', 'deployment.environment': 'staging', 'service.version': '1.2.3' });
    expect(trace!.spans[0]!.attributes['gen_ai.usage.input_tokens']).toBe(3);
  }, 60_000);

  it('prefers OTEL_EXPORTER_OTLP_TRACES_* over the general variables, and defaults to http/protobuf', async () => {
    const result = await run({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9/never',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.origin}/custom/traces`,
      OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-resource',
    });
    expect(result.code).toBe(0);
    expect(receiver.requests.map((r) => r.path)).toEqual(['/custom/traces']);
    expect(receiver.requests[0]!.headers['content-type']).toContain('protobuf');
    expect(receiver.traces()[0]!.resource['service.name']).toBe('from-resource');
  }, 60_000);

  it('uses OTEL_EXPORTER_OTLP_TRACES_ENDPOINT with no path as is: spans go to /, not /v1/traces', async () => {
    const result = await run({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.origin });
    expect(result.code).toBe(0);
    expect(receiver.requests.map((r) => r.path)).toEqual(['/']);
    expect(receiver.traces()[0]!.spans).toHaveLength(1);
  }, 60_000);

  it('appends /v1/traces to the path of OTEL_EXPORTER_OTLP_ENDPOINT, not to its query', async () => {
    const result = await run({ OTEL_EXPORTER_OTLP_ENDPOINT: `${receiver.origin}/otlp/?tenant=x` });
    expect(result.code).toBe(0);
    // The OpenTelemetry JS HTTP transport sends the URL's path only (open-telemetry/opentelemetry-js#4000):
    // the query llmtrace keeps in the URL (see the otlpEnvironment tests) does not reach the receiver.
    expect(receiver.requests.map((r) => r.path)).toEqual(['/otlp/v1/traces']);
  }, 60_000);

  it('exports nothing with OTEL_SDK_DISABLED=true, and the program runs as before', async () => {
    const result = await run({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin, OTEL_SDK_DISABLED: 'true' });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ queued: 0, exported: 0, dropped: 0, failed: 0 });
    await new Promise((r) => setTimeout(r, 200));
    expect(receiver.requests).toHaveLength(0);
  }, 60_000);
});

describe('otlpEnvironment', () => {
  it('appends /v1/traces to the general endpoint path for HTTP only (query kept), and keeps a traces endpoint as is', () => {
    expect(otlpEnvironment({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/' }).url).toBe('http://c:4318/v1/traces');
    expect(otlpEnvironment({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }).url).toBe('http://c:4317');
    expect(otlpEnvironment({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317' }, 'grpc').url).toBe('http://c:4317');
    expect(otlpEnvironment({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c/x' }).url).toBe('http://c/x');
    expect(otlpEnvironment({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318' }).url).toBe('http://c:4318');
    expect(otlpEnvironment({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318?tenant=x' }).url).toBe('http://c:4318/v1/traces?tenant=x');
    expect(otlpEnvironment({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://c/otlp//?a=1&b=2' }).url).toBe('https://c/otlp/v1/traces?a=1&b=2');
    expect(otlpEnvironment({})).toEqual({ disabled: false });
  });

  it('names the variable and the fix when a value cannot be used', () => {
    expect(() => otlpEnvironment({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http' })).toThrow(
      'llmtrace: OTEL_EXPORTER_OTLP_PROTOCOL must be one of http/protobuf, http/json, grpc, got "http"',
    );
    expect(() => otlpEnvironment({ OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '10s' })).toThrow(
      'llmtrace: OTEL_EXPORTER_OTLP_TRACES_TIMEOUT must be a positive number of milliseconds, got "10s"',
    );
    expect(() => otlpEnvironment({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(
      'llmtrace: OTEL_EXPORTER_OTLP_ENDPOINT must be an absolute http(s) URL, got "collector:4318"',
    );
    expect(() => otlpEnvironment({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '/v1/traces' })).toThrow(
      'llmtrace: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must be an absolute http(s) URL, got "/v1/traces"',
    );
    expect(() => otlpEnvironment({ OTEL_RESOURCE_ATTRIBUTES: 'team' })).toThrow(
      'llmtrace: OTEL_RESOURCE_ATTRIBUTES must be a list of key=value pairs separated by commas, got "team"',
    );
  });
});
