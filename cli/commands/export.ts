/**
 * `llmtrace export <file>`: spans or window summaries as CSV (RFC 4180: quoted as needed, CRLF
 * line ends, a header row; columns in docs/cli.md#export, attributes flattened to `attr.<key>`)
 * or JSONL (one record a line, as stored). Spans stream twice for CSV (first the attribute keys
 * for the header, then the rows), so memory stays bounded. Thin over lib/query flat rows.
 */
import { stringify } from 'csv-stringify/sync';
import { evaluationRow, EVALUATION_COLUMNS, spanColumns, spanRow, summaryRow, SUMMARY_COLUMNS, type FlatRow } from '../../lib/query/flat-rows.js';
import { readSpanBatches, readSpans } from '../../lib/query/source.js';
import { filtersBeyondTime, spanMatcher } from '../../lib/query/span-filter.js';
import { booleanFlag, stringFlag } from '../args.js';
import type { Command } from '../command.js';
import { createOutputFile } from '../output-file.js';
import { printJson } from '../output.js';
import { reportProblems } from '../problems.js';
import { withProgress } from '../progress.js';
import { FILTER_FLAGS, filterFromArgs, openStoreFromArgs, storeDirFromArgs } from '../query-flags.js';
import { UsageError } from '../usage-error.js';

/** What `export` can write. */
export const EXPORT_KINDS = ['spans', 'summaries', 'evaluations'] as const;

/** Output formats of `export`. */
export const EXPORT_FORMATS = ['csv', 'jsonl'] as const;

/**
 * One CSV line (RFC 4180, CRLF) of `cells`. A field holding a bare line feed or carriage return is
 * quoted too (csv-stringify quotes only the record delimiter, CRLF, by itself).
 */
export function csvLine(cells: readonly (string | number | boolean | null)[]): string {
  return stringify([cells.map((c) => (c === null ? '' : c))], { record_delimiter: 'windows', quoted_match: /[\r\n]/, cast: { boolean: (b) => String(b) } });
}

function csvRow(row: FlatRow, columns: readonly string[]): string {
  return csvLine(columns.map((c) => row[c] ?? null));
}

function formatOf(path: string, flag: string | undefined): (typeof EXPORT_FORMATS)[number] {
  const format = flag ?? (path.toLowerCase().endsWith('.jsonl') || path.toLowerCase().endsWith('.ndjson') ? 'jsonl' : 'csv');
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`llmtrace export: --format must be csv or jsonl, got ${JSON.stringify(format)}`);
  return format as (typeof EXPORT_FORMATS)[number];
}

/** `llmtrace export`. */
export const exportCommand: Command = {
  name: 'export',
  summary: 'write spans, summaries or evaluations to a CSV or JSONL file',
  usage: 'export <file> [--what spans|summaries|evaluations] [--format csv|jsonl] [--force] [--since <when>] [filters]',
  examples: ['llmtrace export spans.csv --since 7d', 'llmtrace export summaries.jsonl --what summaries'],
  arguments: ['<file>'],
  flags: {
    ...FILTER_FLAGS,
    what: { type: 'string', value: 'spans|summaries|evaluations', description: 'what to export (default spans)' },
    format: { type: 'string', value: 'csv|jsonl', description: 'output format (default: from the file extension, else csv)' },
    force: { type: 'boolean', description: 'overwrite the file if it exists' },
  },
  async run(args, io) {
    const [file] = args.positionals;
    if (file === undefined) throw new UsageError('llmtrace export: give one output file: llmtrace export <file.csv|file.jsonl>');
    const what = stringFlag(args, 'what') ?? 'spans';
    if (!(EXPORT_KINDS as readonly string[]).includes(what)) throw new UsageError(`llmtrace export: --what must be spans, summaries or evaluations, got ${JSON.stringify(what)}`);
    const format = formatOf(file, stringFlag(args, 'format'));
    const filter = filterFromArgs(args, io, 'export');
    if (what !== 'spans' && filtersBeyondTime(filter)) throw new UsageError(`llmtrace export: ${what} can be filtered by --since/--until only`);
    const source = await openStoreFromArgs(args, io);
    const out = await createOutputFile(file, { force: booleanFlag(args, 'force'), storeDir: storeDirFromArgs(args, io), command: 'export', io });
    let records = 0;
    try {
      if (what === 'evaluations') {
        if (format === 'csv') await out.write(csvLine(EVALUATION_COLUMNS));
        for await (const record of source.evaluations({ from: filter.from, to: filter.to })) {
          await out.write(format === 'csv' ? csvRow(evaluationRow(record), EVALUATION_COLUMNS) : `${JSON.stringify(record)}\n`);
          records++;
        }
      } else if (what === 'summaries') {
        const summaries = await source.summaries(filter);
        if (format === 'csv') await out.write(csvLine(SUMMARY_COLUMNS));
        for (const s of summaries) {
          await out.write(format === 'csv' ? csvRow(summaryRow(s), SUMMARY_COLUMNS) : `${JSON.stringify(s)}\n`);
          records++;
        }
      } else {
        const keep = spanMatcher(filter);
        let columns: string[] = [];
        if (format === 'csv') {
          const keys = new Set<string>();
          for await (const span of readSpans([source], filter, keep)) for (const key of Object.keys(span.attributes)) keys.add(key);
          columns = spanColumns(keys);
          await out.write(csvLine(columns));
        }
        for await (const batch of withProgress(readSpanBatches([source], filter, keep), io, source.label)) {
          for (const span of batch) {
            await out.write(format === 'csv' ? csvRow(spanRow(span), columns) : `${JSON.stringify(span)}\n`);
            records++;
          }
        }
      }
    } finally {
      await out.close();
    }
    if (booleanFlag(args, 'json')) printJson(io, { file: out.path, what, format, records });
    else io.out(`wrote ${records} ${what} to ${file} (${format})\n`);
    reportProblems([source], io);
  },
};
