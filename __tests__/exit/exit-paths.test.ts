/**
 * Exit without loss, exactly as untraced: for each way a process can end, a program installed
 * from the PACKED tarball in a fresh project records 10,000 spans and then ends that way. Every
 * span must be on disk (JSON file store and JSONL session file), with the window summary that
 * counts them, and the process must end with the same exit code or signal as its untraced twin
 * (the same program without llmtrace). Slow: one build, pack and install per suite, then 24
 * child processes run side by side.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installTarball, packTarball } from '../helpers/packed-tarball.js';

const SPANS = 10_000;

/** Each way to end, with the outcome an untraced program has (checked against the twin too). */
const MODES = {
  natural: { code: 0, signal: null },
  'exit-code': { code: 7, signal: null },
  'process-exit': { code: 3, signal: null },
  'sync-burst-process-exit': { code: 5, signal: null },
  'exit-inside-traced-call': { code: 4, signal: null },
  'uncaught-exception': { code: 1, signal: null },
  'unhandled-rejection': { code: 1, signal: null },
  'uncaught-exception-handler-exit': { code: 2, signal: null },
  sigterm: { code: null, signal: 'SIGTERM' },
  sigint: { code: null, signal: 'SIGINT' },
  'sigterm-handler-exit': { code: 0, signal: null },
  'sigint-handler-async-exit': { code: 130, signal: null },
} as const;
type Mode = keyof typeof MODES;

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

let work: string;
let project: string;
const results = new Map<string, Outcome>();

function runChild(mode: Mode, traced: boolean): Promise<Outcome> {
  const signal = MODES[mode].signal ?? (mode.startsWith('sigint') ? 'SIGINT' : mode.startsWith('sigterm') ? 'SIGTERM' : null);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['exit-program.mjs'], {
      cwd: project,
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        MODE: mode,
        TRACED: traced ? '1' : '0',
        SPANS: String(SPANS),
        STORE: join(work, mode, 'store'),
        SESSIONS: join(work, mode, 'sessions'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    // A hang guard only: generous, since CI machines have 2 cores and other suites run alongside.
    const killer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (signal && stdout.includes('ready\n') && !child.killed) child.kill(signal);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, sig) => {
      clearTimeout(killer);
      resolve({ code, signal: sig, stderr });
    });
  });
}

function readJson(path: string): { records: Record<string, unknown>[] } {
  return JSON.parse(readFileSync(path, 'utf8')) as { records: Record<string, unknown>[] };
}

/** The `generate` span records in the store's span segments: total and distinct ids. */
function spansOnDisk(store: string): { total: number; distinct: number } {
  const dir = join(store, 'spans');
  const ids: string[] = [];
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    if (!name.endsWith('.json') || name.startsWith('.')) continue;
    for (const record of readJson(join(dir, name)).records) if (record.name === 'generate') ids.push(record.id as string);
  }
  return { total: ids.length, distinct: new Set(ids).size };
}

/** Calls of `generate` counted by the window summaries on disk. */
function summarisedCalls(store: string): number {
  const dir = join(store, 'summaries');
  let calls = 0;
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    if (!name.endsWith('.json') || name.startsWith('.')) continue;
    for (const record of readJson(join(dir, name)).records) if (record.function === 'generate') calls += record.callCount as number;
  }
  return calls;
}

/** The session files' lines: `llm_response` span ids and the count of each line type. */
function sessionLines(dir: string): { responses: string[]; types: Record<string, number>; torn: number } {
  const responses: string[] = [];
  const types: Record<string, number> = {};
  let torn = 0;
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) {
      if (line === '') continue;
      let event: { type: string; data: { span_id?: string } };
      try {
        event = JSON.parse(line) as typeof event;
      } catch {
        torn++;
        continue;
      }
      types[event.type] = (types[event.type] ?? 0) + 1;
      if (event.type === 'llm_response') responses.push(event.data.span_id!);
    }
  }
  return { responses, types, torn };
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'llmtrace-exit-'));
  project = join(work, 'consumer');
  installTarball(project, packTarball(work));
  copyFileSync(join(import.meta.dirname, 'fixtures', 'exit-program.mjs'), join(project, 'exit-program.mjs'));
  const modes = Object.keys(MODES) as Mode[];
  // Four children at a time: 22 programs of 10,000 spans each at once starve a 2-core machine.
  const jobs = modes.flatMap((mode) => [() => runChild(mode, true), () => runChild(mode, false)]);
  const outcomes: Outcome[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < jobs.length) {
        const at = next++;
        outcomes[at] = await jobs[at]!();
      }
    }),
  );
  modes.forEach((mode, i) => {
    results.set(`${mode}:traced`, outcomes[2 * i]!);
    results.set(`${mode}:untraced`, outcomes[2 * i + 1]!);
  });
}, 400_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.each(Object.keys(MODES) as Mode[])('ending by %s', (mode) => {
  it('ends with the same exit code or signal as the untraced twin', () => {
    const traced = results.get(`${mode}:traced`)!;
    const untraced = results.get(`${mode}:untraced`)!;
    expect({ code: untraced.code, signal: untraced.signal }).toEqual(MODES[mode]);
    expect({ code: traced.code, signal: traced.signal }).toEqual({ code: untraced.code, signal: untraced.signal });
  });

  it('keeps every span in the JSON file store, once, with the summary that counts them', () => {
    const store = join(work, mode, 'store');
    expect(spansOnDisk(store)).toEqual({ total: SPANS, distinct: SPANS });
    expect(summarisedCalls(store)).toBe(SPANS);
  });

  it('keeps every span in the session file, once, and ends the session', () => {
    const lines = sessionLines(join(work, mode, 'sessions'));
    expect(lines.torn).toBe(0);
    expect(lines.responses).toHaveLength(SPANS);
    expect(new Set(lines.responses).size).toBe(SPANS);
    expect(lines.types).toMatchObject({ session_start: 1, session_end: 1 });
  });
});

describe('what the user sees on a crash', () => {
  it.each(['uncaught-exception', 'unhandled-rejection'] as const)('%s: the same error is reported on stderr', (mode) => {
    const message = mode === 'uncaught-exception' ? 'boom from a timer' : 'nobody handles this rejection';
    expect(results.get(`${mode}:untraced`)!.stderr).toContain(message);
    expect(results.get(`${mode}:traced`)!.stderr).toContain(message);
  });
});
