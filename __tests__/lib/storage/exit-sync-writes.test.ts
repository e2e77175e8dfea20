/**
 * The synchronous exit writes of the file store and the session files take over from the async
 * path at any point: whatever stage the write under way has reached when `flushSync()` runs (not
 * started, temp file written, rename issued, between two segments or two session files), every
 * record ends up on disk exactly once, even when the abandoned async operations complete later
 * (here the process goes on, so they do; at a real exit they would not).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Span, type WindowSummary } from '../../../index.js';
import { createFileStore, createSessionFileExporter } from '../../../lib/extend/index.js';
import { makeSpan } from '../../helpers/make-spans.js';
import { removeTempDirs, tempDir } from '../../helpers/temp-dir.js';

afterAll(removeTempDirs);

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** `count` spans whose end times spread over several 1-second windows, in up to three sessions. */
function spans(count: number, sessions = false): Span[] {
  const base = Date.now();
  return Array.from({ length: count }, (_, i) => {
    const session = `s${i % 3}`;
    const parent = sessions ? { id: session, traceId: 'a'.repeat(32), sampled: true, scopes: { session } } : undefined;
    const span = makeSpan({ name: `call-${i}`, parent });
    span.endTime = base + i * 20;
    return span;
  });
}

function segmentRecords(dir: string, kind: 'spans' | 'summaries'): Record<string, unknown>[] {
  const sub = join(dir, kind);
  return readdirSync(sub)
    .filter((name) => name.endsWith('.json') && !name.startsWith('.'))
    .flatMap((name) => (JSON.parse(readFileSync(join(sub, name), 'utf8')) as { records: Record<string, unknown>[] }).records);
}

const summary = (windowStart: number): WindowSummary => ({ windowStart, windowEnd: windowStart + 1, function: 'f', model: 'm', callCount: 1 }) as WindowSummary;

describe('file store flushSync', () => {
  it.each(Array.from({ length: 24 }, (_, k) => k))('after %i event-loop turns of async writing, every record is on disk once', async (turns) => {
    const dir = tempDir();
    const store = createFileStore({ dir, flushOnExit: false, segmentWindowMs: 1_000, maxSegmentRecords: 30 });
    const batches = [spans(40), spans(40), spans(40), spans(40), spans(40)];
    for (const batch of batches) void store.export(batch);
    store.writeSummaries([summary(1_000), summary(2_000)]);
    for (let i = 0; i < turns; i++) await tick();
    store.flushSync();
    await sleep(30); // let the abandoned async operations finish
    await store.flush();
    const ids = segmentRecords(dir, 'spans').map((r) => r.id);
    expect(ids.length).toBe(200);
    expect(new Set(ids)).toEqual(new Set(batches.flat().map((s) => s.id)));
    expect(segmentRecords(dir, 'summaries')).toHaveLength(2);
    expect(store.stats()).toMatchObject({ pendingSpans: 0, writtenSpans: 200, writtenSummaries: 2, failedSpans: 0, droppedSpans: 0 });
  });

  it('writes what arrives after the first flushSync synchronously too (exportSync)', () => {
    const dir = tempDir();
    const store = createFileStore({ dir, flushOnExit: false });
    store.flushSync();
    store.exportSync(spans(5));
    expect(segmentRecords(dir, 'spans')).toHaveLength(5);
    expect(readdirSync(join(dir, 'processes'))).toEqual([`${store.instance}.json`]);
  });
});

describe('session files flushSync', () => {
  it.each(Array.from({ length: 16 }, (_, k) => k))('after %i event-loop turns of async appending, every line is on disk once', async (turns) => {
    const dir = tempDir();
    const exporter = createSessionFileExporter({ dir, flushOnExit: false });
    const batches = [spans(30, true), spans(30, true), spans(30, true)];
    for (const batch of batches) void exporter.export(batch);
    for (let i = 0; i < turns; i++) await tick();
    exporter.flushSync();
    await sleep(30);
    const events = readdirSync(dir).flatMap((name) =>
      readFileSync(join(dir, name), 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as { type: string; session_id: string; data: { span_id?: string } }),
    );
    const responses = events.filter((e) => e.type === 'llm_response').map((e) => e.data.span_id);
    expect(responses).toHaveLength(90);
    expect(new Set(responses)).toEqual(new Set(batches.flat().map((s) => s.id)));
    expect(events.filter((e) => e.type === 'session_start').map((e) => e.session_id).sort()).toEqual(['s0', 's1', 's2']);
    expect(exporter.stats()).toMatchObject({ linesFailed: 0, spansDropped: 0, sessionsStarted: 3 });
  });
});

describe('unserialisable records at exit', () => {
  it('drops only the attribute JSON cannot hold, as the async path does; the whole batch is written synchronously', () => {
    const dir = tempDir();
    const store = createFileStore({ dir, flushOnExit: false });
    const batch = spans(10);
    // Spans are ended: the bad value goes in directly, as an attributes hook could put it.
    (batch[3]!.attributes as Record<string, unknown>)['bad'] = 10n;
    store.flushSync();
    store.exportSync(batch);
    const records = segmentRecords(dir, 'spans');
    expect(records.map((r) => r.id)).toEqual(batch.map((s) => s.id));
    const kept = records[3] as { attributes: Record<string, unknown> };
    expect(kept.attributes).not.toHaveProperty('bad');
    expect(kept.attributes['llmtrace.storage.dropped_attributes']).toBe(1);
    expect(store.stats()).toMatchObject({ writtenSpans: 10, failedSpans: 0 });
  });
});
