/**
 * `llmtrace dashboard --json`, as a script runs it (the packed tarball's bin, installed in a fresh
 * project, as a child process over a store the real FileStore wrote, and over an empty one): the
 * listening URL and the store as one JSON object on stdout, a URL that serves the page, and a clean
 * stop on SIGINT.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { packAndInstall, removeInstall, type PackedInstall } from '../helpers/packed-install.js';
import { seedStore } from '../helpers/dashboard-seed.js';
import { removeTempDirs, tempDir } from '../helpers/temp-dir.js';
import { cliEnv } from './installed-cli.js';

let install: PackedInstall;
let project: string;
let child: ChildProcess | undefined;

beforeAll(async () => {
  install = packAndInstall();
  project = tempDir('llmtrace-dashboard-cli-');
  await seedStore(join(project, '.llmtrace'), { traces: 4 });
}, 120_000);

afterAll(() => {
  child?.kill('SIGKILL'); // still serving only when a check failed before the SIGINT
  removeInstall(install);
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
      // The page and the script it loads, from the installed package.
      const page = await fetch(printed.url);
      expect({ status: page.status, type: page.headers.get('content-type') }).toEqual({ status: 200, type: expect.stringContaining('text/html') });
      const script = /<script[^>]+src="([^"]+)"/.exec(await page.text())?.[1];
      expect(script).toBeDefined();
      expect((await fetch(new URL(script!, printed.url))).status).toBe(200);
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
  const server = spawn(install.bin, ['dashboard', '--port', '0', '--json', ...extra], { cwd: project, env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
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
