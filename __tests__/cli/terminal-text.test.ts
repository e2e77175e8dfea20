/**
 * Text the traced program wrote (span names, models, error messages) reaches the terminal inert: the
 * `llmtrace` command of the packed tarball installed in a fresh project, run as a child process over
 * a store the real FileStore wrote, whose spans hold escape sequences (clear the screen, set the window title), carriage returns and line feeds (fake
 * or overwrite a line) and a right-to-left override. Every command's text output shows them as
 * escapes; `--json` keeps them exactly, JSON-escaped.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openFileStore } from '../../index.js';
import { packAndInstall, removeInstall, type PackedInstall } from '../helpers/packed-install.js';
import { seededSpans } from '../helpers/dashboard-seed.js';
import { removeTempDirs, tempDir } from '../helpers/temp-dir.js';
import { runInstalledCli } from './installed-cli.js';

let install: PackedInstall;
let project: string;
let traceId: string;

const HOSTILE_NAME = 'plan\x1b[32m\x1b]0;pwned\x07\x1b[2J\rFAKE LINE\nnext\u202eevil\u2028sep';
const HOSTILE_MESSAGE = '429\x1b[1A\x1b[2Koverwritten\r\nok';
const HOSTILE_MODEL = 'gpt\x1b[8m-hidden\x1b[1m';

beforeAll(async () => {
  install = packAndInstall();
  project = tempDir('llmtrace-terminal-');
  const spans = seededSpans({ traces: 4, seed: 3 });
  for (const span of spans) {
    const named = span as { name: string }; // a name as the program gave it (readonly on the span's type)
    if (span.kind === 'run') named.name = HOSTILE_NAME;
    if (span.kind === 'llm') {
      named.name = HOSTILE_NAME;
      span.attributes['llmtrace.function'] = HOSTILE_NAME;
      span.attributes['gen_ai.response.model'] = HOSTILE_MODEL;
      span.attributes['gen_ai.request.model'] = HOSTILE_MODEL;
      span.status = 'error';
      span.error = { type: 'RateLimit\x1b[31mError', message: HOSTILE_MESSAGE };
    }
  }
  traceId = spans[0]!.traceId;
  const store = await openFileStore({ dir: join(project, '.llmtrace'), flushOnExit: false });
  await store.export(spans);
  await store.shutdown();
}, 120_000);

afterAll(() => {
  removeInstall(install);
  removeTempDirs();
});

/** What is left of `text` once llmtrace's own colour sequences are taken out: none are there without a terminal. */
function controls(text: string): string[] {
  return [...text.matchAll(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g)].map((m) => m[0]);
}

describe('the traced program\'s text on the terminal', () => {
  test.each([
    [['runs']],
    [['slow']],
    [['errors']],
    [['stats', '--by', 'function']],
    [['stats', '--by', 'model']],
    [['run-info', 'TRACE']],
  ])('llmtrace %j prints it escaped: no control character, no line it did not make', (args) => {
    const result = runInstalledCli(install, project, args.map((a) => (a === 'TRACE' ? traceId.slice(0, 12) : a)), { env: { COLUMNS: '400' } });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(controls(result.stdout)).toEqual([]);
    expect(result.stdout.split('\n').some((line) => line.startsWith('FAKE LINE') || line.startsWith('next'))).toBe(false);
    expect(result.stdout).toMatch(/\\x1b|\\u202e/);
  });

  test.each([[['errors']], [['slow']], [['runs']]])('with colour on, llmtrace %j writes only its own colour sequences', (args) => {
    const result = runInstalledCli(install, project, args, { env: { COLUMNS: '400', FORCE_COLOR: '1' } });
    expect(result.stdout).toMatch(/\x1b\[3[12]m/); // coloured
    const plain = result.stdout.replace(/\x1b\[[0-9;]*m/g, '');
    expect(controls(plain)).toEqual([]);
    expect(plain.split('\n').some((line) => /^(FAKE LINE|next|ok)/.test(line.trim()))).toBe(false); // coloured cells too
    expect(result.stdout).not.toContain('\x1b[8m'); // the program's own style sequence, escaped
    // Sequences llmtrace's colours also write, put by the program into cells llmtrace did not colour, escaped too.
    expect(result.stdout).not.toContain('-hidden\x1b[1m');
    expect(result.stdout).not.toContain('plan\x1b[32m');
    expect(result.stdout).toMatch(/-hidden\\x1b\[1m|plan\\x1b\[32m/);
  });

  test('report prints and writes its Markdown with the text inert: no control character, no forged row or line', () => {
    const result = runInstalledCli(install, project, ['report', '--out', 'report-out', '--force']);
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    const markdown = readFileSync(join(project, 'report-out', 'report.md'), 'utf8');
    for (const text of [result.stdout, markdown]) {
      expect(controls(text)).toEqual([]);
      expect(text.split('\n').some((line) => line.startsWith('FAKE LINE') || line.startsWith('next'))).toBe(false);
    }
  });

  test('compare names a stored model it suggests inert', () => {
    const result = runInstalledCli(install, project, ['compare', 'gpt\x1b[8m-hiddem\x1b[1m', 'claude-haiku-4-5']);
    expect(result.status).toBe(2);
    expect(controls(result.stderr)).toEqual([]);
    expect(result.stderr).toContain('did you mean "gpt\\x1b[8m-hidden\\x1b[1m"?');
  });

  test('--json keeps the text exactly as stored, every character a terminal acts on escaped', () => {
    const result = runInstalledCli(install, project, ['slow', '--json']);
    expect(controls(result.stdout.replace(/\n/g, ''))).toEqual([]);
    const rows = JSON.parse(result.stdout) as { name: string; error?: { message: string } }[];
    expect(rows.some((r) => r.name === HOSTILE_NAME && r.error?.message === HOSTILE_MESSAGE)).toBe(true);
  });
});
