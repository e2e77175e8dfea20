/**
 * `llmtrace report <inputs...> --out <dir>`: a report over store directories and JSONL session
 * files (mixed): per input its counts, errors by type, latency statistics, models, tokens and
 * cost, then a comparison by model or by input, and four charts. Writes report.md, report.html
 * (self-contained) and one SVG per chart into --out; refuses to overwrite without --force and
 * never writes into an input. The chart library loads only here.
 */
import { join, relative, resolve } from 'node:path';
import { ensureNotEmpty, openSource } from '../../lib/query/source.js';
import { booleanFlag, stringFlag } from '../args.js';
import type { Command } from '../command.js';
import { checkOutsideStore, createOutputFile, makeOutputFolder } from '../output-file.js';
import { printJson } from '../output.js';
import { reportProblems } from '../problems.js';
import { FILTER_FLAGS, filterFromArgs, openStoreFromArgs, shownPath } from '../query-flags.js';
import { collectReport } from '../report/collect.js';
import type { CompareBy } from '../report/render.js';
import { UsageError } from '../usage-error.js';
import { inertLines } from '../terminal-text.js';

/** `llmtrace report`. */
export const reportCommand: Command = {
  name: 'report',
  summary: 'write a Markdown + self-contained HTML report with SVG charts over one or more inputs',
  usage: 'report [<store-dir|session.jsonl|exported.jsonl>...] --out <dir> [--compare-by model|input] [--force] [filters]',
  examples: ['llmtrace report .llmtrace traces/*.jsonl --out analysis/', 'llmtrace report --out report --since 24h --compare-by input'],
  arguments: ['<store-dir|session.jsonl|exported.jsonl>...'],
  flags: {
    ...FILTER_FLAGS,
    out: { type: 'string', value: '<dir>', description: 'folder to write report.md, report.html and the charts into (created if missing)' },
    'compare-by': { type: 'string', value: 'model|input', description: 'how the comparison section is split (default model)' },
    force: { type: 'boolean', description: 'overwrite report files that exist' },
  },
  async run(args, io) {
    const outDir = stringFlag(args, 'out');
    if (outDir === undefined) throw new UsageError('llmtrace report: say where to write it: --out <dir>');
    const by = (stringFlag(args, 'compare-by') ?? 'model') as CompareBy;
    if (by !== 'model' && by !== 'input') throw new UsageError(`llmtrace report: --compare-by must be model or input, got ${JSON.stringify(by)}`);
    const filter = filterFromArgs(args, io, 'report');
    const sources = [];
    for (const input of args.positionals) {
      const source = await openSource(resolve(io.cwd, input));
      await ensureNotEmpty(source, shownPath(input, io));
      sources.push(source);
    }
    if (sources.length === 0) sources.push(await openStoreFromArgs(args, io)); // no inputs: the store, which must be a directory
    for (const source of sources) checkOutsideStore(resolve(io.cwd, outDir), source.kind === 'store' ? source.path : undefined, 'report');
    const data = await collectReport(sources, filter, io.now());
    const { reportCharts } = await import('../report/charts.js');
    const { renderHtml, renderMarkdown } = await import('../report/render.js');
    const charts = await reportCharts(data.calls);
    const files: [string, string][] = [
      ['report.md', renderMarkdown(data, charts, by)],
      ['report.html', renderHtml(data, charts, by)],
      ...charts.map((c) => [c.file, c.svg] as [string, string]),
    ];
    await makeOutputFolder(resolve(io.cwd, outDir), outDir, 'report');
    const written: string[] = [];
    for (const [name, text] of files) {
      const file = await createOutputFile(join(outDir, name), { force: booleanFlag(args, 'force'), command: 'report', io });
      try {
        await file.write(text);
      } finally {
        await file.close();
      }
      written.push(file.path);
    }
    if (booleanFlag(args, 'json')) {
      printJson(io, { files: written, inputs: data.inputs.map(({ problems, ...rest }) => ({ ...rest, problems })), byModel: data.byModel });
    } else {
      io.out(inertLines(files[0]![1]));
      io.out(`wrote ${written.map((f) => relative(io.cwd, f) || f).join(', ')}\n`);
    }
    reportProblems(sources, io);
  },
};
