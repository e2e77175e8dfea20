/**
 * Benchmark: resident memory (RSS) and disk use with DEFAULT settings, capture `full`, 2 KB prompts,
 * many calls (issue 8, point 3: under 256 MB RSS; the store under its 512 MiB disk bound while
 * running). Scenario: `startTracing({ capture: 'full', fileStore: { dir } })` (every other option
 * at its default: TraceStore of 10,000 spans, BatchSpanProcessor 2,048 / 512, file-store backlog
 * 64 batches / 16 MiB, 1 MiB segments, 512 MiB store), then a chat-completion-shaped traced call
 * with a distinct 2 KB prompt and a 1 KB answer, as fast as the machine goes, yielding to the event
 * loop every 50 calls (as a program doing I/O does), for CALLS calls or TIME_BUDGET_MS. RSS is
 * sampled every 1,000 calls (peak and last); disk bytes of the store are sampled every 20,000.
 * Anchor: RSS of the same process before tracing starts. A second phase checks that the disk bound
 * holds while running: the same calls into a file store bounded at 64 MiB (so the bound is reached
 * within the time budget), disk bytes sampled every 2,000 calls.
 * Run alone: `npm run build && node --expose-gc dist/benchmarks/memory-capture-full.js`
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { getStore, openFileStore, startTracing, traced, TraceStore } from '../index.js';
import { BatchSpanProcessor } from '../lib/extend/index.js';
import { heapAfterGc, round, runIfMain, type ScenarioResult } from './harness.js';

/** Most calls made. */
const CALLS = 400_000;

/** Longest the RSS phase's call loop runs, ms (keeps the scenario near a minute on a slow machine). */
const TIME_BUDGET_MS = 25_000;

/** TraceStore capacity of the comparison run (the default is 10,000). */
const SMALL_RING = 2_000;

/** Longest the disk phase's call loop runs, ms. */
const DISK_TIME_BUDGET_MS = 15_000;

/** The store bound of the disk phase (small enough to be reached within its time budget). */
const DISK_PHASE_BOUND = 64 * 2 ** 20;

/** The target of issue 8, MiB. */
const RSS_TARGET_MIB = 256;

const MIB = 2 ** 20;

/** Bytes of every file under `dir`, recursively. */
function bytesUnder(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, name.name);
    try {
      total += name.isDirectory() ? bytesUnder(path) : statSync(path).size;
    } catch {
      // deleted by retention meanwhile
    }
  }
  return total;
}

/** A chat-completion-shaped response (what the OpenAI SDK returns), with `text` as the answer. */
function completion(text: string, promptChars: number) {
  return {
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    model: 'gpt-4o-mini-2024-07-18',
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    usage: { prompt_tokens: Math.round(promptChars / 4), completion_tokens: Math.round(text.length / 4), total_tokens: 0 },
  };
}

type Chat = (request: { model: string; messages: { role: string; content: string }[] }) => Promise<unknown>;

/** Figures of the RSS phase. */
interface RssFigures {
  calls: number;
  callsPerS: number;
  rssBefore: number;
  peakRss: number;
  rssEnd: number;
  heapEnd: number;
  peakDisk: number;
  written: number;
  dropped: number;
  failed: number;
}

/** Argument that makes this file run only the RSS phase, with a TraceStore of `<n>` spans, and print its figures. */
const RING_CHILD_ARG = '--ring-child=';

/** The RSS phase: default settings (a TraceStore of `maxSpans` when given), calls for TIME_BUDGET_MS. */
async function rssPhase(maxSpans: number | undefined): Promise<{ figures: RssFigures; chat: Chat }> {
  const dir = mkdtempSync(join(tmpdir(), 'llmtrace-bench-memory-'));
  try {
    const rssBefore = process.memoryUsage().rss;
    const store = maxSpans === undefined ? {} : { store: new TraceStore({ maxSpans }) };
    const tracing = await startTracing({ capture: 'full', logger: { format: 'hidden' }, fileStore: { dir }, ...store });
    const chat: Chat = traced(
      async (request: { model: string; messages: { role: string; content: string }[] }) =>
        completion(randomBytes(512).toString('hex'), request.messages[0]!.content.length),
      { name: 'chat', kind: 'llm' },
    );
    let peakRss = 0;
    let peakDisk = 0;
    let calls = 0;
    const started = performance.now();
    while (calls < CALLS && performance.now() - started < TIME_BUDGET_MS) {
      const prompt = randomBytes(1024).toString('hex'); // 2 KB, distinct per call (no shared string)
      await chat({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }] });
      calls++;
      if (calls % 50 === 0) await yieldToLoop();
      if (calls % 1_000 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
      if (calls % 20_000 === 0) peakDisk = Math.max(peakDisk, bytesUnder(dir));
    }
    const loopS = (performance.now() - started) / 1000;
    const rssEnd = process.memoryUsage().rss;
    await tracing.flush();
    const heapEnd = heapAfterGc();
    const stats = tracing.fileStore!.stats();
    await tracing.shutdown();
    peakDisk = Math.max(peakDisk, bytesUnder(dir));
    const figures: RssFigures = {
      calls,
      callsPerS: Math.round(calls / loopS),
      rssBefore,
      peakRss,
      rssEnd,
      heapEnd,
      peakDisk,
      written: stats.writtenSpans,
      dropped: stats.droppedSpans,
      failed: stats.failedSpans,
    };
    return { figures, chat };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the RSS phase with a TraceStore of `maxSpans` in a fresh child process (RSS never shrinks back within one). */
function rssPhaseInChild(maxSpans: number): Promise<RssFigures | undefined> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), `${RING_CHILD_ARG}${maxSpans}`], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', () => {
      const line = out.split('\n').find((l) => l.startsWith('RSS_FIGURES '));
      resolve(line ? (JSON.parse(line.slice('RSS_FIGURES '.length)) as RssFigures) : undefined);
    });
  });
}

/** The scenario. */
export default async function memoryCaptureFull(): Promise<ScenarioResult> {
  const ringArg = process.argv.find((a) => a.startsWith(RING_CHILD_ARG));
  if (ringArg) {
    const { figures } = await rssPhase(Number(ringArg.slice(RING_CHILD_ARG.length)));
    process.stdout.write(`RSS_FIGURES ${JSON.stringify(figures)}\n`);
    return { name: 'memory-capture-full (child)', results: { calls: figures.calls } };
  }
  const { figures: f, chat } = await rssPhase(undefined);
  const disk = await diskPhase(chat);
  const small = await rssPhaseInChild(SMALL_RING);
  const mib = (bytes: number): number => round(bytes / MIB, 1);
  return {
    name: 'memory-capture-full: RSS and disk with default settings, capture full, 2 KB prompts',
    results: {
      calls: f.calls,
      calls_per_s: f.callsPerS,
      'rss.before_tracing_MiB': mib(f.rssBefore),
      'rss.peak_MiB': mib(f.peakRss),
      'rss.end_MiB': mib(f.rssEnd),
      'heap_after_gc.end_MiB': mib(f.heapEnd),
      'disk.peak_MiB': mib(f.peakDisk),
      'disk.bound_MiB': 512,
      spans_written: f.written,
      spans_dropped_backlog: f.dropped,
      spans_failed: f.failed,
      'target.rss_under_256MiB': f.peakRss < RSS_TARGET_MIB * MIB ? 'yes' : 'no',
      'target.disk_under_bound': f.peakDisk <= 512 * MIB ? 'yes' : 'no',
      'disk_phase.calls': disk.calls,
      'disk_phase.written_MiB': mib(disk.writtenBytes),
      'disk_phase.peak_MiB': mib(disk.peak),
      'disk_phase.bound_MiB': mib(DISK_PHASE_BOUND),
      'target.disk_phase_under_bound': disk.peak <= DISK_PHASE_BOUND ? 'yes' : 'no',
      [`ring_${SMALL_RING}.calls`]: small?.calls ?? 'failed',
      [`ring_${SMALL_RING}.rss.peak_MiB`]: small ? mib(small.peakRss) : 'failed',
      [`ring_${SMALL_RING}.heap_after_gc.end_MiB`]: small ? mib(small.heapEnd) : 'failed',
    },
    notes:
      'When calls outrun the disk, the file-store backlog (64 batches / 16 MiB) drops the oldest batches, counted in ' +
      'spans_dropped_backlog. Disk is sampled every 20,000 calls (every 2,000 in the disk phase) and at the end. ' +
      `ring_${SMALL_RING}: the same RSS phase in a fresh process with new TraceStore({ maxSpans: ${SMALL_RING} }), ` +
      'to show how much of the peak is the in-memory ring of full-capture spans.',
  };
}

/** The disk phase: calls into a file store bounded at DISK_PHASE_BOUND; peak disk bytes seen. */
async function diskPhase(chat: Chat): Promise<{ calls: number; peak: number; writtenBytes: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'llmtrace-bench-disk-'));
  try {
    const fileStore = await openFileStore({ dir, flushOnExit: false, maxStoreBytes: DISK_PHASE_BOUND });
    const processor = new BatchSpanProcessor(fileStore, { flushOnExit: false }).attach(getStore());
    let calls = 0;
    let peak = 0;
    const started = performance.now();
    while (performance.now() - started < DISK_TIME_BUDGET_MS) {
      await chat({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: randomBytes(1024).toString('hex') }] });
      calls++;
      if (calls % 50 === 0) await yieldToLoop();
      if (calls % 2_000 === 0) peak = Math.max(peak, bytesUnder(dir));
    }
    await processor.shutdown();
    peak = Math.max(peak, bytesUnder(dir));
    // Each written span's JSON is about as large as the sampled spans; written bytes = spans x that size.
    const written = fileStore.stats().writtenSpans;
    const spanBytes = JSON.stringify(getStore().getRecent(1)[0] ?? {}).length;
    return { calls, peak, writtenBytes: written * spanBytes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

runIfMain(import.meta.url, memoryCaptureFull);
