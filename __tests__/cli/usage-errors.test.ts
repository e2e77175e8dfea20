/**
 * Bad command lines the `llmtrace` command must refuse, run as a user runs it (the packed tarball's
 * bin, installed in a fresh project, as a child process over a store the real FileStore wrote): one
 * line on stderr naming the problem and the fix, nothing on stdout, exit code 2. Stray arguments, a
 * single-value flag given twice, days not on the calendar, a file given as the store, an output file
 * that cannot be created; and bare `llmtrace`, which is a request for the command list, not an error.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packAndInstall, removeInstall, type PackedInstall } from '../helpers/packed-install.js';
import { seedStore } from '../helpers/dashboard-seed.js';
import { removeTempDirs, tempDir } from '../helpers/temp-dir.js';
import { runInstalledCli } from './installed-cli.js';

let install: PackedInstall;
let project: string;

function llmtrace(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  return runInstalledCli(install, project, args, { env, timeoutMs: 20_000 });
}

/** Expects `args` to be refused with one stderr line matching `message`, nothing on stdout, exit 2. */
function expectRefused(args: readonly string[], message: RegExp, env: NodeJS.ProcessEnv = {}): void {
  const result = llmtrace(args, env);
  expect({ args, status: result.status, stdout: result.stdout }).toEqual({ args, status: 2, stdout: '' });
  expect(result.stderr.trimEnd()).toMatch(message);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
}

/** `--port 0` for the dashboard: were it to serve by mistake, it must not take a port another run uses. */
function anyPort(command: string): string[] {
  return command === 'dashboard' ? ['--port', '0'] : [];
}

function expectAccepted(args: readonly string[]): void {
  const result = llmtrace(args);
  expect({ args, status: result.status, stderr: result.stderr }).toEqual({ args, status: 0, stderr: '' });
}

beforeAll(async () => {
  install = packAndInstall();
  project = tempDir('llmtrace-usage-');
  await seedStore(join(project, '.llmtrace'), { traces: 6 });
  writeFileSync(join(project, 'notes.json'), '{"not":"a store"}\n');
  mkdirSync(join(project, 'out'));
}, 120_000);

afterAll(() => {
  removeInstall(install);
  removeTempDirs();
});

describe('llmtrace refuses what it does not take', () => {
  test('an argument a command does not take is named, with what the command takes', () => {
    for (const command of ['runs', 'slow', 'errors', 'stats', 'leaderboard', 'tail', 'dashboard']) {
      expectRefused(
        [command, 'extra-arg', ...anyPort(command)],
        new RegExp(`^llmtrace ${command}: unexpected argument "extra-arg": ${command} takes no arguments, only flags \\(see llmtrace ${command} --help\\)$`),
      );
    }
    expectRefused(['compare', 'gpt-4o-mini', 'claude-haiku-4-5', 'llama3'], /^llmtrace compare: unexpected argument "llama3": compare takes two arguments: <model-a> <model-b> /);
    expectRefused(['export', 'a.csv', 'b.csv'], /^llmtrace export: unexpected argument "b.csv": export takes one argument: <file> /);
    expect(existsSync(join(project, 'a.csv'))).toBe(false);
  }, 120_000);

  test('a single-value flag given twice, or under both its names, is an error naming it', () => {
    expectRefused(['runs', '--since', '1m', '--since', '2d'], /^llmtrace runs: --since given twice \("1m" and "2d"\): give it once \(see llmtrace runs --help\)$/);
    expectRefused(['slow', '--status', 'success', '--status=error'], /^llmtrace slow: --status given twice \("success" and "error"\): give it once/);
    expectRefused(['slow', '--top', '2', '--limit', '5'], /^llmtrace slow: --top and --limit are one flag, given twice \("2" and "5"\): give one of them/);
    expectRefused(['runs', '--dir', '.llmtrace', '--dir', 'other'], /^llmtrace runs: --dir given twice/);
    // Repeatable flags stay repeatable, and --limit alone is still --top.
    expectAccepted(['runs', '--model', 'gpt-4o-mini', '--model', 'claude-haiku-4-5', '--attr', 'llmtrace.function=answer', '--attr', 'gen_ai.provider.name=openai']);
    const two = llmtrace(['slow', '--limit', '2', '--json']);
    expect(two.status).toBe(0);
    expect(JSON.parse(two.stdout)).toHaveLength(2);
  }, 120_000);

  test('a day that is not on the calendar is refused, not rolled over; every documented form is accepted', () => {
    expectRefused(['runs', '--since', '2026-02-30'], /^llmtrace runs: --since must be a day on the calendar: 2026-02 has 28 days, got "2026-02-30"$/);
    expectRefused(['runs', '--until', '2026-11-31'], /^llmtrace runs: --until must be a day on the calendar: 2026-11 has 30 days, got "2026-11-31"$/);
    expectRefused(['stats', '--since', '2025-02-29T10:00Z'], /^llmtrace stats: --since must be a day on the calendar: 2025-02 has 28 days, got "2025-02-29T10:00Z"$/);
    for (const when of ['90s', '30m', '12h', '7d', '2w', '2024-02-29', '2026-11-24', '2026-11-24T21:00Z', '2026-11-24T21:00:00.000Z']) expectAccepted(['runs', '--since', when]);
  }, 120_000);

  test('--dir or LLMTRACE_DIR naming a file is a usage error, not an empty store with warnings', () => {
    const message = /^llmtrace: --dir notes\.json is a file, not a store directory: give the folder the program traced into/;
    for (const command of ['runs', 'stats', 'tail', 'dashboard']) expectRefused([command, '--dir', 'notes.json', ...anyPort(command)], message);
    expectRefused(['report', '--out', 'out/report', '--dir', 'notes.json'], message);
    expectRefused(['runs'], /^llmtrace: LLMTRACE_DIR=notes\.json is a file, not a store directory/, { LLMTRACE_DIR: 'notes.json' });
  }, 120_000);

  test('an empty flag value is refused, not read as the current folder or as no filter', () => {
    expectRefused(['runs', '--dir', ''], /^llmtrace runs: --dir needs a <dir>, got an empty string$/);
    expectRefused(['stats', '--model='], /^llmtrace stats: --model needs a <name>, got an empty string$/);
    expectRefused(['compare', '', 'gpt-4o-mini'], /^llmtrace compare: argument 1 is empty: give <model-a> \(see llmtrace compare --help\)$/);
    expectRefused(['report', '', '--out', 'out/empty-arg'], /^llmtrace report: argument 1 is empty: give /);
  }, 60_000);

  test('compare with a model that has no calls exits 2, naming the nearest model that has some', () => {
    expectRefused(['compare', 'gpt-4o-mini', 'claude-haiku-4-6'], /^llmtrace compare: no calls of claude-haiku-4-6 in this range, did you mean "claude-haiku-4-5"\? \(see llmtrace stats --by model\)$/);
    expectRefused(['compare', 'nothing-like-it', 'gpt-4o-mini', '--json'], /^llmtrace compare: no calls of nothing-like-it in this range \(see llmtrace stats --by model\)$/);
  }, 60_000);

  test('dashboard over a store that does not exist exits 2 as every command does, instead of serving', () => {
    expectRefused(['dashboard', '--dir', 'missing', '--port', '0'], /^llmtrace: no store at .*missing: did the program call startTracing\(\)\?/);
  }, 60_000);

  test('an output file that cannot be created says what is actually wrong with its folder', () => {
    if (existsSync('/proc/self')) {
      expectRefused(['export', '/proc/x.csv'], /^llmtrace export: cannot create \/proc\/x\.csv: \/proc does not accept new files \(it is not a normal folder\); choose another folder$/);
    }
    expectRefused(['export', 'nowhere/x.csv'], /^llmtrace export: cannot create nowhere\/x\.csv: its folder nowhere does not exist; create it first$/);
    if (existsSync('/proc/self')) {
      // Node's recursive mkdir never returned under /proc: report --out spun at full CPU until 2026-12-07.
      expectRefused(['report', '--out', '/proc/llmtrace-report'], /^llmtrace report: cannot create \/proc\/llmtrace-report: \/proc does not accept new files \(it is not a normal folder\); choose another folder$/);
    }
    expectRefused(['report', '--out', 'notes.json'], /^llmtrace report: notes\.json is a file, not a folder: give a folder name$/);
    expectRefused(['export', 'notes.json/x.csv'], /^llmtrace export: cannot create notes\.json\/x\.csv: part of its folder notes\.json is a file, not a folder$/);
  }, 60_000);
});

describe('bare llmtrace', () => {
  test('prints the command list on stdout and exits 0, like llmtrace --help', () => {
    const bare = llmtrace([]);
    expect({ status: bare.status, stderr: bare.stderr }).toEqual({ status: 0, stderr: '' });
    expect(bare.stdout).toMatch(/^Usage: llmtrace <command> \[flags\]\n/);
    expect(bare.stdout).toBe(llmtrace(['--help']).stdout);
  }, 60_000);

  test('help <command> is <command> --help; an unknown command or extra words are refused', () => {
    const help = llmtrace(['help', 'runs']);
    expect({ status: help.status, stderr: help.stderr }).toEqual({ status: 0, stderr: '' });
    expect(help.stdout).toBe(llmtrace(['runs', '--help']).stdout);
    expect(help.stdout).not.toBe(llmtrace(['--help']).stdout);
    expectRefused(['help', 'rnus'], /^llmtrace: unknown command "rnus", did you mean "runs"\? \(see llmtrace --help\)$/);
    expectRefused(['help', 'runs', 'slow'], /^llmtrace: help takes one command name, got 2 words/);
    expectRefused(['--version', 'extra'], /^llmtrace: --version takes no arguments, got "extra"$/);
  }, 60_000);
});
