/**
 * BatchSpanProcessor, the exporter seam's batching: bounded queue with counted drops and one
 * warning, batches by size and by timer, exports run with tracing suppressed, failures counted and
 * never thrown, idempotent shutdown, flush at process exit.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { diagnosticCounts, getLogger, traced, type Span } from '../../../index.js';
import { BatchSpanProcessor, type SpanExporter } from '../../../lib/extend/index.js';
import { flushAllForExit } from '../../../lib/internal/exit-hooks.js';
import { freshStore } from '../../helpers/fresh-store.js';

/** An in-memory exporter double that records batches and can be told to fail or hold. */
class RecordingExporter implements SpanExporter {
  batches: string[][] = [];
  failNext = false;
  shutdowns = 0;
  onExport: (() => void) | undefined;
  gate: Promise<void> | undefined;
  async export(spans: readonly Span[]): Promise<void> {
    this.onExport?.();
    await this.gate;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('receiver down');
    }
    this.batches.push(spans.map((s) => s.name));
  }
  async shutdown(): Promise<void> {
    this.shutdowns++;
  }
}

const names = (n: number, prefix = 's'): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

function record(count: number, prefix = 's'): void {
  for (const name of names(count, prefix)) traced(() => undefined, { name })();
}

describe('BatchSpanProcessor', () => {
  it('exports full batches at once and the rest on flush, in order', async () => {
    const store = freshStore();
    const exporter = new RecordingExporter();
    const processor = new BatchSpanProcessor(exporter, { maxExportBatchSize: 4, flushOnExit: false }).attach(store);
    record(10);
    await sleep(0);
    expect(exporter.batches).toEqual([names(10).slice(0, 4), names(10).slice(4, 8)]);
    await processor.forceFlush();
    expect(exporter.batches.flat()).toEqual(names(10));
    expect(processor.stats()).toEqual({ queued: 0, exported: 10, dropped: 0, failed: 0 });
    await processor.shutdown();
  });

  it('runs one export at a time while the program runs, and several during a flush, so a slow receiver still gets the queue in time', async () => {
    const store = freshStore();
    let running = 0;
    let peak = 0;
    const exported: string[] = [];
    const slow: SpanExporter = {
      async export(spans) {
        peak = Math.max(peak, ++running);
        await sleep(300);
        running--;
        exported.push(...spans.map((s) => s.name));
      },
      async shutdown() {},
    };
    const processor = new BatchSpanProcessor(slow, { maxExportBatchSize: 4, flushTimeoutMs: 1000, flushOnExit: false }).attach(store);
    record(4, 'early');
    await sleep(400);
    expect({ peak, exported: exported.length }).toEqual({ peak: 1, exported: 4 });
    record(16);
    const started = Date.now();
    await processor.forceFlush(); // four batches of 300 ms one after another would need 1.2 s
    expect(Date.now() - started).toBeLessThan(1000);
    expect(exported.slice(4).sort()).toEqual(names(16).sort());
    expect(processor.stats()).toEqual({ queued: 0, exported: 20, dropped: 0, failed: 0 });
    expect(peak).toBeGreaterThan(1);
    await processor.shutdown();
  });

  it('exports a partial batch after scheduledDelayMs', async () => {
    const store = freshStore();
    const exporter = new RecordingExporter();
    const processor = new BatchSpanProcessor(exporter, { scheduledDelayMs: 20, flushOnExit: false }).attach(store);
    record(3);
    expect(exporter.batches).toEqual([]);
    for (let i = 0; i < 100 && exporter.batches.length === 0; i++) await sleep(10);
    expect(exporter.batches).toEqual([names(3)]);
    await processor.shutdown();
  });

  it('bounds the queue: drops beyond maxQueueSize are counted and warned about once', async () => {
    const store = freshStore();
    const exporter = new RecordingExporter();
    const processor = new BatchSpanProcessor(exporter, { maxQueueSize: 5, maxExportBatchSize: 100, flushOnExit: false }).attach(store);
    const before = diagnosticCounts()['export.queue-full'] ?? 0;
    record(12);
    expect(processor.stats()).toMatchObject({ queued: 5, dropped: 7 });
    expect((diagnosticCounts()['export.queue-full'] ?? 0) - before).toBe(7);
    const warnings = getLogger().buffer.query({}).filter((e) => e.message.includes('export queue full'));
    expect(warnings).toHaveLength(1); // first drop only
    await processor.forceFlush();
    expect(exporter.batches).toEqual([names(5)]);
    await processor.shutdown();
  });

  it('runs exports with tracing suppressed, so exporting records no spans', async () => {
    const store = freshStore();
    const exporter = new RecordingExporter();
    const inner = traced(() => 'io', { name: 'exporter_io' });
    exporter.onExport = () => void inner();
    const processor = new BatchSpanProcessor(exporter, { flushOnExit: false }).attach(store);
    record(2);
    await processor.forceFlush();
    expect(exporter.batches).toEqual([names(2)]);
    expect(store.query((s) => s.name === 'exporter_io')).toEqual([]);
    await processor.shutdown();
  });

  it('counts a failed batch and keeps going; nothing is thrown', async () => {
    const store = freshStore();
    const exporter = new RecordingExporter();
    const processor = new BatchSpanProcessor(exporter, { flushOnExit: false }).attach(store);
    exporter.failNext = true;
    record(3, 'a');
    await expect(processor.forceFlush()).resolves.toBeUndefined();
    record(2, 'b');
    await processor.forceFlush();
    expect(processor.stats()).toEqual({ queued: 0, exported: 2, dropped: 0, failed: 3 });
    expect(exporter.batches).toEqual([names(2, 'b')]);
    await processor.shutdown();
  });

  it('skips sampled-out spans', async () => {
    const store = freshStore();
    const exporter = new RecordingExporter();
    const processor = new BatchSpanProcessor(exporter, { flushOnExit: false }).attach(store);
    record(1, 'kept');
    const span = store.getRecent(1)[0]!;
    span.sampled = false;
    processor.onEnd(span);
    await processor.forceFlush();
    expect(exporter.batches).toEqual([['kept0']]);
    await processor.shutdown();
  });

  it('shuts down once: flushes, shuts the exporter down a single time, stops listening', async () => {
    const store = freshStore();
    const exporter = new RecordingExporter();
    const processor = new BatchSpanProcessor(exporter, { flushOnExit: false }).attach(store);
    record(2);
    await Promise.all([processor.shutdown(), processor.shutdown()]);
    await processor.shutdown();
    expect(exporter.shutdowns).toBe(1);
    expect(exporter.batches).toEqual([names(2)]);
    record(2, 'late');
    await processor.forceFlush();
    expect(exporter.batches.flat()).toEqual(names(2));
  });

  it('flushes pending spans when the process exits', async () => {
    const store = freshStore();
    const exporter = new RecordingExporter();
    const processor = new BatchSpanProcessor(exporter, { scheduledDelayMs: 60_000 }).attach(store);
    record(3);
    expect(exporter.batches).toEqual([]);
    await flushAllForExit();
    expect(exporter.batches).toEqual([names(3)]);
    await processor.shutdown();
  });

  it('throws precise TypeErrors for bad options', () => {
    const exporter = new RecordingExporter();
    expect(() => new BatchSpanProcessor(exporter, { maxQueueSize: -1 })).toThrow(
      new TypeError('llmtrace: BatchSpanProcessor: maxQueueSize must be a positive integer, got -1 (number)'),
    );
    expect(() => new BatchSpanProcessor(exporter, { scheduledDelayMs: '5' as never })).toThrow(
      'llmtrace: BatchSpanProcessor: scheduledDelayMs must be a positive integer, got "5" (string)',
    );
    expect(() => new BatchSpanProcessor({} as never)).toThrow('llmtrace: exporter must implement export(spans) and shutdown()');
  });
});
