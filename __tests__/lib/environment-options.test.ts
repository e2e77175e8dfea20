/**
 * llmtrace's own environment variables, read by `startTracing()`: each switch is set on a real
 * program run as a child process (the packed tarball installed in a fresh project), and what lands
 * in the store directory tells whether it held.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tracingOptionsFromEnv, withEnvironment } from '../../lib/environment-options.js';
import { packAndInstall, removeInstall, type PackedInstall } from '../helpers/packed-install.js';

let install: PackedInstall | undefined;
let program: string;
let work: string;

beforeAll(() => {
  install = packAndInstall();
  program = join(install.project, 'env-program.mjs');
  writeFileSync(
    program,
    `import { startTracing, traced } from 'llmtrace';
const tracing = await startTracing({ aggregation: false });
const ask = traced(async (model, prompt) => ({ object: 'chat.completion', model, choices: [{ message: { role: 'assistant', content: 'the answer is 42' }, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 2 } }), { name: 'ask' });
for (let i = 0; i < 5; i++) await ask('gpt-4o-mini', 'what is the question');
await tracing.shutdown();
`,
  );
}, 180_000);
afterAll(() => removeInstall(install));
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'llmtrace-env-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

function run(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_') && !k.startsWith('LLMTRACE_')));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [program], { cwd: work, env: { ...base, NODE_OPTIONS: '', ...env } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

/** Every file under `dir`, concatenated (empty when the directory does not exist). */
function allText(dir: string): string {
  let text = '';
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return '';
  }
  for (const entry of entries) {
    const path = join(dir, entry);
    text += statSync(path).isDirectory() ? allText(path) : readFileSync(path, 'utf8');
  }
  return text;
}

describe('startTracing() reads LLMTRACE_* variables', () => {
  it('writes to LLMTRACE_DIR and captures content with LLMTRACE_CAPTURE=full', async () => {
    const dir = join(work, 'custom-store');
    const result = await run({ LLMTRACE_DIR: dir, LLMTRACE_CAPTURE: 'full', LLMTRACE_LOG_LEVEL: 'fatal' });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const text = allText(dir);
    expect(text).toContain('"ask"');
    expect(text).toContain('what is the question');
    expect(allText(join(work, '.llmtrace'))).toBe('');
  }, 60_000);

  it('captures no content by default and with OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=false', async () => {
    await run({ LLMTRACE_DIR: join(work, 'a'), LLMTRACE_LOG_LEVEL: 'fatal' });
    await run({ LLMTRACE_DIR: join(work, 'b'), OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'false', LLMTRACE_LOG_LEVEL: 'fatal' });
    await run({ LLMTRACE_DIR: join(work, 'c'), OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true', LLMTRACE_LOG_LEVEL: 'fatal' });
    expect(allText(join(work, 'a'))).toContain('"ask"');
    expect(allText(join(work, 'a'))).not.toContain('what is the question');
    expect(allText(join(work, 'b'))).not.toContain('what is the question');
    expect(allText(join(work, 'c'))).toContain('what is the question');
  }, 60_000);

  it('records nothing with LLMTRACE_DISABLED=true, and the program still exits 0', async () => {
    const dir = join(work, 'off');
    const result = await run({ LLMTRACE_DIR: dir, LLMTRACE_DISABLED: 'true', LLMTRACE_LOG_LEVEL: 'fatal' });
    expect(result.code).toBe(0);
    expect(allText(dir)).not.toContain('"ask"');
  }, 60_000);

  it('refuses a bad value with one line naming the variable and its allowed values', async () => {
    const result = await run({ LLMTRACE_CAPTURE: 'everything' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('llmtrace: LLMTRACE_CAPTURE must be one of off, metadata, full, got "everything"');
  }, 60_000);
});

describe('tracingOptionsFromEnv / withEnvironment', () => {
  it('reads only what is set, and options in code win key by key', () => {
    expect(tracingOptionsFromEnv({})).toEqual({});
    const env = tracingOptionsFromEnv({ LLMTRACE_SAMPLING_RATIO: '0.25', LLMTRACE_LOG_LEVEL: 'warn', LLMTRACE_DIR: '/var/x', LLMTRACE_CAPTURE: 'full' });
    expect(env).toEqual({ sampling: { ratio: 0.25 }, logger: { minLevel: 'warn' }, fileStore: { dir: '/var/x' }, capture: 'full' });
    expect(withEnvironment({ capture: 'off', sampling: { keepErrors: false }, fileStore: false }, env)).toEqual({
      capture: 'off',
      sampling: { ratio: 0.25, keepErrors: false },
      logger: { minLevel: 'warn' },
      fileStore: false,
    });
  });

  it.each([
    [{ LLMTRACE_SAMPLING_RATIO: '1.5' }, 'llmtrace: LLMTRACE_SAMPLING_RATIO must be a number from 0 to 1, got "1.5"'],
    [{ LLMTRACE_DISABLED: 'maybe' }, 'llmtrace: LLMTRACE_DISABLED must be true or false, got "maybe"'],
    [{ LLMTRACE_LOG_LEVEL: 'loud' }, 'llmtrace: LLMTRACE_LOG_LEVEL must be one of silly, trace, debug, info, warn, error, fatal, got "loud"'],
  ])('rejects %j', (env, message) => {
    expect(() => tracingOptionsFromEnv(env)).toThrow(message);
  });
});
