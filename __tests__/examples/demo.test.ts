/**
 * The README's first command, `npm run demo`: the demo (built, run as a child process in an empty
 * folder) drives the real SDKs through the offline model server and prints what was recorded, then
 * the `llmtrace` command's `runs` and `stats` on the store it wrote. Its figures must agree with
 * each other: every failure the server injected is among getErrors(), and the command reads the
 * same calls back.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { buildForChildren, removeBuild } from '../helpers/build-for-children.js';
import { removeTempDirs, tempDir } from '../helpers/temp-dir.js';

let build: string;
let run: { status: number | null; stdout: string; stderr: string };

beforeAll(() => {
  build = buildForChildren(['examples/demo.js', 'cli/main.js']);
  const cwd = tempDir('llmtrace-demo-');
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '', NO_COLOR: '1', LLMTRACE_DIR: join(cwd, '.llmtrace') };
  for (const key of ['OPENAI_BASE_URL', 'OPENAI_API_KEY', 'ANTHROPIC_BASE_URL', 'ANTHROPIC_API_KEY', 'OLLAMA_HOST']) delete env[key];
  run = spawnSync(process.execPath, [join(build, 'examples', 'demo.js')], { cwd, env, encoding: 'utf8', timeout: 120_000 });
}, 180_000);

afterAll(() => {
  removeBuild(build);
  removeTempDirs();
});

describe('npm run demo', () => {
  test('runs offline to the end, with nothing on stderr', () => {
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.stdout).toMatch(/openai +-> offline model server http:\/\/127\.0\.0\.1:\d+\/v1/);
  });

  test('every injected failure is among the stored errors, and the command reads back the same calls', () => {
    const header = /Per model \((\d+) spans, (\d+) calls failed as injected by the server\)/.exec(run.stdout);
    expect(header).not.toBeNull();
    const [, spans, failures] = header!.map(Number);
    expect(failures).toBeGreaterThan(0);
    expect(run.stdout).toContain(`store.getErrors(): ${failures} failed spans, newest first`);
    expect(run.stdout).toMatch(new RegExp(`On disk in .+ \\(JSON file store\\): ${spans} spans, \\d+ summaries`));
    const runs = run.stdout.slice(run.stdout.indexOf('$ npx llmtrace runs'));
    // One run (demo_run) with every span and the failures counted.
    expect(runs).toMatch(new RegExp(`demo_run .+ ${spans} +\\d+ +${failures} `));
    expect(run.stdout).toContain('$ npx llmtrace stats --by model');
  });
});
