/**
 * `llmtrace run-info <id-prefix>`: one trace as a tree and waterfall: per span its kind, model,
 * duration, a time bar aligned to the trace start, tokens, cost, status, error, events and scope
 * ids, then the evaluations recorded in the trace. Thin over lib/query findTrace.
 */
import type { EvaluationRecord } from '../../lib/evaluations/types.js';
import { findTrace } from '../../lib/query/find-trace.js';
import { spanCost, spanInputTokens, spanModel, spanOutputTokens } from '../../lib/query/span-fields.js';
import type { TraceNode } from '../../lib/query/traces.js';
import { booleanFlag } from '../args.js';
import type { Command } from '../command.js';
import { colorsFor, formatMs, formatTime, formatUsd, printJson, renderTable, type Colors } from '../output.js';
import { reportProblems } from '../problems.js';
import { openStoreFromArgs } from '../query-flags.js';
import { UsageError } from '../usage-error.js';
import { inline } from '../terminal-text.js';

/** Characters of the waterfall bar. */
export const BAR_WIDTH = 24;

/** The waterfall cell of a span: its place and length within the trace, in BAR_WIDTH characters. */
export function timeBar(start: number, end: number, traceStart: number, traceEnd: number, width = BAR_WIDTH): string {
  const total = Math.max(traceEnd - traceStart, 1e-9);
  const from = Math.min(width - 1, Math.floor(((start - traceStart) / total) * width));
  const to = Math.max(from + 1, Math.min(width, Math.ceil(((end - traceStart) / total) * width)));
  return `${' '.repeat(from)}${'█'.repeat(to - from)}${' '.repeat(width - to)}`;
}

function detailLines(node: TraceNode, traceStart: number, c: Colors): string[] {
  const { span } = node;
  const indent = '  '.repeat(node.depth + 1);
  const lines: string[] = [];
  if (span.error) lines.push(`${indent}${c.red(`error: ${span.error.type}: ${span.error.message}`)}`);
  for (const event of span.events) lines.push(`${indent}${c.dim(`event +${formatMs(event.time - traceStart)} ${event.name}`)}`);
  return lines;
}

/** One evaluation of the trace as a line: who chose what among which candidates, or a score. */
export function evaluationLine(e: EvaluationRecord): string {
  if (e.type === 'score') return `score ${e.name}=${String(e.value)}${e.model ? ` (${e.model})` : ''}${e.comment ? `: ${e.comment}` : ''}`;
  const chosen = e.chosen === null ? 'none' : (e.candidates[e.chosen]?.model ?? '?');
  const scores = Object.entries(e.scores).map(([model, value]) => `${model}=${String(value)}`).join(' ');
  return `${e.evaluator} chose ${chosen} among ${e.candidates.map((c) => c.model).join(', ')}${scores ? ` (scores ${scores})` : ''}${e.analysis ? `: ${e.analysis}` : ''}`;
}

/** `llmtrace run-info`. */
export const runInfoCommand: Command = {
  name: 'run-info',
  summary: 'show one run (trace) as a tree with a time bar per span',
  usage: 'run-info <trace-id-prefix> [--dir <dir>] [--json]',
  examples: ['llmtrace run-info 4bf92f35', 'llmtrace run-info 4bf92f35 --json | jq ".nodes[].span.name"'],
  arguments: ['<trace-id-prefix>'],
  flags: {},
  async run(args, io) {
    const [prefix] = args.positionals;
    if (prefix === undefined) throw new UsageError('llmtrace run-info: give a trace id (a prefix is enough): llmtrace run-info <id>; list them with llmtrace runs');
    const source = await openStoreFromArgs(args, io);
    const tree = await findTrace([source], prefix);
    const evaluations: EvaluationRecord[] = [];
    for await (const record of source.evaluations({ traceId: tree.traceId })) evaluations.push(record);
    if (booleanFlag(args, 'json')) {
      printJson(io, {
        traceId: tree.traceId,
        start: tree.start,
        end: tree.end,
        durationMs: tree.end - tree.start,
        nodes: tree.nodes.map((n) => ({ depth: n.depth, span: n.span })),
        evaluations,
      });
      reportProblems([source], io);
      return;
    }
    const c = colorsFor(io);
    const root = tree.roots[0]!.span;
    io.out(`${c.bold(`trace ${tree.traceId}`)}  ${inline(root.name)}  ${formatTime(tree.start)} UTC  ${formatMs(tree.end - tree.start)}  ${tree.nodes.length} spans\n`);
    const scopes = Object.entries(root.scopes).map(([kind, id]) => `${kind}=${id}`);
    if (scopes.length) io.out(c.dim(`scopes: ${scopes.join(' ')}\n`));
    io.out('\n');
    const rows: string[][] = [];
    for (const node of tree.nodes) {
      const { span } = node;
      const tokensIn = spanInputTokens(span);
      const tokensOut = spanOutputTokens(span);
      const cost = spanCost(span);
      rows.push([
        `${'  '.repeat(node.depth)}${span.name}`,
        span.kind,
        spanModel(span) ?? '',
        formatMs(span.duration),
        timeBar(span.startTime, span.endTime, tree.start, tree.end),
        tokensIn || tokensOut ? `${tokensIn}/${tokensOut}` : '',
        cost === undefined ? '' : formatUsd(cost ?? 0, cost === null ? 1 : 0),
        span.status === 'error' ? c.red('error') : span.status,
      ]);
      for (const line of detailLines(node, tree.start, c)) rows.push([line]);
    }
    io.out(
      renderTable(
        [
          { header: 'span', shrink: true },
          { header: 'kind' },
          { header: 'model', shrink: true },
          { header: 'duration', align: 'right' },
          { header: 'waterfall' },
          { header: 'tokens', align: 'right' },
          { header: 'cost', align: 'right' },
          { header: 'status' },
        ],
        rows,
        io,
        c,
      ),
    );
    if (evaluations.length) {
      io.out(`\n${c.bold('evaluations')}\n`);
      for (const e of evaluations) io.out(`  ${inline(evaluationLine(e))}\n`);
    }
    reportProblems([source], io);
  },
};
