/**
 * `llmtrace compare A B`: two models side by side, each figure with its 95% interval, the rank
 * test on latency, the evaluators' head-to-head record when decisions exist, and a one-line
 * verdict. Thin over lib/query ModelComparer and headToHead.
 */
import { headToHead, withCountedModels } from '../../lib/evaluations/head-to-head.js';
import { ModelAliases } from '../../lib/model-aliases.js';
import type { EvaluationRecord } from '../../lib/evaluations/types.js';
import { ModelComparer } from '../../lib/query/compare.js';
import { readSpanBatches } from '../../lib/query/source.js';
import { spanModelNames } from '../../lib/query/span-fields.js';
import { spanMatcher } from '../../lib/query/span-filter.js';
import { nearestKey } from '../../lib/internal/validate.js';
import type { Estimate, ModelSide } from '../../lib/query/wire-types.js';
import { booleanFlag } from '../args.js';
import type { Command } from '../command.js';
import { colorsFor, formatMs, formatPercent, printJson, renderTable } from '../output.js';
import { reportProblems } from '../problems.js';
import { withProgress } from '../progress.js';
import { FILTER_FLAGS, filterFromArgs, openStoreFromArgs } from '../query-flags.js';
import { UsageError } from '../usage-error.js';
import { inline } from '../terminal-text.js';

function interval(e: Estimate, format: (v: number) => string): string {
  if (e.value === null) return '-';
  const range = e.low !== null && e.high !== null ? ` [${format(e.low)}, ${format(e.high)}]` : '';
  return `${format(e.value)}${range}`;
}

const ROWS: readonly [string, (s: ModelSide) => string][] = [
  ['calls', (s) => (s.sampledSpans === undefined ? String(s.calls) : `~${s.calls} (from ${s.sampledSpans} sampled spans)`)],
  ['success rate', (s) => interval(s.successRate, formatPercent)],
  ['p50 latency', (s) => interval(s.p50Ms, formatMs)],
  ['p90 latency', (s) => interval(s.p90Ms, formatMs)],
  ['p99 latency', (s) => interval(s.p99Ms, formatMs)],
  ['ttft p50', (s) => interval(s.ttftP50Ms, formatMs)],
  ['input tokens/call', (s) => interval(s.inputTokensPerCall, (v) => v.toFixed(1))],
  ['output tokens/call', (s) => interval(s.outputTokensPerCall, (v) => v.toFixed(1))],
  ['cost/call', (s) => interval(s.costPerCallUsd, (v) => `$${v.toFixed(6)}`)],
];

/** `llmtrace compare`. */
export const compareCommand: Command = {
  name: 'compare',
  summary: 'compare two models: latency, success, tokens, cost (95% intervals) and a verdict',
  usage: 'compare <model-a> <model-b> [--since <when>] [filters]',
  examples: ['llmtrace compare gpt-4o-mini claude-haiku-4-5', 'llmtrace compare gpt-4o-mini claude-haiku-4-5 --since 7d --json'],
  arguments: ['<model-a>', '<model-b>'],
  flags: FILTER_FLAGS,
  async run(args, io) {
    if (args.positionals.length < 2) {
      throw new UsageError(`llmtrace compare: give two model names, got ${args.positionals.length}: llmtrace compare <model-a> <model-b> (see llmtrace stats --by model)`);
    }
    const [a, b] = args.positionals as [string, string];
    if (a === b) throw new UsageError(`llmtrace compare: give two different models, got ${a} twice`);
    const filter = filterFromArgs(args, io, 'compare');
    const source = await openStoreFromArgs(args, io);
    const comparer = new ModelComparer(a, b);
    const aliases = new ModelAliases();
    const models = new Set<string>();
    for await (const batch of withProgress(readSpanBatches([source], filter, spanMatcher(filter)), io, source.label)) {
      for (const span of batch) {
        comparer.add(span);
        aliases.learn(span.attributes);
        for (const model of spanModelNames(span)) if (model !== undefined) models.add(model);
      }
    }
    for (const side of [a, b]) {
      if (models.has(side)) continue;
      const near = nearestKey(side, [...models]);
      const hint = near === undefined ? '' : `, did you mean "${inline(near)}"?`; // a stored name: the program's text
      throw new UsageError(`llmtrace compare: no calls of ${inline(side)} in this range${hint} (see llmtrace stats --by model)`);
    }
    // Every decision of the range: one may name a model by its answered snapshot (renamed to the name compared).
    const decisions: EvaluationRecord[] = [];
    for await (const record of source.evaluations({ from: filter.from, to: filter.to, type: 'decision' })) decisions.push(record);
    const judged = headToHead(withCountedModels(decisions, (model) => aliases.countedName(model)), a, b);
    const comparison = comparer.result(judged.decisions > 0 ? judged : undefined);
    if (booleanFlag(args, 'json')) {
      printJson(io, comparison);
    } else {
      const c = colorsFor(io);
      const rows = ROWS.map(([label, cell]) => [label, cell(comparison.a), cell(comparison.b)]);
      io.out(renderTable([{ header: '' }, { header: a, shrink: true }, { header: b, shrink: true }], rows, io, c));
      const h = comparison.headToHead;
      if (h) io.out(`${'head-to-head'.padEnd(20)}${a} chosen ${h.aWins}, ${b} chosen ${h.bWins} of ${h.decisions} decisions with both (win rate ${interval(h.aWinRateInterval, formatPercent)})\n`);
      io.out(c.dim('95% intervals in brackets\n'));
      io.out(`\n${c.bold(comparison.verdict)}\n`);
    }
    reportProblems([source], io);
  },
};
