/** Session files: session_start is never after what it frames, and sampled files say so and weight their lines. */
import { configure, traced, withSpan } from '../../../index.js';
import { BatchSpanProcessor, createSessionFileExporter, readSessionFile, sessionFileName, summariseSession } from '../../../lib/extend/index.js';
import { join } from 'node:path';
import { freshStore } from '../../helpers/fresh-store.js';
import { makeSpan } from '../../helpers/make-spans.js';
import { removeTempDirs, tempDir } from '../../helpers/temp-dir.js';

afterAll(removeTempDirs);
afterEach(() => configure({ sampling: { ratio: 1, keepErrors: true } }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('session_start time', () => {
  it('is the session span start, before every line and the session_end, even when the file is written later', async () => {
    const store = freshStore();
    const dir = tempDir();
    const exporter = createSessionFileExporter({ dir, flushOnExit: false });
    const processor = new BatchSpanProcessor(exporter, { flushOnExit: false }).attach(store);
    const ask = traced(async (model: string) => ({ model, usage: { prompt_tokens: 1, completion_tokens: 1 } }), { name: 'ask', kind: 'llm' });
    let sessionId = '';
    let sessionStart = 0;
    await withSpan('s', { kind: 'session' }, async (span) => {
      sessionId = span.id;
      sessionStart = span.startTime;
      await sleep(5);
      await ask('m');
    });
    await sleep(30); // the batch is written well after the session ended
    await processor.shutdown();
    const { events } = await readSessionFile(join(dir, sessionFileName(sessionId)));
    const start = events.find((e) => e.type === 'session_start')!;
    const end = events.find((e) => e.type === 'session_end')!;
    expect(start.timestamp).toBe(new Date(sessionStart).toISOString());
    for (const event of events) expect(Date.parse(event.timestamp)).toBeGreaterThanOrEqual(Date.parse(start.timestamp));
    expect(Date.parse(end.timestamp)).toBeGreaterThanOrEqual(Date.parse(start.timestamp));
    expect(start.data).not.toHaveProperty('sampling');
  });
});

describe('sampled session files', () => {
  it('record the sampling in session_start and weight lines so a 10% error rate summarises as 10%, not ~50%', async () => {
    freshStore();
    configure({ sampling: { ratio: 0.1, keepErrors: true } });
    const dir = tempDir();
    const exporter = createSessionFileExporter({ dir, defaultSessionId: 'sampled', flushOnExit: false });
    // The sample of 100 calls with 10 errors: the 9 successes of the traces kept by the head
    // ratio (each standing for 10 calls, as the recorder marks them), and all 10 errors (keepErrors).
    const kept = [
      ...Array.from({ length: 9 }, () => makeSpan({ name: 'chat', attributes: { 'llmtrace.sample_weight': 10 } })),
      ...Array.from({ length: 10 }, () => makeSpan({ name: 'chat', error: { type: 'RateLimitError', message: 'slow down' } })),
    ];
    await exporter.export(kept);
    await exporter.shutdown();
    const { events } = await readSessionFile(join(dir, sessionFileName('sampled')));
    expect(events[0]!.data.sampling).toEqual({ ratio: 0.1, keep_errors: true, slower_than_ms: null });
    expect(events.filter((e) => e.type === 'llm_response').map((e) => e.data.sample_weight)).toEqual(Array(9).fill(10));
    expect(events.filter((e) => e.type === 'error').every((e) => e.data.sample_weight === undefined)).toBe(true);
    const summary = summariseSession(events);
    expect(summary.sampling).toEqual({ ratio: 0.1, keep_errors: true, slower_than_ms: null });
    expect(summary.errors / summary.calls).toBeGreaterThan(0.5); // the raw lines
    expect(summary.estimatedCalls).toBe(100);
    expect(summary.estimatedErrors).toBe(10);
    expect(summary.estimatedErrors / summary.estimatedCalls).toBe(0.1);
  });

  it('an unsampled file has no sampling mark and estimates equal counts', async () => {
    freshStore();
    const dir = tempDir();
    const exporter = createSessionFileExporter({ dir, defaultSessionId: 'all', flushOnExit: false });
    await exporter.export([makeSpan(), makeSpan({ error: { type: 'E', message: 'm' } })]);
    await exporter.shutdown();
    const summary = summariseSession((await readSessionFile(join(dir, sessionFileName('all')))).events);
    expect(summary.sampling).toBeNull();
    expect([summary.calls, summary.estimatedCalls, summary.errors, summary.estimatedErrors]).toEqual([2, 2, 1, 1]);
  });
});
