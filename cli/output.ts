/**
 * How the command prints: colour only on a terminal (honouring NO_COLOR and FORCE_COLOR), tables
 * (cli-table3, borderless) that fit the terminal width by shortening the widest text columns, and
 * the number formats every command shares (durations, tokens, USD, times). JSON output bypasses
 * all of this.
 */
import Table from 'cli-table3';
import picocolors from 'picocolors';
import type { CommandIO } from './command.js';
import { inertJson, inertLines, inline } from './terminal-text.js';

/** The colour functions a command uses (identity functions when colour is off). */
export type Colors = ReturnType<typeof picocolors.createColors>;

/** Whether to colour stdout: FORCE_COLOR (not 0) forces it, NO_COLOR turns it off, else only on a terminal. */
export function colorEnabled(io: CommandIO): boolean {
  const force = io.env.FORCE_COLOR;
  if (force !== undefined && force !== '' && force !== '0' && force !== 'false') return true;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  return io.stdoutIsTTY;
}

/**
 * Colour functions for `io`'s stdout. What they colour is made inert first (its control
 * characters escaped, line breaks kept: terminal-text.ts), since it is often the traced program's text.
 */
export function colorsFor(io: CommandIO): Colors {
  const colors = picocolors.createColors(colorEnabled(io));
  const made = new Set<string>();
  const inert = Object.entries(colors).map(([name, paint]) => {
    if (typeof paint !== 'function') return [name, paint];
    return [
      name,
      (text: unknown): string => {
        const painted = (paint as (s: string) => string)(inertLines(String(text)));
        if (made.size >= MAX_PAINTED) made.clear();
        made.add(painted);
        return painted;
      },
    ];
  });
  const result = Object.fromEntries(inert) as Colors;
  paintedBy.set(result, made);
  return result;
}

/** Distinct coloured texts remembered per `Colors` (for the table cells among them); cleared when full. */
const MAX_PAINTED = 10_000;

/**
 * What each `colorsFor` result has coloured: a table cell that is one of these keeps its colour
 * sequences (its text was made inert when it was coloured); any other cell is made inert whole, so a
 * colour sequence the traced program wrote into a name is escaped, colour on or off.
 */
const paintedBy = new WeakMap<Colors, ReadonlySet<string>>();

/** A column: header, alignment, and whether it may be shortened to fit the width. */
export interface Column {
  header: string;
  align?: 'left' | 'right';
  /** Text columns (names, models) may be cut with an ellipsis; numbers never are. */
  shrink?: boolean;
}

const VISIBLE = /\x1b\[[0-9;]*m/g;

const LINE_BREAK = /\n/g;

function width(text: string): number {
  return text.replace(VISIBLE, '').length;
}

/** Column widths (content + one padding space) that fit in `total` columns, shrinking shrinkable columns widest first. */
export function fitWidths(columns: readonly Column[], rows: readonly (readonly string[])[], total: number): number[] {
  const cells = rows.filter((r) => !isNote(r, columns));
  const widths = columns.map((c, i) => Math.max(width(c.header), ...cells.map((r) => width(r[i] ?? ''))) + 1); // + padding-right
  const min = columns.map((c) => (c.shrink ? Math.max(6, Math.min(width(c.header) + 1, 12)) : 0));
  let excess = widths.reduce((s, w) => s + w, 0) + columns.length - 1 - total; // one space between columns
  while (excess > 0) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) if (columns[i]!.shrink && widths[i]! > min[i]! && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    if (widest < 0) break;
    widths[widest]!--;
    excess--;
  }
  return widths;
}

function isNote(row: readonly string[], columns: readonly Column[]): boolean {
  return row.length === 1 && columns.length > 1;
}

/**
 * A borderless table of `cells` under `columns`, as wide as the terminal allows, each cell made
 * inert terminal text (terminal-text.ts: the traced program's control characters escaped). A row of one cell
 * (in a table of several columns) is a note spanning the whole width (an error or event line under
 * a span); notes do not widen the columns.
 */
export function renderTable(columns: readonly Column[], cells: readonly (readonly string[])[], io: CommandIO, colors: Colors): string {
  // The traced program's text, made inert; a cell the colours made keeps its colour (its line breaks
  // are escaped here: colouring keeps them, for text printed outside a table).
  const painted = paintedBy.get(colors);
  const inert = (cell: string): string => (painted?.has(cell) ? cell.replace(LINE_BREAK, '\\n') : inline(cell));
  const rows = cells.map((row) => row.map(inert));
  const table = new Table({
    head: columns.map((c) => colors.bold(c.header)),
    colAligns: columns.map((c) => c.align ?? 'left'),
    colWidths: fitWidths(columns, rows, io.columns),
    wordWrap: false,
    truncate: '…',
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
      left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: ' ',
    },
    style: { 'padding-left': 0, 'padding-right': 1, head: [], border: [] },
  });
  for (const row of rows) table.push(isNote(row, columns) ? [{ content: row[0]!, colSpan: columns.length }] : [...row]);
  return `${table.toString().split('\n').map((line) => line.trimEnd()).join('\n')}\n`;
}

/** Milliseconds for people: `850 ms`, `12.4 s`, `3m 05s`; `-` for null. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '-';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes}m ${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`;
}

/** USD: `$0.0123`; `-` when nothing was priced; a `+` when some calls were unpriced (a lower bound). */
export function formatUsd(usd: number, unpriced = 0): string {
  if (usd === 0 && unpriced > 0) return '?';
  const text = usd === 0 ? '$0' : usd < 0.01 ? `$${usd.toFixed(5)}` : `$${usd.toFixed(4)}`;
  return unpriced > 0 ? `${text}+` : text;
}

/** An integer with thousands separators. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A ratio 0..1 as a percentage: `97.5%`. */
export function formatPercent(ratio: number): string {
  return `${(ratio * 100).toFixed(ratio === 1 || ratio === 0 ? 0 : 1)}%`;
}

/** An epoch-ms time as `2026-11-24 21:03:07` (UTC). */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** Prints `value` as indented JSON on stdout. */
export function printJson(io: CommandIO, value: unknown): void {
  io.out(`${inertJson(JSON.stringify(value, null, 2))}\n`);
}
