/**
 * `llmtrace dashboard --json`, as a script runs it (the built bin as a child process over a store
 * the real FileStore wrote): the listening URL and the store as one JSON object on stdout, a URL
 * that answers, and a clean stop on SIGINT.
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
    const server = spawn(process.execPath, [cliBin(build), 'dashboard', '--port', '0', '--json'], { cwd: project, env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
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
    try {
      expect(Object.keys(printed).sort()).toEqual(['dir', 'url']);
      expect(printed.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(printed.dir).toBe(join(project, '.llmtrace'));
      const facets = await fetch(new URL('api/facets', printed.url));
      expect(facets.status).toBe(200);
      expect(((await facets.json()) as { traces: number }).traces).toBe(4);
    } finally {
      server.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
  }, 60_000);
});
