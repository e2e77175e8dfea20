/**
 * The batch processor holds its bounds whatever the exporter does: an exporter that hangs, one
 * that rejects, one that throws synchronously, one that answers after its timeout. The queue stays
 * within its count and byte bounds, drops are counted, `queued + exported + dropped + failed`
 * always equals the spans handed over, and `shutdown()` is bounded by one overall timeout (a
 * per-batch wait would outlast the test's own timeout). At exit, an exporter with `exportSync` gets
 * everything still queued.
 */
import { type Span } from '../../../index.js';
import { BatchSpanProcessor, type SpanExporter } from '../../../lib/extend/index.js';
import { makeSpan, makeSpans } from '../../helpers/make-spans.js';

/** An exporter double whose `export` does what the test says. */
class FaultyExporter implements SpanExporter {
  calls = 0;
  received = 0;
  shutdowns = 0;
  constructor(
    readonly behave: (spans: readonly Span[]) => Promise<void>,
    readonly shutdownBehave: () => Promise<void> = async () => undefined,
  ) {}
  export(spans: readonly Span[]): Promise<void> {
    this.calls++;
    this.received += spans.length;
    return this.behave(spans);
  }
  shutdown(): Promise<void> {
    this.shutdowns++;
    return this.shutdownBehave();
  }
}

const never = (): Promise<void> => new Promise(() => undefined);
const total = (p: BatchSpanProcessor): number => {
  const { queued, exported, dropped, failed } = p.stats();
  return queued + exported + dropped + failed;
};
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('a hanging exporter', () => {
  it('holds the count bound, counts the excess as dropped, and the stats add up', async () => {
    const exporter = new FaultyExporter(never);
    const processor = new BatchSpanProcessor(exporter, { maxQueueSize: 100, maxExportBatchSize: 10, flushOnExit: false, flushTimeoutMs: 50 });
    for (const span of makeSpans(10_000)) processor.onEnd(span);
    await tick();
    const stats = processor.stats();
    expect(stats.queued).toBeLessThanOrEqual(100 + 10);
    expect(stats.dropped).toBeGreaterThanOrEqual(10_000 - 110);
    expect(exporter.calls).toBe(1); // one export at a time: nothing piles up in promises
    expect(total(processor)).toBe(10_000);
    await processor.shutdown();
    expect(processor.stats().queued).toBe(0);
    expect(total(processor)).toBe(10_000);
  });

  it('holds the byte bound with large spans', async () => {
    const exporter = new FaultyExporter(never);
    const processor = new BatchSpanProcessor(exporter, {
      maxQueueSize: 10_000,
      maxQueueBytes: 200_000,
      maxExportBatchSize: 5,
      flushOnExit: false,
      flushTimeoutMs: 50,
    });
    const big = 'x'.repeat(20_000);
    for (let i = 0; i < 1_000; i++) processor.onEnd(makeSpan({ attributes: { 'gen_ai.prompt': big } }));
    const stats = processor.stats();
    // 200 KB of 20 KB spans: at most ten wait, plus the batch handed to the exporter.
    expect(stats.queued).toBeLessThanOrEqual(10 + 5);
    expect(stats.dropped).toBeGreaterThanOrEqual(1_000 - 15);
    expect(total(processor)).toBe(1_000);
    await processor.shutdown();
    expect(total(processor)).toBe(1_000);
  });

  it('times a hung export out, counts it failed and moves on to the next batch', async () => {
    let hang = true;
    const exporter = new FaultyExporter(() => (hang ? never() : Promise.resolve()));
    const processor = new BatchSpanProcessor(exporter, { maxExportBatchSize: 4, exportTimeoutMs: 20, flushOnExit: false });
    for (const span of makeSpans(8)) processor.onEnd(span);
    await tick();
    hang = false;
    await processor.forceFlush();
    expect(processor.stats()).toEqual({ queued: 0, exported: 4, dropped: 0, failed: 4 });
    await processor.shutdown();
  });

  it('bounds shutdown by one overall timeout, not batches x export timeout; the rest is dropped and counted', async () => {
    // With a per-batch wait this would take 50 batches x 60 s; the test's own timeout is 20 s.
    const exporter = new FaultyExporter(never, never);
    const processor = new BatchSpanProcessor(exporter, {
      maxQueueSize: 1_000,
      maxExportBatchSize: 10,
      exportTimeoutMs: 60_000,
      flushTimeoutMs: 100,
      flushOnExit: false,
    });
    for (const span of makeSpans(500)) processor.onEnd(span);
    await processor.shutdown();
    expect(exporter.shutdowns).toBe(1);
    // The flush had four batches under way (failed when shutdown gave up); the rest never started.
    expect(processor.stats()).toEqual({ queued: 0, exported: 0, dropped: 460, failed: 40 });
    processor.onEnd(makeSpan());
    expect(total(processor)).toBe(500); // nothing is taken after shutdown
  });

  it('bounds forceFlush by one overall timeout too, and keeps what it could not send queued', async () => {
    const exporter = new FaultyExporter(never);
    const processor = new BatchSpanProcessor(exporter, { maxExportBatchSize: 10, exportTimeoutMs: 60_000, flushTimeoutMs: 50, flushOnExit: false });
    for (const span of makeSpans(100)) processor.onEnd(span);
    await processor.forceFlush();
    expect(processor.stats()).toMatchObject({ queued: 100, exported: 0, dropped: 0, failed: 0 });
    await processor.shutdown();
    expect(total(processor)).toBe(100);
  });
});

describe('a failing exporter', () => {
  it('counts every rejected batch as failed; the stats add up', async () => {
    const exporter = new FaultyExporter(async () => {
      throw new Error('receiver down');
    });
    const processor = new BatchSpanProcessor(exporter, { maxExportBatchSize: 7, flushOnExit: false });
    for (const span of makeSpans(100)) processor.onEnd(span);
    await processor.forceFlush();
    expect(processor.stats()).toEqual({ queued: 0, exported: 0, dropped: 0, failed: 100 });
    await processor.shutdown();
  });

  it('counts a synchronous throw from export as a failed batch, never thrown to the caller', async () => {
    const exporter = new FaultyExporter(() => {
      throw new Error('sync boom');
    });
    const processor = new BatchSpanProcessor(exporter, { maxExportBatchSize: 5, flushOnExit: false });
    expect(() => {
      for (const span of makeSpans(12)) processor.onEnd(span);
    }).not.toThrow();
    await processor.forceFlush();
    expect(processor.stats()).toEqual({ queued: 0, exported: 0, dropped: 0, failed: 12 });
    await processor.shutdown();
  });

  it('counts a batch that answers after its timeout once, as failed', async () => {
    let release!: () => void;
    const late = new Promise<void>((resolve) => (release = resolve));
    const exporter = new FaultyExporter(() => late);
    const processor = new BatchSpanProcessor(exporter, { maxExportBatchSize: 3, exportTimeoutMs: 10, flushOnExit: false });
    for (const span of makeSpans(3)) processor.onEnd(span);
    await processor.forceFlush();
    release();
    await tick();
    expect(processor.stats()).toEqual({ queued: 0, exported: 0, dropped: 0, failed: 3 });
    await processor.shutdown();
  });
});

describe('at exit (flushSync)', () => {
  it('hands every queued span, and the batch not yet exported, to exportSync; the stats add up', () => {
    const synced: string[] = [];
    let flushed = 0;
    const exporter: SpanExporter = {
      export: never,
      shutdown: async () => undefined,
      exportSync: (spans) => void synced.push(...spans.map((s) => s.id)),
      flushSync: () => void flushed++,
    };
    const processor = new BatchSpanProcessor(exporter, { maxExportBatchSize: 10, flushOnExit: false });
    const spans = makeSpans(35);
    for (const span of spans) processor.onEnd(span);
    processor.flushSync(); // synchronously, as on `exit`: the first batch's export has not started
    expect(synced).toEqual(spans.map((s) => s.id));
    expect(flushed).toBe(1);
    expect(processor.stats()).toEqual({ queued: 0, exported: 35, dropped: 0, failed: 0 });
  });

  it('leaves an exporter without exportSync alone', () => {
    const exporter = new FaultyExporter(never);
    const processor = new BatchSpanProcessor(exporter, { flushOnExit: false });
    for (const span of makeSpans(3)) processor.onEnd(span);
    processor.flushSync();
    expect(processor.stats()).toMatchObject({ queued: 3, exported: 0 });
  });
});

describe('options', () => {
  it('throws precise TypeErrors for the new bounds', () => {
    const exporter = new FaultyExporter(never);
    expect(() => new BatchSpanProcessor(exporter, { maxQueueBytes: 0 })).toThrow(
      'llmtrace: BatchSpanProcessor: maxQueueBytes must be a positive integer, got 0 (number)',
    );
    expect(() => new BatchSpanProcessor(exporter, { exportTimeoutMs: 1.5 })).toThrow('llmtrace: BatchSpanProcessor: exportTimeoutMs must be a positive integer');
    expect(() => new BatchSpanProcessor(exporter, { flushTimeoutMs: -1 })).toThrow('llmtrace: BatchSpanProcessor: flushTimeoutMs must be a positive integer');
    expect(() => new BatchSpanProcessor(exporter, { flushOnExit: 'yes' as never })).toThrow('llmtrace: BatchSpanProcessor: flushOnExit must be a boolean');
  });
});

describe('a local sink (buffersLocally)', () => {
  it('gets every full batch synchronously: a burst in synchronous code is not cut to the queue bound', async () => {
    const received: number[] = [];
    const exporter: SpanExporter = {
      buffersLocally: true,
      export: async (spans) => void received.push(spans.length),
      shutdown: async () => undefined,
    };
    const processor = new BatchSpanProcessor(exporter, { maxQueueSize: 100, maxExportBatchSize: 50, flushOnExit: false });
    for (const span of makeSpans(10_000)) processor.onEnd(span); // no promise settles in between
    expect(processor.stats()).toEqual({ queued: 0, exported: 10_000, dropped: 0, failed: 0 });
    expect(received).toEqual(Array.from({ length: 200 }, () => 50));
    await processor.shutdown();
  });
});
