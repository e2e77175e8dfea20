/**
 * docs/cli.md against the command it documents: each command's section shows examples of that
 * command only (no other command's output or help text pasted in), and the `export` example prints
 * what the installed `llmtrace export` prints (the packed tarball in a fresh project, run as a
 * child process over a seeded store; the counts differ from the demo's store, the text does not).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/build-for-children.js';
import { packAndInstall, removeInstall, type PackedInstall } from '../helpers/packed-install.js';
import { seedStore } from '../helpers/dashboard-seed.js';
import { removeTempDirs, tempDir } from '../helpers/temp-dir.js';
import { runInstalledCli } from './installed-cli.js';

/** An example block of the page: the section it is in and its lines. */
interface Example {
  section: string;
  lines: string[];
}

const PROMPT = '$ npx llmtrace ';

let install: PackedInstall;
let project: string;
let examples: Example[];

/**
 * The fenced blocks of `markdown` that show a command being run (their first line is
 * `$ npx llmtrace ...`), each with the `## ` section it is in (a `## ` inside a block is output).
 */
function commandExamples(markdown: string): Example[] {
  const out: Example[] = [];
  let section = '';
  let block: string[] | undefined;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) {
      if (block?.[0]?.startsWith(PROMPT)) out.push({ section, lines: block });
      block = block ? undefined : [];
    } else if (block) {
      block.push(line);
    } else if (line.startsWith('## ')) {
      section = line.slice(3).trim();
    }
  }
  return out;
}

/** Output with every number made `N`: the example's store and the test's differ in counts only. */
function shape(lines: readonly string[]): string[] {
  return lines.map((line) => line.replace(/\d+/g, 'N'));
}

beforeAll(async () => {
  install = packAndInstall();
  project = tempDir('llmtrace-docs-');
  await seedStore(join(project, '.llmtrace'), { traces: 5 });
  examples = commandExamples(readFileSync(join(REPO_ROOT, 'docs', 'cli.md'), 'utf8'));
}, 120_000);

afterAll(() => {
  removeInstall(install);
  removeTempDirs();
});

describe('docs/cli.md examples', () => {
  test("each command's section runs only that command and holds no help text", () => {
    const commands = [...runInstalledCli(install, project, ['--help']).stdout.matchAll(/^ {2}([a-z-]+) /gm)].map((m) => m[1]!);
    const sections = examples.map((e) => e.section);
    for (const command of ['runs', 'run-info', 'slow', 'errors', 'stats', 'compare', 'export', 'report', 'tail', 'leaderboard', 'export-training']) {
      expect(sections).toContain(command);
    }
    for (const { section, lines } of examples) {
      expect(commands).toContain(section);
      for (const line of lines.filter((l) => l.startsWith('$ '))) {
        expect({ line, runsItsCommand: `${line} `.startsWith(`${PROMPT}${section} `) }).toEqual({ line, runsItsCommand: true });
      }
      expect({ section, help: lines.filter((l) => /^(Usage: llmtrace |Flags:$|Examples:$)/.test(l)) }).toEqual({ section, help: [] });
    }
  }, 60_000);

  test('the export example shows what export prints', () => {
    const example = examples.find((e) => e.section === 'export')!;
    expect(example.lines.filter((l) => l.startsWith('$ '))).toHaveLength(1);
    const result = runInstalledCli(install, project, example.lines[0]!.slice(PROMPT.length).split(' '));
    expect(result.status).toBe(0);
    expect(shape(example.lines.slice(1))).toEqual(shape(result.stdout.trimEnd().split('\n')));
  }, 60_000);
});
