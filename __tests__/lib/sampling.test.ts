import { configure, continueTrace, traced, withSpan, type Span } from '../../index.js';
import { freshStore } from '../helpers/fresh-store.js';

afterEach(() => configure({ sampling: { ratio: 1, keepErrors: true, slowerThanMs: Infinity } }));

const child = traced(async () => 'ok', { name: 'child' });

describe('sampling', () => {
  it('keeps everything by default', async () => {
    const store = freshStore();
    await withSpan('root', async () => child());
    expect(store.size).toBe(2);
  });

  it('keeps or drops whole traces: children inherit the root decision', async () => {
    const store = freshStore();
    configure({ sampling: { ratio: 0.5 } });
    const roots: Span[] = [];
    for (let i = 0; i < 300; i++) {
      await withSpan('root', async (root) => {
        roots.push(root);
        await child();
        await child();
      });
    }
    const kept = roots.filter((r) => r.sampled);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(roots.length);
    for (const root of roots) {
      const trace = store.getTrace(root.traceId);
      expect(trace).toHaveLength(root.sampled ? 3 : 0);
    }
  });

  it('keeps close to the ratio of traces', async () => {
    freshStore();
    configure({ sampling: { ratio: 0.5 } });
    let kept = 0;
    for (let i = 0; i < 2_000; i++) withSpan('root', (span) => void (kept += span.sampled ? 1 : 0));
    // Binomial(2000, 0.5) has a standard deviation of about 22; 0.4..0.6 is over 8 deviations wide.
    expect(kept / 2_000).toBeGreaterThan(0.4);
    expect(kept / 2_000).toBeLessThan(0.6);
  });

  it('ratio 0 drops every trace, but aggregates still see every span', async () => {
    const store = freshStore();
    let seen = 0;
    store.subscribe(() => seen++);
    configure({ sampling: { ratio: 0, keepErrors: false } });
    await withSpan('root', async () => child());
    expect(store.size).toBe(0);
    expect(seen).toBe(2);
  });

  it('tail rules keep errors and slow calls of sampled-out traces', async () => {
    const store = freshStore();
    configure({ sampling: { ratio: 0, keepErrors: true, slowerThanMs: 150 } });
    const failing = traced(
      async () => {
        throw new Error('boom');
      },
      { name: 'failing' },
    );
    const slow = traced(() => new Promise((r) => setTimeout(r, 300)), { name: 'slow' });
    await expect(failing()).rejects.toThrow('boom');
    await slow();
    await child();
    expect(store.getRecent(10).map((s) => s.name).sort()).toEqual(['failing', 'slow']);
  });

  it('follows the sampled flag of a remote parent', async () => {
    const store = freshStore();
    const traceId = 'a'.repeat(32);
    await continueTrace({ traceparent: `00-${traceId}-${'b'.repeat(16)}-00` }, async () => child());
    await continueTrace({ traceparent: `00-${'c'.repeat(32)}-${'d'.repeat(16)}-01` }, async () => child());
    expect(store.getTrace(traceId)).toHaveLength(0);
    expect(store.getTrace('c'.repeat(32))).toHaveLength(2);
  });

  it('weights a kept span by the ratio only when this process decided: a remote caller\'s kept trace stands for itself', async () => {
    const store = freshStore();
    configure({ sampling: { ratio: 0.1 } });
    const remote = 'e'.repeat(32);
    await continueTrace({ traceparent: `00-${remote}-${'f'.repeat(16)}-01` }, async () => withSpan('step', () => child()));
    const continued = store.getTrace(remote);
    expect(continued.map((s) => s.name).sort()).toEqual(['child', 'request', 'step']);
    for (const span of continued) expect({ name: span.name, ratioDecided: span.ratioDecided, weight: span.attributes['llmtrace.sample_weight'] }).toEqual({ name: span.name, ratioDecided: false, weight: undefined });
    // A trace started here and kept by the 10% ratio: each span stands for ten calls.
    let local: Span | undefined;
    for (let i = 0; i < 500 && !local; i++) await withSpan('root', async (root) => void (await child(), root.sampled && (local = root)));
    expect(local).toBeDefined();
    for (const span of store.getTrace(local!.traceId)) expect({ name: span.name, weight: span.attributes['llmtrace.sample_weight'] }).toEqual({ name: span.name, weight: 10 });
  });

  it('rejects bad options with precise TypeErrors', () => {
    expect(() => configure({ sampling: { ratio: 1.5 } })).toThrow('llmtrace: configure: sampling.ratio must be a number from 0 to 1, got 1.5 (number)');
    expect(() => configure({ sampling: { keepErrors: 'yes' as never } })).toThrow(
      'llmtrace: configure: sampling.keepErrors must be a boolean, got "yes" (string)',
    );
    expect(() => configure({ sampling: { slowerThanMs: -1 } })).toThrow(
      'llmtrace: configure: sampling.slowerThanMs must be a non-negative number of milliseconds, got -1 (number)',
    );
  });
});
