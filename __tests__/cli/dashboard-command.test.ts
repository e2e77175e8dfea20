/**
 * `llmtrace dashboard --json`, as a script runs it (the built bin as a child process over a store
 * the real FileStore wrote, and over an empty one): the listening URL and the store as one JSON
 * object on stdout, a URL that answers, and a clean stop on SIGINT.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { removeBuild } from '../helpers/build-for-children.js';
import { seedStore } from '../helpers/dashboard-seed.js';
import { removeTempDirs, tempDir } from '../helpers/temp-dir.js';
import { buildCli, cliBin, cliEnv } from './built-cli.js';

let build: string;
let project: string;
let child: ChildProcess | undefined;

beforeAll(async () => {
  build = buildCli();
  project = tempDir('llmtrace-dashboard-cli-');
  await seedStore(join(project, '.llmtrace'), { traces: 4 });
}, 120_000);

afterAll(() => {
  child?.kill('SIGKILL'); // still serving only when a check failed before the SIGINT
  removeBuild(build);
  removeTempDirs();
});

describe('llmtrace dashboard --json', () => {
  test('prints {"url", "dir"} as JSON, serves that URL, and stops cleanly on SIGINT', async () => {
    const { printed, stop, stderr } = await startServing([]);
    try {
      expect(Object.keys(printed).sort()).toEqual(['dir', 'url']);
      expect(printed.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(printed.dir).toBe(join(project, '.llmtrace'));
      const facets = await fetch(new URL('api/facets', printed.url));
      expect(facets.status).toBe(200);
      expect(((await facets.json()) as { traces: number }).traces).toBe(4);
    } finally {
      expect(await stop()).toBe(0);
    }
    expect(stderr()).toBe('');
  }, 60_000);

  test('serves an empty store (it is live: spans show up as a program writes them), saying so on stderr', async () => {
    const empty = tempDir('llmtrace-dashboard-empty-');
    const { printed, stop, stderr } = await startServing(['--dir', empty]);
    try {
      expect(printed.dir).toBe(empty);
      const facets = await fetch(new URL('api/facets', printed.url));
      expect(((await facets.json()) as { traces: number }).traces).toBe(0);
    } finally {
      expect(await stop()).toBe(0);
    }
    expect(stderr()).toMatch(/^llmtrace dashboard: no spans in .+ yet: they show up as the program writes them\n$/);
  }, 60_000);
});

/** Starts `llmtrace dashboard --port 0 --json` with `extra` flags and waits for its JSON line. */
async function startServing(extra: string[]): Promise<{ printed: { url: string; dir: string }; stop(): Promise<number | null>; stderr(): string }> {
  const server = spawn(process.execPath, [cliBin(build), 'dashboard', '--port', '0', '--json', ...extra], { cwd: project, env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  child = server;
  const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
  let stdout = '';
  let stderr = '';
  server.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const printed = await new Promise<{ url: string; dir: string }>((resolve, reject) => {
    const late = setTimeout(() => reject(new Error(`no JSON on stdout within 20 s: ${JSON.stringify(stdout)}`)), 20_000);
    server.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      try {
        resolve(JSON.parse(stdout) as { url: string; dir: string });
        clearTimeout(late);
      } catch {
        // Not all of it yet.
      }
    });
    void exited.then((code) => reject(new Error(`dashboard exited with ${code} before printing JSON: ${stdout}${stderr}`)));
  });
  return {
    printed,
    stop: () => {
      server.kill('SIGINT');
      return exited;
    },
    stderr: () => stderr,
  };
}
