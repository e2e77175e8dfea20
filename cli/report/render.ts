/**
 * The report as text: a Markdown summary (readable in a terminal, a pull request or an issue) and
 * one self-contained HTML page (inline CSS and SVG; it makes no request, so it opens offline).
 * Sections: one per input, then a comparison by model or by input. Pure.
 */
import type { GroupStats } from '../../lib/query/wire-types.js';
import { groupStatsColumns } from '../group-stats-columns.js';
import { formatCount, formatMs, formatPercent, formatTime, formatUsd } from '../output.js';
import type { Chart } from './charts.js';
import type { InputReport, ReportData } from './collect.js';
import { inline } from '../terminal-text.js';

/** How the comparison section is split. */
export type CompareBy = 'model' | 'input';

type Table = { head: string[]; rows: string[][] };

function modelTable(rows: readonly GroupStats[]): Table {
  const { headers, cells } = groupStatsColumns(rows, 'model');
  return { head: headers, rows: cells };
}

function inputTable(inputs: readonly InputReport[]): Table {
  return {
    head: ['input', 'spans', 'traces', 'calls', 'errors', 'error rate', 'p50', 'p90', 'p99', 'tokens in', 'tokens out', 'cost'],
    rows: inputs.map((i) => [
      i.label,
      formatCount(i.spans),
      formatCount(i.traces),
      formatCount(i.calls),
      formatCount(i.errors),
      formatPercent(i.errorRate),
      formatMs(i.latency.p50Ms),
      formatMs(i.latency.p90Ms),
      formatMs(i.latency.p99Ms),
      formatCount(i.inputTokens),
      formatCount(i.outputTokens),
      formatUsd(i.costUsd, i.unpricedCalls),
    ]),
  };
}

function summaryLines(i: InputReport): [string, string][] {
  return [
    ['source', `${i.path} (${i.kind === 'store' ? 'store directory' : 'session file'})`],
    ['spans / traces', `${formatCount(i.spans)} / ${formatCount(i.traces)}`],
    ['model and tool calls', formatCount(i.calls)],
    ['errors', `${formatCount(i.errors)} (${formatPercent(i.errorRate)})`],
    ['latency', `avg ${formatMs(i.latency.avgMs)}, p50 ${formatMs(i.latency.p50Ms)}, p90 ${formatMs(i.latency.p90Ms)}, p99 ${formatMs(i.latency.p99Ms)}, max ${formatMs(i.latency.maxMs)}`],
    ['models used', i.models.map((m) => `${m.key} (${m.calls})`).join(', ') || '-'],
    ['tokens', `${formatCount(i.inputTokens)} in, ${formatCount(i.outputTokens)} out`],
    ['cost', formatUsd(i.costUsd, i.unpricedCalls)],
  ];
}

/** A cell or value of the Markdown: the traced program's text made inert and kept to its line (a line feed in a name would forge a row). */
function md(text: string): string {
  return inline(text).replace(/\|/g, '\\|');
}

function markdownTable(t: Table): string {
  return [`| ${t.head.map(md).join(' | ')} |`, `|${t.head.map(() => ' --- ').join('|')}|`, ...t.rows.map((r) => `| ${r.map(md).join(' | ')} |`)].join('\n');
}

function comparison(data: ReportData, by: CompareBy): Table {
  return by === 'model' ? modelTable(data.byModel) : inputTable(data.inputs);
}

/** The Markdown summary. */
export function renderMarkdown(data: ReportData, charts: readonly Chart[], by: CompareBy): string {
  const out: string[] = [`# llmtrace report`, '', `Generated ${formatTime(data.generatedAt)} UTC from ${data.inputs.length} input(s).`, ''];
  for (const i of data.inputs) {
    out.push(`## ${md(i.label)}`, '');
    for (const [k, v] of summaryLines(i)) out.push(`- **${k}**: ${md(v)}`);
    out.push('');
    if (i.errorGroups.length) {
      out.push('Errors by type:', '', markdownTable({ head: ['type', 'model', 'count'], rows: i.errorGroups.map((g) => [g.type, g.model, String(g.count)]) }), '');
    }
    if (i.models.length) out.push(markdownTable(modelTable(i.models)), '');
    for (const p of i.problems) out.push(`> skipped: ${md(p.message)}`, '');
  }
  out.push(`## Comparison by ${by}`, '', markdownTable(comparison(data, by)), '');
  if (charts.length) {
    out.push('## Charts', '');
    for (const c of charts) out.push(`![${c.title}](${c.file})`, '');
  }
  return `${out.join('\n')}\n`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function htmlTable(t: Table): string {
  const head = t.head.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const rows = t.rows.map((r) => `<tr>${r.map((c, i) => `<td${i ? ' class="n"' : ''}>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#222}
h1,h2{font-weight:600}table{border-collapse:collapse;margin:.5rem 0 1.2rem}th,td{padding:.25rem .6rem;border-bottom:1px solid #ddd;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{color:#666}
.chart{margin:1rem 0}.warn{color:#a40}`;

/** The self-contained HTML page (charts inline). */
export function renderHtml(data: ReportData, charts: readonly Chart[], by: CompareBy): string {
  const sections = data.inputs.map((i) => {
    const dl = summaryLines(i).map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('');
    const errors = i.errorGroups.length
      ? `<h3>Errors by type</h3>${htmlTable({ head: ['type', 'model', 'count'], rows: i.errorGroups.map((g) => [g.type, g.model, String(g.count)]) })}`
      : '';
    const models = i.models.length ? `<h3>Per model</h3>${htmlTable(modelTable(i.models))}` : '';
    const problems = i.problems.map((p) => `<p class="warn">skipped: ${escapeHtml(p.message)}</p>`).join('');
    return `<section><h2>${escapeHtml(i.label)}</h2><dl>${dl}</dl>${errors}${models}${problems}</section>`;
  });
  const chartHtml = charts.map((c) => `<figure class="chart" id="${escapeHtml(c.file.replace('.svg', ''))}">${c.svg}<figcaption>${escapeHtml(c.title)}</figcaption></figure>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>llmtrace report</title><style>${CSS}</style></head>
<body><h1>llmtrace report</h1><p>Generated ${escapeHtml(formatTime(data.generatedAt))} UTC from ${data.inputs.length} input(s).</p>
${sections.join('\n')}
<section><h2>Comparison by ${by}</h2>${htmlTable(comparison(data, by))}</section>
${charts.length ? `<section><h2>Charts</h2>${chartHtml.join('\n')}</section>` : ''}
</body></html>
`;
}
