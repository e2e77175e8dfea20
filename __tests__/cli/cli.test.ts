/**
 * The `llmtrace` command as a user runs it: the packed tarball installed in a fresh project, a
 * traced program from that install filling `./.llmtrace`, and `node_modules/.bin/llmtrace ...` run
 * as a child process. Every number is checked against an independent computation over the same
 * store read in this process. Slow (a build, a pack, an install): about a minute.
 */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { configure, TraceStore, type DecisionRecord, type SpanData } from '../../index.js';
import { openFileStoreReader } from '../../lib/extend/index.js';
import { compareModels, headToHead, histogram } from '../../lib/query/index.js';
import { collect } from '../helpers/collect.js';
import { mustRun, packAndInstall, removeInstall, type PackedInstall } from '../helpers/packed-install.js';
import { exactPercentile } from '../helpers/seeded-random.js';
import { listFilesDeep } from '../helpers/temp-dir.js';
import { TRACED_PROGRAM } from '../helpers/traced-program.js';

const SCOPES = new Set(['run', 'session', 'iteration', 'request']);

/** Each test runs child processes (the report one a browser too): generous on a loaded machine. */
const SLOW_TEST_MS = 120_000;

let install: PackedInstall;
let project: string;
let spans: SpanData[];
let decisions: DecisionRecord[];
let storeSnapshot: Record<string, string>;

function llmtrace(args: readonly string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  const base: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', NODE_OPTIONS: '' };
  delete base.LLMTRACE_DIR;
  delete base.FORCE_COLOR;
  return spawnSync(install.bin, [...args], { cwd: project, encoding: 'utf8', timeout: 60_000, env: { ...base, ...env } });
}

function json<T = unknown>(args: readonly string[], env: NodeJS.ProcessEnv = {}): T {
  const result = llmtrace([...args, '--json'], env);
  if (result.status !== 0) throw new Error(`llmtrace ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(listFilesDeep(dir).map((f) => [f, `${statSync(f).mtimeMs}:${readFileSync(f, 'utf8')}`]));
}

beforeAll(async () => {
  configure({ store: new TraceStore(), logger: { format: 'hidden' } });
  install = packAndInstall();
  project = install.project;
  writeFileSync(join(project, 'program.mjs'), TRACED_PROGRAM);
  mustRun('node', ['program.mjs', '.llmtrace', '7', '12'], project);
  mustRun('node', ['program.mjs', 'session-store', '8', '4', 'sessions'], project);
  mustRun('node', ['program.mjs', 'other-store', '9', '3'], project);
  mustRun('node', ['program.mjs', 'no-text-store', '5', '3'], project, { ...process.env, NO_EVALUATION_TEXT: '1' });
  mustRun('node', ['program.mjs', 'cache-store', '10', '3'], project, { ...process.env, CACHE_HITS: '1' });
  mkdirSync(join(project, 'empty-store'));
  spans = await collect(openFileStoreReader({ dir: join(project, '.llmtrace') }).readSpans());
  decisions = (await collect(openFileStoreReader({ dir: join(project, '.llmtrace') }).readEvaluations())).filter((e) => e.type === 'decision') as DecisionRecord[];
  storeSnapshot = snapshot(join(project, '.llmtrace'));
}, 300_000);

afterAll(() => removeInstall(install));

describe('llmtrace from a packed install', () => {
  test('has a version, a command list, and help with an example for every command', () => {
    const pkg = JSON.parse(readFileSync(join(project, 'node_modules', 'llmtrace', 'package.json'), 'utf8')) as { version: string };
    expect(mustRun('npx', ['llmtrace', '--version'], project).stdout.trim()).toBe(pkg.version);
    const help = llmtrace(['--help']);
    expect(help.status).toBe(0);
    const commands = ['runs', 'run-info', 'slow', 'errors', 'stats', 'compare', 'export', 'report', 'tail', 'leaderboard', 'export-training'];
    for (const name of commands) {
      expect(help.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
      const own = llmtrace([name, '--help']);
      expect(own.status).toBe(0);
      expect(own.stdout).toMatch(new RegExp(`^Usage: llmtrace ${name}`));
      expect(own.stdout).toMatch(new RegExp(`Examples:\\n  llmtrace ${name}`));
      expect(own.stdout).toContain('--json');
    }
  }, SLOW_TEST_MS);

  test('importing llmtrace loads neither the query library nor the command; llmtrace/query loads no command dependency', () => {
    writeFileSync(join(project, 'hooks.mjs'), `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.LOADED_LOG, result.url + '\\n');
  return result;
}`);
    writeFileSync(join(project, 'register.mjs'), "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n");
    const loaded = (entry: string): string[] => {
      const log = join(project, `loaded-${entry.replace('/', '-')}.txt`);
      writeFileSync(log, '');
      mustRun('node', ['--import', './register.mjs', '--input-type=module', '-e', `await import('${entry}')`], project, { ...process.env, LOADED_LOG: log });
      return readFileSync(log, 'utf8').trim().split('\n');
    };
    const root = loaded('llmtrace');
    expect(root.some((url) => url.endsWith('/node_modules/llmtrace/dist/index.js'))).toBe(true);
    const heavy = /\/node_modules\/(vega|vega-lite|cli-table3|picocolors|csv-stringify|simple-statistics)\/|\/dist\/(cli|lib\/query)\//;
    expect(root.filter((url) => heavy.test(url))).toEqual([]);
    const query = loaded('llmtrace/query');
    expect(query.some((url) => url.includes('/dist/lib/query/index.js'))).toBe(true);
    expect(query.filter((url) => /\/node_modules\/(vega|vega-lite|cli-table3|picocolors|csv-stringify)\/|\/dist\/cli\//.test(url))).toEqual([]);
  }, SLOW_TEST_MS);

  test('runs: one row per trace, newest first, with counts that match the store', () => {
    const rows = json<{ traceId: string; spanCount: number; modelCalls: number; errors: number; inputTokens: number; start: number }[]>(['runs', '--limit', '100']);
    const traceIds = [...new Set(spans.map((s) => s.traceId))];
    expect(rows.length).toBe(traceIds.length);
    for (let i = 1; i < rows.length; i++) expect(rows[i - 1]!.start).toBeGreaterThanOrEqual(rows[i]!.start);
    for (const row of rows) {
      const mine = spans.filter((s) => s.traceId === row.traceId);
      expect(row.spanCount).toBe(mine.length);
      expect(row.modelCalls).toBe(mine.filter((s) => s.kind === 'llm').length);
      expect(row.errors).toBe(mine.filter((s) => s.status === 'error').length);
      expect(row.inputTokens).toBe(mine.reduce((n, s) => n + ((s.attributes['gen_ai.usage.input_tokens'] as number) ?? 0), 0));
    }
    expect(json<unknown[]>(['runs', '--limit', '2']).length).toBe(2);
    const failing = json<{ traceId: string; spanCount: number }[]>(['runs', '--status', 'error', '--limit', '100']);
    expect(failing.map((r) => r.traceId).sort()).toEqual([...new Set(spans.filter((s) => s.status === 'error').map((s) => s.traceId))].sort());
    for (const row of failing) expect(row.spanCount).toBe(spans.filter((s) => s.traceId === row.traceId).length);
    const text = llmtrace(['runs']);
    expect(text.status).toBe(0);
    expect(text.stdout.split('\n')[0]).toMatch(/^trace\s+root\s+start \(UTC\)\s+duration\s+spans\s+calls\s+errors\s+models/);
    expect(text.stdout).not.toContain('\x1b['); // NO_COLOR and a pipe: no colour
    expect(llmtrace(['runs'], { NO_COLOR: '', FORCE_COLOR: '1' }).stdout).toContain('\x1b[1m'); // FORCE_COLOR: bold headers
  }, SLOW_TEST_MS);

  test('the store is --dir, else LLMTRACE_DIR, else ./.llmtrace', () => {
    const other = json<unknown[]>(['runs'], { LLMTRACE_DIR: 'other-store' });
    expect(other.length).toBe(3);
    expect(json<unknown[]>(['runs', '--dir', '.llmtrace', '--limit', '100'], { LLMTRACE_DIR: 'other-store' }).length).toBe(
      new Set(spans.map((s) => s.traceId)).size,
    );
  }, SLOW_TEST_MS);

  test('run-info: an id prefix gives the trace as a tree with a time bar per span', () => {
    const traceId = spans[0]!.traceId;
    const tree = json<{ traceId: string; nodes: { depth: number; span: SpanData }[] }>(['run-info', traceId.slice(0, 8)]);
    expect(tree.traceId).toBe(traceId);
    const mine = spans.filter((s) => s.traceId === traceId);
    expect(tree.nodes.length).toBe(mine.length);
    expect(tree.nodes[0]!.span.kind).toBe('run');
    expect(tree.nodes.slice(1).every((n) => n.depth === 1 && n.span.name === 'chat')).toBe(true);
    const text = llmtrace(['run-info', traceId.slice(0, 8)]).stdout;
    expect(text).toContain(`trace ${traceId}`);
    const lines = text.split('\n').filter((l) => l.includes('█'));
    expect(lines.length).toBe(mine.length);
    expect(text).toMatch(/scopes: run=[0-9a-f]{16}/);
  }, SLOW_TEST_MS);

  test('slow: the n slowest calls, slowest first, scopes left out', () => {
    const top = json<SpanData[]>(['slow', '--top', '5']);
    const expected = spans.filter((s) => !SCOPES.has(s.kind)).sort((a, b) => b.duration - a.duration).slice(0, 5);
    expect(top.map((s) => s.id)).toEqual(expected.map((s) => s.id));
    const onlyClaude = json<SpanData[]>(['slow', '--model', 'claude-haiku-4-5', '--top', '100']);
    expect(onlyClaude.length).toBe(spans.filter((s) => s.attributes['gen_ai.request.model'] === 'claude-haiku-4-5').length);
  }, SLOW_TEST_MS);

  test('errors: failures grouped by type and model, with examples', () => {
    const groups = json<{ type: string; model: string; count: number; examples: { traceId: string; message: string }[] }[]>(['errors']);
    const failed = spans.filter((s) => s.status === 'error');
    expect(failed.length).toBeGreaterThan(0);
    const expected: Record<string, number> = {};
    for (const s of failed) expected[`${s.error!.type}|${s.attributes['gen_ai.request.model']}`] = (expected[`${s.error!.type}|${s.attributes['gen_ai.request.model']}`] ?? 0) + 1;
    expect(Object.fromEntries(groups.map((g) => [`${g.type}|${g.model}`, g.count]))).toEqual(expected);
    expect(groups[0]!.examples[0]!.message).toBe('429: slow down');
  }, SLOW_TEST_MS);

  test('errors --limit: the header counts every failure and group, and says how many groups are shown', () => {
    const all = json<{ count: number }[]>(['errors']);
    expect(all.length).toBeGreaterThan(1);
    const failures = all.reduce((n, g) => n + g.count, 0);
    const text = llmtrace(['errors', '--limit', '1']);
    expect(text.status).toBe(0);
    expect(text.stdout.split('\n')[0]).toBe(`${failures} failed calls in ${all.length} groups (of ${spans.length} spans), the 1 largest shown`);
  }, SLOW_TEST_MS);

  test('stats --by model: calls, success rate and exact percentiles; --summaries agrees on the counts', () => {
    const rows = json<{ key: string; calls: number; successes: number; p50Ms: number; p90Ms: number; p99Ms: number; inputTokens: number; costUsd: number }[]>(['stats', '--by', 'model']);
    for (const model of ['gpt-4o-mini', 'claude-haiku-4-5']) {
      const calls = spans.filter((s) => s.attributes['gen_ai.request.model'] === model);
      const row = rows.find((r) => r.key === model)!;
      const durations = calls.map((s) => s.duration);
      expect(row.calls).toBe(calls.length);
      expect(row.successes).toBe(calls.filter((s) => s.status === 'success').length);
      expect(row.p50Ms).toBeCloseTo(exactPercentile(durations, 0.5), 6);
      expect(row.p90Ms).toBeCloseTo(exactPercentile(durations, 0.9), 6);
      expect(row.p99Ms).toBeCloseTo(exactPercentile(durations, 0.99), 6);
      expect(row.inputTokens).toBe(calls.reduce((n, s) => n + ((s.attributes['gen_ai.usage.input_tokens'] as number) ?? 0), 0));
      expect(row.costUsd).toBeCloseTo(calls.reduce((n, s) => n + ((s.attributes['llmtrace.cost_usd'] as number) ?? 0), 0), 9);
    }
    const fromSummaries = json<{ key: string; calls: number; successes: number }[]>(['stats', '--by', 'model', '--summaries']);
    for (const row of fromSummaries) {
      const exact = rows.find((r) => r.key === row.key)!;
      expect([row.calls, row.successes]).toEqual([exact.calls, exact.successes]);
    }
    expect(llmtrace(['stats', '--by', 'function']).stdout).toMatch(/^chat\s+\d+/m);
  }, SLOW_TEST_MS);

  test('stats shows cache hits apart from calls; a model only ever served from the cache has no success rate', () => {
    const rows = json<{ key: string; calls: number; cacheHits: number }[]>(['stats', '--dir', 'cache-store']);
    expect(rows.find((r) => r.key === 'cache-only')).toMatchObject({ calls: 0, cacheHits: 3 });
    expect(rows.find((r) => r.key === 'gpt-4o-mini')).toMatchObject({ cacheHits: 3 });
    const lines = llmtrace(['stats', '--dir', 'cache-store']).stdout.split('\n');
    expect(lines[0]).toMatch(/^model\s+calls\s+cache hits\s+ok\s+p50/);
    expect(lines.find((l) => l.startsWith('cache-only'))).toMatch(/^cache-only\s+0\s+3\s+-\s+-/);
    expect(llmtrace(['stats']).stdout.split('\n')[0]).not.toContain('cache hits'); // a store without any: no column
  }, SLOW_TEST_MS);

  test('compare: per model figures with intervals and the verdict the query layer gives', () => {
    const result = json<{ a: { model: string; calls: number; p50Ms: { value: number; low: number | null } }; b: { calls: number }; verdict: string }>(['compare', 'gpt-4o-mini', 'claude-haiku-4-5']);
    const expected = compareModels(spans, 'gpt-4o-mini', 'claude-haiku-4-5', headToHead(decisions, 'gpt-4o-mini', 'claude-haiku-4-5'));
    expect(result.a.calls).toBe(spans.filter((s) => s.attributes['gen_ai.request.model'] === 'gpt-4o-mini').length);
    expect(result.b.calls).toBe(expected.b.calls);
    expect(result.a.p50Ms.value).toBeCloseTo(expected.a.p50Ms.value!, 6);
    expect(result.verdict).toBe(expected.verdict);
    const text = llmtrace(['compare', 'gpt-4o-mini', 'claude-haiku-4-5']).stdout;
    expect(text).toMatch(/^p50 latency\s+\d+ ms \[\d+ ms, \d+ ms\]/m);
    expect(text.trim().split('\n').pop()).toBe(expected.verdict);
  }, SLOW_TEST_MS);

  test('export: RFC 4180 CSV that parses back to the stored spans, and JSONL', () => {
    const csv = llmtrace(['export', 'spans.csv']);
    expect(csv.status).toBe(0);
    expect(csv.stdout).toBe(`wrote ${spans.length} spans to spans.csv (csv)\n`);
    const text = readFileSync(join(project, 'spans.csv'), 'utf8');
    expect(text.split('\r\n').length).toBe(spans.length + 2); // header + rows + final CRLF
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(rows.length).toBe(spans.length);
    for (const row of rows) {
      const span = spans.find((s) => s.id === row.span_id)!;
      expect(row.trace_id).toBe(span.traceId);
      expect(Number(row.duration_ms)).toBe(span.duration);
      expect(row.status).toBe(span.status);
      expect(row.model).toBe((span.attributes['gen_ai.request.model'] as string | undefined) ?? '');
      expect(row['attr.gen_ai.request.model']).toBe((span.attributes['gen_ai.request.model'] as string | undefined) ?? '');
      expect(row.error_message).toBe(span.error?.message ?? '');
    }
    expect(llmtrace(['export', 'spans.jsonl', '--model', 'gpt-4o-mini']).status).toBe(0);
    const lines = readFileSync(join(project, 'spans.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as SpanData);
    expect(lines.map((s) => s.id).sort()).toEqual(spans.filter((s) => s.attributes['gen_ai.request.model'] === 'gpt-4o-mini').map((s) => s.id).sort());
    expect(llmtrace(['export', 'summaries.csv', '--what', 'summaries']).status).toBe(0);
    expect(readFileSync(join(project, 'summaries.csv'), 'utf8').split('\r\n')[0]).toMatch(/^window_start,window_end,function,model,call_count/);
    for (const file of ['spans.csv', 'spans.jsonl', 'summaries.csv']) expect({ file, mode: statSync(join(project, file)).mode & 0o777 }).toEqual({ file, mode: 0o600 });
  }, SLOW_TEST_MS);

  test('export quotes a field holding a bare line feed or carriage return, so each span stays one CSV record', () => {
    expect(llmtrace(['export', 'multiline.csv', '--dir', 'cache-store']).status).toBe(0);
    const text = readFileSync(join(project, 'multiline.csv'), 'utf8');
    const message = '429: slow down\nretry in 2 s\ror later';
    expect(text).toContain(`,"${message}",`);
    expect(text.split(message).length - 1).toBeGreaterThan(0);
    expect(text.replace(/"(?:[^"]|"")*"/g, '').match(/\r(?!\n)|(?<!\r)\n/g)).toBeNull(); // outside quotes, only CRLF ends a record
  }, SLOW_TEST_MS);

  test('report reads back the JSONL that export wrote (one span a line), not only session files', () => {
    expect(llmtrace(['export', 'exported.jsonl', '--model', 'gpt-4o-mini', '--force']).status).toBe(0);
    const result = llmtrace(['report', 'exported.jsonl', '--out', 'analysis-exported']);
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    const md = readFileSync(join(project, 'analysis-exported', 'report.md'), 'utf8');
    expect(md).toContain('## exported.jsonl');
    const calls = spans.filter((s) => !SCOPES.has(s.kind) && s.attributes['gen_ai.request.model'] === 'gpt-4o-mini');
    expect(md).toContain(`- **model and tool calls**: ${calls.length}`);
    expect(md).not.toContain('skipped');
  }, SLOW_TEST_MS);

  test('report: Markdown, a self-contained HTML page and SVG charts over a store and a session file', async () => {
    const sessionFile = join('sessions', readdirSync(join(project, 'sessions')).find((f) => f.endsWith('.jsonl'))!);
    const result = llmtrace(['report', '.llmtrace', sessionFile, '--out', 'analysis', '--compare-by', 'input']);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    const out = join(project, 'analysis');
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('## .llmtrace');
    expect(md).toContain(`## ${sessionFile.split('/')[1]}`);
    expect(md).toContain('## Comparison by input');
    const calls = spans.filter((s) => !SCOPES.has(s.kind));
    expect(md).toContain(`- **model and tool calls**: ${calls.length}`);
    expect(md).toMatch(/\| RateLimitError \| (gpt-4o-mini|claude-haiku-4-5) \| \d+ \|/);
    // The histogram: axes, and one bar per bucket of the calls of both inputs.
    const svg = readFileSync(join(out, 'latency-histogram.svg'), 'utf8');
    expect(svg).toMatch(/^<svg /);
    expect(svg).toMatch(/aria-label="X-axis titled 'latency \(ms\)'/);
    expect(svg).toMatch(/aria-label="Y-axis titled 'calls'/);
    const bars = svg.match(/aria-roledescription="bar"/g)?.length;
    const sessionCalls = readFileSync(join(project, sessionFile), 'utf8').split('\n').filter((l) => l.includes('"llm_response"') || l.includes('"type":"error"'));
    const durations = [...calls.map((s) => s.duration), ...sessionCalls.map((l) => (JSON.parse(l) as { data: { duration_ms: number } }).data.duration_ms)];
    expect(bars).toBe(histogram(durations).length);
    for (const file of ['model-usage.svg', 'requests-over-time.svg', 'latency-by-model.svg']) expect(readFileSync(join(out, file), 'utf8')).toMatch(/^<svg /);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html.match(/<svg /g)?.length).toBe(4);
    expect(html.replace(/xmlns(:xlink)?="http:\/\/www\.w3\.org\/[^"]*"/g, '')).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
    // Refuses to overwrite the report it wrote.
    const again = llmtrace(['report', '--out', 'analysis']);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/^llmtrace report: analysis\/report.md exists: refusing to overwrite it; pass --force or choose another file\n$/);
    expect(llmtrace(['report', '--out', 'analysis', '--force']).status).toBe(0);
    await expectRendersInChromium(join(out, 'report.html'));
  }, SLOW_TEST_MS);

  test('leaderboard: per model evaluations, mean score and win rate from the decisions, call figures from the spans', () => {
    expect(decisions.length).toBe(12);
    const rows = json<{ rank: number; model: string; evaluations: number; wins: number; decisions: number; winRate: number; meanScore: number; calls: number }[]>(['leaderboard', '--by', 'win-rate']);
    for (const model of ['gpt-4o-mini', 'claude-haiku-4-5']) {
      const row = rows.find((r) => r.model === model)!;
      const wins = decisions.filter((d) => d.candidates[d.chosen!]!.model === model).length;
      expect([row.evaluations, row.decisions, row.wins]).toEqual([decisions.length, decisions.length, wins]);
      expect(row.winRate).toBeCloseTo(wins / decisions.length, 12);
      expect(row.meanScore).toBeCloseTo(decisions.reduce((n, d) => n + (d.scores[model] as number), 0) / decisions.length, 12);
      expect(row.calls).toBe(spans.filter((s) => s.attributes['gen_ai.request.model'] === model).length);
    }
    expect(rows[0]!.winRate).toBeGreaterThanOrEqual(rows[1]!.winRate);
    expect(llmtrace(['leaderboard', '--by', 'latency']).stdout).toMatch(/^#\s+model\s+evals\s+mean score\s+win rate/);
    const h2h = json<{ headToHead: { aWins: number; bWins: number } }>(['compare', 'gpt-4o-mini', 'claude-haiku-4-5']).headToHead;
    const gptWins = decisions.filter((d) => d.candidates[d.chosen!]!.model === 'gpt-4o-mini').length;
    expect([h2h.aWins, h2h.bWins]).toEqual([gptWins, decisions.length - gptWins]);
  }, SLOW_TEST_MS);

  test('a --since time without an offset is UTC, as every printed time, whatever the machine time zone', () => {
    const ends = spans.map((s) => s.endTime).sort((a, b) => a - b);
    const middle = ends[Math.floor(ends.length / 2)]!;
    const printed = new Date(middle).toISOString().slice(0, 23).replace('T', ' '); // as the tables print it, to the millisecond
    const calls = (since: string, TZ: string): number => json<{ calls: number }[]>(['stats', '--by', 'function', '--since', since], { TZ }).reduce((n, r) => n + r.calls, 0);
    const expected = calls(`${printed.replace(' ', 'T')}Z`, 'UTC');
    expect(expected).toBeGreaterThan(0);
    expect(expected).toBeLessThan(calls('30d', 'UTC'));
    for (const TZ of ['Asia/Kolkata', 'America/Los_Angeles']) {
      for (const since of [printed, printed.replace(' ', 'T')]) expect({ TZ, since, calls: calls(since, TZ) }).toEqual({ TZ, since, calls: expected });
    }
  }, SLOW_TEST_MS);

  test('runs --chosen A --over B: the runs where the arbiter chose A over B, each totalled over all its spans', () => {
    for (const [a, b] of [['gpt-4o-mini', 'claude-haiku-4-5'], ['claude-haiku-4-5', 'gpt-4o-mini']] as const) {
      const expected = decisions.filter((d) => d.candidates[d.chosen!]!.model === a).map((d) => d.traceId!);
      const rows = json<{ traceId: string; spanCount: number }[]>(['runs', '--evaluator', 'arbiter', '--chosen', a, '--over', b, '--limit', '100']);
      expect(rows.map((r) => r.traceId).sort()).toEqual([...expected].sort());
      for (const row of rows) expect(row.spanCount).toBe(spans.filter((s) => s.traceId === row.traceId).length);
    }
    expect(decisions.some((d) => d.candidates[d.chosen!]!.model === 'gpt-4o-mini')).toBe(true);
    // With a span filter too: the judged runs that also had a failed call.
    const failed = new Set(spans.filter((s) => s.status === 'error').map((s) => s.traceId));
    const both = json<{ traceId: string }[]>(['runs', '--chosen', 'gpt-4o-mini', '--status', 'error', '--limit', '100']);
    const expected = decisions.filter((d) => d.candidates[d.chosen!]!.model === 'gpt-4o-mini' && failed.has(d.traceId!)).map((d) => d.traceId!);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(failed.size); // the seeded run has failed runs the arbiter did not give to gpt
    expect(both.map((r) => r.traceId).sort()).toEqual([...expected].sort());
    expect(llmtrace(['runs', '--evaluator', 'nobody']).stdout).toBe('no runs match\n');
  }, SLOW_TEST_MS);

  test('export-training: OpenAI chat fine-tuning JSONL and preference pairs, or a clear refusal when nothing was captured', () => {
    expect(llmtrace(['export-training', 'train.jsonl', '--format', 'sft', '--min-score', '0.8']).status).toBe(0);
    const sft = readFileSync(join(project, 'train.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { messages: { role: string; content: string }[] });
    const good = decisions.filter((d) => (d.scores[d.candidates[d.chosen!]!.model] as number) >= 0.8);
    // A bar no answer clears: nothing written, and what was left out said in words.
    const empty = llmtrace(['export-training', 'empty.jsonl', '--min-score', '2']);
    expect({ status: empty.status, stdout: empty.stdout }).toEqual({ status: 2, stdout: '' });
    expect(empty.stderr).toBe(`llmtrace export-training: nothing to write, skipped ${decisions.length} decisions whose chosen answer scored below --min-score\n`);
    expect(existsSync(join(project, 'empty.jsonl'))).toBe(false);
    expect(sft.length).toBe(good.length);
    for (const [i, sample] of sft.entries()) {
      // OpenAI's chat fine-tuning format: a messages array of role/content objects, ending with the assistant's answer.
      expect(Object.keys(sample)).toEqual(['messages']);
      expect(sample.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
      expect(sample.messages.every((m) => typeof m.content === 'string' && m.content.length > 0)).toBe(true);
      expect(sample.messages[1]!.content).toBe(good[i]!.candidates[good[i]!.chosen!]!.response);
    }
    expect(llmtrace(['export-training', 'pairs.jsonl', '--format', 'dpo']).status).toBe(0);
    const dpo = readFileSync(join(project, 'pairs.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(dpo.length).toBe(decisions.length);
    expect(Object.keys(dpo[0]!).sort()).toEqual(['input', 'non_preferred_output', 'preferred_output']);
    const none = llmtrace(['export-training', 'none.jsonl', '--dir', 'no-text-store']);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/^llmtrace export-training: nothing to write, 3 of 3 decisions have no text: prompts and answers were not captured: .*capture: 'full'/);
    expect(existsSync(join(project, 'none.jsonl'))).toBe(false);
    expect(llmtrace(['export', 'evaluations.csv', '--what', 'evaluations']).status).toBe(0);
    const rows = parse(readFileSync(join(project, 'evaluations.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.length).toBe(decisions.length);
    expect(rows.every((r) => r.type === 'decision' && r.evaluator === 'arbiter' && r.candidates === 'gpt-4o-mini;claude-haiku-4-5')).toBe(true);
    const traced = decisions[0]!.traceId!;
    const info = json<{ evaluations: { id: string }[] }>(['run-info', traced.slice(0, 12)]);
    expect(info.evaluations.map((e) => e.id)).toEqual([decisions[0]!.id]);
    expect(llmtrace(['run-info', traced.slice(0, 12)]).stdout).toMatch(/\nevaluations\n  arbiter chose (gpt-4o-mini|claude-haiku-4-5) among gpt-4o-mini, claude-haiku-4-5/);
  }, SLOW_TEST_MS);

  test('bad input: one line naming the problem and the fix, exit code 2, nothing on stdout', () => {
    const cases: [string[], RegExp][] = [
      [['runs', '--sinse', '12h'], /^llmtrace runs: unknown option "--sinse", did you mean "--since"\? \(see llmtrace runs --help\)$/],
      [['stauts'], /^llmtrace: unknown command "stauts", did you mean "stats"\? \(see llmtrace --help\)$/],
      [['runs', '--since', 'yesterday'], /^llmtrace runs: --since must be a duration like 30m, 12h, 7d or an ISO date like 2026-11-24T21:00Z, got "yesterday"$/],
      [['runs', '--dir', 'missing'], /^llmtrace: no store at .*missing: did the program call startTracing\(\)\? pass --dir <store directory> or set LLMTRACE_DIR \(see README\)$/],
      [['runs', '--dir', 'empty-store'], /^llmtrace: no spans in \.\/empty-store: did the program call startTracing\(\)\? see README$/],
      [['runs', '--limit', '0'], /^llmtrace runs: --limit must be a positive integer, got "0"$/],
      [['slow', '--limit', '0'], /^llmtrace slow: --limit must be a positive integer, got "0"$/], // --limit is slow's other name for --top
      [['slow', '--top', '-3'], /^llmtrace slow: --top must be a positive integer, got "-3"$/],
      [['stats', '--by', 'colour'], /^llmtrace stats: --by must be one of model, function, provider, got "colour"$/],
      [['run-info'], /^llmtrace run-info: give a trace id/],
      [['run-info', 'ffffffffffffffff'], /^llmtrace: no trace id starts with ffffffffffffffff: list them with `llmtrace runs`$/],
      [['export', 'spans.csv'], /^llmtrace export: spans.csv exists: refusing to overwrite it; pass --force or choose another file$/],
      [['export', '.llmtrace/x.csv'], /^llmtrace export: refusing to write .* inside the store .*: the CLI never writes to the store; choose another path$/],
      [['compare', 'gpt-4o-mini'], /^llmtrace compare: give two model names, got 1/],
      [['runs', '--chosen', 'gpt-4o-mini', '--over', 'gpt-4o-mini'], /^llmtrace runs: --chosen and --over both name gpt-4o-mini: give the model that was chosen and the one it won over$/],
      [['runs', '--chosen', ''], /^llmtrace runs: --chosen needs a <model>, got an empty string$/],
    ];
    for (const [args, message] of cases) {
      const result = llmtrace(args);
      expect({ args, status: result.status, stdout: result.stdout }).toEqual({ args, status: 2, stdout: '' });
      expect(result.stderr.trimEnd()).toMatch(message);
      expect(result.stderr.trimEnd().split('\n').length).toBe(1);
    }
  }, SLOW_TEST_MS);

  test('an ambiguous trace id prefix lists the matching traces', () => {
    const ids = [...new Set(spans.map((s) => s.traceId))].sort();
    let prefix = '';
    for (let i = 1; i < ids.length && !prefix; i++) if (ids[i]![0] === ids[i - 1]![0]) prefix = ids[i]![0]!;
    if (!prefix) return; // 12 random trace ids with 12 distinct first digits: nothing ambiguous to ask (p < 0.1%)
    const matches = ids.filter((id) => id.startsWith(prefix));
    const result = llmtrace(['run-info', prefix]);
    expect(result.status).toBe(2);
    expect(result.stderr.trimEnd()).toBe(`llmtrace: trace id prefix ${prefix} matches ${matches.length} traces (${matches.join(', ')}): give more digits`);
  }, SLOW_TEST_MS);

  test('a store with a corrupt segment still gives a report; the segment is skipped, named, and left as it was', () => {
    const copy = join(project, 'corrupt-store');
    cpSync(join(project, '.llmtrace'), copy, { recursive: true });
    const segment = join(copy, 'spans', readdirSync(join(copy, 'spans')).sort()[0]!);
    writeFileSync(segment, '{"format":"llmtrace.segment","records":[');
    const result = llmtrace(['report', 'corrupt-store', '--out', 'corrupt-report']);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain(`llmtrace: skipped corrupt segment ${segment}`);
    expect(existsSync(join(project, 'corrupt-report', 'report.html'))).toBe(true);
    expect(readFileSync(segment, 'utf8')).toBe('{"format":"llmtrace.segment","records":[');
    expect(readdirSync(join(copy, 'spans')).some((f) => f.includes('.corrupt-'))).toBe(false);
  }, SLOW_TEST_MS);

  test('tail: prints each new span once as the program writes it, and stops cleanly on SIGINT', async () => {
    // --since the test's own clock: tail prints the program's spans however slowly it boots (without it, a tail that
    // starts after the program's first span ended rightly skips that span as old).
    const since = new Date(Date.now() - 1000).toISOString();
    const tail = spawn(install.bin, ['tail', '--dir', 'tail-store', '--json', '--interval', '50', '--since', since], { cwd: project, env: { ...process.env, NODE_OPTIONS: '' } });
    const exited = new Promise<number | null>((resolve) => tail.on('exit', (code) => resolve(code)));
    let stdout = '';
    let stderr = '';
    tail.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    tail.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise((resolve) => setTimeout(resolve, 300));
    mustRun('node', ['program.mjs', 'tail-store', '11', '2'], project);
    const written = await collect(openFileStoreReader({ dir: join(project, 'tail-store') }).readSpans());
    expect(written.length).toBe(10);
    for (let i = 0; i < 200 && stdout.trim().split('\n').filter(Boolean).length < written.length; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    tail.kill('SIGINT');
    expect(await exited).toBe(0);
    const printed = stdout.trim().split('\n').map((l) => JSON.parse(l) as SpanData);
    expect(printed.map((s) => s.id).sort()).toEqual(written.map((s) => s.id).sort());
    expect(stderr).toBe('');
  }, SLOW_TEST_MS);

  test('a store or report folder under /proc fails at once with one line saying so (Node\'s recursive mkdir spun forever there)', () => {
    if (!existsSync('/proc/self')) return;
    writeFileSync(
      join(project, 'proc-store.mjs'),
      "import { startTracing, traced } from 'llmtrace';\n" +
        "const tracing = await startTracing({ fileStore: { dir: '/proc/llmtrace-store' }, logger: { format: 'json' } });\n" +
        "console.log(await traced(async () => 42, { name: 'answer', kind: 'chain' })());\n" +
        'await tracing.shutdown();\n',
    );
    const run = spawnSync(process.execPath, ['proc-store.mjs'], { cwd: project, encoding: 'utf8', timeout: 20_000, env: { ...process.env, NODE_OPTIONS: '' } });
    expect({ status: run.status, signal: run.signal }).toEqual({ status: 0, signal: null });
    expect(run.stdout.split('\n')).toContain('42'); // the traced call returned; the log lines are JSON beside it
    const warnings = (run.stdout + run.stderr).split('\n').filter((line) => line.includes('/proc/llmtrace-store'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('cannot write /proc/llmtrace-store: folders cannot be made there');
    const report = llmtrace(['report', '--out', '/proc/llmtrace-report']);
    expect({ status: report.status, stderr: report.stderr.trim() }).toEqual({
      status: 2,
      stderr: 'llmtrace report: cannot create /proc/llmtrace-report: /proc does not accept new files (it is not a normal folder); choose another folder',
    });
  }, SLOW_TEST_MS);

  test('no command wrote to the store', () => {
    expect(snapshot(join(project, '.llmtrace'))).toEqual(storeSnapshot);
  }, SLOW_TEST_MS);
});

/** Opens the report in Chromium (when installed) and expects no console errors and four charts. */
async function expectRendersInChromium(file: string): Promise<void> {
  if (!existsSync('/usr/bin/chromium')) return; // not installed on this machine: the static checks above still ran
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) problems.push(`request ${r.url()}`);
    });
    await page.goto(`file://${file}`);
    expect(await page.locator('svg').count()).toBe(4);
    expect(await page.locator('h2').first().textContent()).toBe('.llmtrace');
    expect(problems).toEqual([]);
  } finally {
    await browser.close();
  }
}
