/**
 * startTracing({ dashboard }): the in-process dashboard serves the program's own store and its file
 * store directory, shows calls still running, refuses bad options before anything starts, and
 * stops with the tracing handle.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { configure, recordEvaluation, startTracing, traced, TraceStore } from '../../index.js';
import { removeTempDirs, tempDir } from '../helpers/temp-dir.js';

afterAll(() => removeTempDirs());

describe('startTracing({ dashboard })', () => {
  it('serves the running program, calls in flight included, and closes at shutdown', async () => {
    const store = new TraceStore();
    const dir = tempDir('llmtrace-inproc-');
    const tracing = await startTracing({ store, logger: { format: 'hidden' }, fileStore: { dir, flushOnExit: false }, aggregation: false, dashboard: { port: 0 } });
    try {
      expect(tracing.dashboard!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const res = await fetch(new URL('/api/live', tracing.dashboard!.url));
      const reader = res.body!.getReader();
      const pending = traced(async () => gate, { name: 'in_flight', kind: 'chain' })();
      let text = '';
      while (!text.includes('"type":"start"')) text += new TextDecoder().decode((await reader.read()).value);
      expect(text).toContain('"name":"in_flight"');
      expect(text).toContain('"status":"running"');
      release();
      await pending;
      const listing = (await (await fetch(new URL('/api/traces', tracing.dashboard!.url))).json()) as { rows: { rootName: string }[] };
      expect(listing.rows.map((r: { rootName: string }) => r.rootName)).toContain('in_flight');
      await reader.cancel();
    } finally {
      await tracing.shutdown();
    }
    await expect(fetch(tracing.dashboard!.url)).rejects.toThrow();
  });

  it('shows the program\'s own evaluations without a file store (held in memory)', async () => {
    const store = new TraceStore();
    const tracing = await startTracing({ store, logger: { format: 'hidden' }, fileStore: false, aggregation: false, dashboard: { port: 0 } });
    try {
      await traced(async () => {
        recordEvaluation({ evaluator: 'arbiter', prompt: 'q', candidates: [{ model: 'gpt-4o', response: 'a' }, { model: 'claude-haiku-4-5', response: 'b' }], chosen: 0 });
      }, { name: 'judge', kind: 'chain' })();
      const body = (await (await fetch(new URL('/api/evaluations', tracing.dashboard!.url))).json()) as { evaluations: { evaluator?: string; traceId?: string }[] };
      expect(body.evaluations.map((e) => e.evaluator)).toEqual(['arbiter']);
      expect(body.evaluations[0]!.traceId).toBe(store.getRecent(1)[0]!.traceId);
    } finally {
      await tracing.shutdown();
    }
  });

  it('refuses a bad dashboard option before anything starts', async () => {
    await expect(startTracing({ logger: { format: 'hidden' }, fileStore: false, aggregation: false, dashboard: { port: 70_000 } })).rejects.toThrow(
      'llmtrace: startTracing: dashboard.port must be a port number from 0 to 65535, got 70000 (number)',
    );
    await expect(startTracing({ fileStore: false, dashboard: { prot: 1 } as never })).rejects.toThrow('did you mean "dashboard.port"?');
    configure({ store: new TraceStore() });
  });
});
