/**
 * Benchmark: the `llmtrace` command over a large store. Scenario: 1,000,000 spans (200,000 traces
 * of a run and four model calls, two models, a few errors) written by the real FileStore, then
 * `runs`, `slow` and `stats` run as a user runs them (`node dist/cli/main.js ... --json`, one child
 * process each, wall time and peak RSS from /usr/bin/time), against the anchor: reading and
 * `JSON.parse` of every segment file in this process. `run-info <id>` is timed against `runs` (a full
 * scan by the command, both with process start-up), and the lookup behind it (`findTrace`) in this
 * process against the full read: it parses only the segments whose trace-id index can hold the trace.
 * `stats --summaries` is timed over one week and over four weeks of hourly window summaries: the
 * ratio of the two shows whether cost follows the number of windows.
 * Run alone: `npm run build && node --expose-gc dist/benchmarks/query-scan.js`
 * (LLMTRACE_BENCH_SPANS=100000 for a quicker run).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WindowSummary } from '../lib/aggregator/window-summary.js';
import { configure, TraceStore, type Span, type SpanData } from '../index.js';
import { createFileStore } from '../lib/extend/index.js';
import { findTrace, openSource } from '../lib/query/index.js';
import { round, runIfMain, type ScenarioResult } from './harness.js';

const SPANS = Number(process.env.LLMTRACE_BENCH_SPANS) || 1_000_000;
const CHUNK = 10_000;
const cli = fileURLToPath(new URL('../cli/main.js', import.meta.url));

function hex(n: number, digits: number): string {
  return n.toString(16).padStart(digits, '0').slice(-digits);
}

function traceSpans(t: number, start: number): SpanData[] {
  const traceId = `${hex(t * 2654435761, 8)}${hex(t, 24)}`;
  const runId = hex(t * 5 + 1, 16);
  const calls: SpanData[] = [];
  let clock = start;
  for (let c = 0; c < 4; c++) {
    const duration = 50 + ((t * 7 + c * 13) % 900);
    const failed = (t + c) % 17 === 0;
    calls.push({
      id: hex(t * 5 + c + 2, 16),
      traceId,
      parentId: runId,
      name: 'chat',
      kind: 'llm',
      startTime: clock,
      endTime: clock + duration,
      duration,
      status: failed ? 'error' : 'success',
      attributes: {
        'llmtrace.function': 'chat',
        'gen_ai.request.model': c % 2 ? 'claude-haiku-4-5' : 'gpt-4o-mini',
        'gen_ai.provider.name': c % 2 ? 'anthropic' : 'openai',
        'gen_ai.usage.input_tokens': 20 + c,
        'gen_ai.usage.output_tokens': 10 + c,
        'llmtrace.cost_usd': 0.00001 * (c + 1),
      },
      events: [],
      ...(failed ? { error: { type: 'RateLimitError', message: '429' } } : {}),
      scopes: { run: runId },
      sampled: true,
    });
    clock += duration;
  }
  return [
    ...calls,
    { id: runId, traceId, name: 'run', kind: 'run', startTime: start, endTime: clock, duration: clock - start, status: 'success', attributes: {}, events: [], scopes: { run: runId }, sampled: true },
  ];
}

async function writeSpans(dir: string): Promise<string> {
  const store = createFileStore({ dir, flushOnExit: false, maxStoreBytes: 8 * 2 ** 30, retentionMs: 365 * 86_400_000 });
  const start = Date.now() - 6 * 3_600_000;
  let batch: SpanData[] = [];
  let written = 0;
  let someTrace = '';
  for (let t = 0; written < SPANS; t++) {
    const spans = traceSpans(t, start + t * 100);
    if (t === Math.floor(SPANS / 10)) someTrace = spans[0]!.traceId;
    batch.push(...spans);
    written += spans.length;
    if (batch.length >= CHUNK) {
      await store.export(batch.map((data) => ({ sampled: true, toJSON: () => data }) as unknown as Span));
      await store.flush();
      batch = [];
    }
  }
  await store.export(batch.map((data) => ({ sampled: true, toJSON: () => data }) as unknown as Span));
  await store.shutdown();
  return someTrace;
}

function summaries(weeks: number): WindowSummary[] {
  const out: WindowSummary[] = [];
  const first = Math.floor(Date.now() / 3_600_000) * 3_600_000 - weeks * 7 * 86_400_000;
  for (let h = 0; h < weeks * 7 * 24; h++) {
    for (const model of ['gpt-4o-mini', 'claude-haiku-4-5']) {
      const values = Array.from({ length: 20 }, (_, i) => 100 + ((h * 31 + i * 17) % 800));
      out.push({
        windowStart: first + h * 3_600_000, windowEnd: first + (h + 1) * 3_600_000, function: 'chat', model,
        callCount: 20, successCount: 19, failureCount: 1, successRate: 0.95, cacheHits: 0, cacheMisses: 0,
        minMs: Math.min(...values), avgMs: values.reduce((s, v) => s + v, 0) / 20, maxMs: Math.max(...values),
        p50Ms: null, p90Ms: null, p99Ms: null, ttftP50Ms: null, ttftP90Ms: null, errorTypes: { RateLimitError: 1 },
        inputTokens: 400, outputTokens: 200, costUsd: 0.002, unpricedCalls: 0,
        latencyDistribution: { kind: 'exact', values },
      });
    }
  }
  return out;
}

async function writeSummaries(dir: string, weeks: number): Promise<void> {
  const store = createFileStore({ dir, flushOnExit: false, retentionMs: 365 * 86_400_000 });
  store.writeSummaries(summaries(weeks));
  await store.shutdown();
}

/** Runs the CLI as a child; wall ms and peak RSS MiB. */
function timeCli(args: readonly string[]): { ms: number; rssMiB: number } {
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, cli, ...args, '--json'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`llmtrace ${args.join(' ')} failed: ${result.stderr}`);
  const kib = Number(result.stderr.trim().split('\n').pop());
  return { ms, rssMiB: round(kib / 1024, 0) };
}

function parseAll(dir: string): number {
  const started = performance.now();
  let records = 0;
  for (const sub of ['spans', 'summaries']) {
    let names: string[] = [];
    try {
      names = readdirSync(join(dir, sub));
    } catch {
      continue;
    }
    for (const name of names) records += (JSON.parse(readFileSync(join(dir, sub, name), 'utf8')) as { records: unknown[] }).records.length;
  }
  if (records === 0) throw new Error('nothing parsed');
  return performance.now() - started;
}

/** The scenario. */
export default async function queryScan(): Promise<ScenarioResult> {
  configure({ store: new TraceStore(), logger: { format: 'hidden' } });
  const root = mkdtempSync(join(tmpdir(), 'llmtrace-bench-query-'));
  try {
    const dir = join(root, 'spans-store');
    const someTrace = await writeSpans(dir);
    const parseMs = parseAll(dir);
    const results: Record<string, number | string> = { spans: SPANS, segments: readdirSync(join(dir, 'spans')).length, 'json_parse.ms': round(parseMs, 0) };
    for (const [name, args] of [['runs', ['runs', '--limit', '20']], ['slow', ['slow', '--top', '20']], ['stats', ['stats', '--by', 'model']]] as const) {
      const { ms, rssMiB } = timeCli([...args, '--dir', dir]);
      results[`${name}.ms`] = round(ms, 0);
      results[`${name}.ratio_to_json_parse`] = round(ms / parseMs, 2);
      results[`${name}.peak_rss_mib`] = rssMiB;
    }
    const runInfo = timeCli(['run-info', someTrace.slice(0, 12), '--dir', dir]);
    results['run_info.ms'] = round(runInfo.ms, 0);
    results['run_info.ratio_to_runs'] = round(runInfo.ms / (results['runs.ms'] as number), 3);
    const lookupStarted = performance.now();
    await findTrace([await openSource(dir)], someTrace.slice(0, 12));
    const lookupMs = performance.now() - lookupStarted;
    results['find_trace_in_process.ms'] = round(lookupMs, 0);
    results['find_trace_in_process.ratio_to_json_parse'] = round(lookupMs / parseMs, 3);
    for (const weeks of [1, 4]) {
      const summaryDir = join(root, `summaries-${weeks}w`);
      await writeSummaries(summaryDir, weeks);
      results[`stats_summaries_${weeks}w.ms`] = round(timeCli(['stats', '--summaries', '--dir', summaryDir]).ms, 0);
    }
    results['stats_summaries.ratio_4w_to_1w'] = round((results['stats_summaries_4w.ms'] as number) / (results['stats_summaries_1w.ms'] as number), 2);
    return {
      name: `query-scan: llmtrace runs/slow/stats over ${SPANS.toLocaleString('en-US')} stored spans`,
      results,
      notes:
        'Each command is a fresh `node` process (start-up included); the anchor is readFile + JSON.parse of every segment in-process. ' +
        'run-info reads the trace-id index of every span segment (in the sealed tail, or the head of an older one) and parses only the segments that can hold the trace.',
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

runIfMain(import.meta.url, queryScan);
