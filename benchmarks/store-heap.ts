/**
 * Benchmark: is the heap flat with the JSON file store attached? Scenario: 1,000,000 calls of a
 * traced function, their spans going to a TraceStore (default capacity) and, through a
 * BatchSpanProcessor, to a FileStore on a temp directory (retention capped at 64 MiB so the disk
 * stays bounded too). Every 10,000 calls the loop awaits the processor's flush, as a program that
 * does I/O lets the exporter run. Heap is measured after a forced GC at 100,000 and at 1,000,000
 * calls; flat means the ratio stays near 1.
 * Run alone: `npm run build && node --expose-gc dist/benchmarks/store-heap.js`
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configure, openFileStore, traced, TraceStore } from '../index.js';
import { BatchSpanProcessor } from '../lib/extend/index.js';
import { heapAfterGc, round, runIfMain, type ScenarioResult } from './harness.js';

const TOTAL = 1_000_000;
const CHECKPOINT = 100_000;
const CHUNK = 10_000;

/** The scenario. */
export default async function storeHeap(): Promise<ScenarioResult> {
  const dir = mkdtempSync(join(tmpdir(), 'llmtrace-bench-heap-'));
  try {
    const store = new TraceStore();
    configure({ store, logger: { format: 'hidden' }, capture: 'metadata', enabled: true });
    const fileStore = await openFileStore({ dir, flushOnExit: false, maxStoreBytes: 64 * 1024 * 1024 });
    const processor = new BatchSpanProcessor(fileStore, { flushOnExit: false }).attach(store);
    const answer = traced((q: number) => ({ text: `answer ${q}`, usage: { prompt_tokens: 12, completion_tokens: 5 } }), {
      name: 'answer',
      kind: 'llm',
    });

    const start = performance.now();
    let heapAt100k = 0;
    for (let done = 0; done < TOTAL; ) {
      for (let i = 0; i < CHUNK; i++) answer(done + i);
      done += CHUNK;
      await processor.forceFlush();
      if (done === CHECKPOINT) heapAt100k = heapAfterGc();
    }
    await processor.forceFlush();
    const heapAt1M = heapAfterGc();
    const elapsedS = (performance.now() - start) / 1000;
    const stats = fileStore.stats();
    const processorStats = processor.stats();
    await processor.shutdown();
    const mib = (bytes: number): number => round(bytes / 2 ** 20, 1);
    return {
      name: 'store-heap: heap after 1,000,000 traced calls with the file store attached',
      results: {
        'heap_after_gc.at_100k_calls_MiB': mib(heapAt100k),
        'heap_after_gc.at_1M_calls_MiB': mib(heapAt1M),
        'ratio 1M / 100k (flat ~ 1)': round(heapAt1M / heapAt100k, 3),
        spans_written: stats.writtenSpans,
        spans_dropped: stats.droppedSpans + processorStats.dropped,
        spans_failed: stats.failedSpans,
        elapsed_s: round(elapsedS, 1),
      },
      notes:
        'The TraceStore ring (10,000 spans) is full well before 100k calls, so both figures include it. ' +
        'Spans dropped by the BatchSpanProcessor queue (2,048) when a 10,000-call burst outruns it are counted, not lost silently.',
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

runIfMain(import.meta.url, storeHeap);
