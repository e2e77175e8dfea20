/** The span model and its context: ids, parent/child across async boundaries, isolation, current-span helpers. */
import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  addEvent,
  currentSpan,
  currentTraceId,
  setAttributes,
  suppressTracing,
  traced,
  withSpan,
  type Span,
} from '../../index.js';
import { freshStore } from '../helpers/fresh-store.js';

const SPAN_ID = /^[0-9a-f]{16}$/;
const TRACE_ID = /^[0-9a-f]{32}$/;

describe('span ids', () => {
  it('gives every span a 16-hex id and a 32-hex trace id, unique across calls', () => {
    const store = freshStore();
    const fn = traced(() => 1, { name: 'f' });
    for (let i = 0; i < 200; i++) fn();
    const spans = store.getRecent(200);
    expect(spans).toHaveLength(200);
    for (const span of spans) {
      expect(span.id).toMatch(SPAN_ID);
      expect(span.traceId).toMatch(TRACE_ID);
      expect(span.parentId).toBeUndefined();
    }
    expect(new Set(spans.map((s) => s.id)).size).toBe(200);
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(200);
  });

  it('records start, end and a non-negative duration, and serialises to plain data', async () => {
    const store = freshStore();
    const before = Date.now();
    await traced(async () => sleep(5), { name: 'wait' })();
    const span = store.getRecent(1)[0]!;
    // Generous bounds: the span clock is the monotonic clock anchored at process start, so it may
    // differ from Date.now() by a few ms.
    expect(span.startTime).toBeGreaterThanOrEqual(before - 50);
    expect(span.endTime).toBeGreaterThanOrEqual(span.startTime);
    expect(span.duration).toBeCloseTo(span.endTime - span.startTime, 6);
    expect(span.duration).toBeGreaterThanOrEqual(4);
    const data = JSON.parse(JSON.stringify(span));
    expect(data).toMatchObject({ id: span.id, traceId: span.traceId, name: 'wait', kind: 'llm', status: 'success' });
    expect(data.parentId).toBeUndefined();
    expect(data.error).toBeUndefined();
  });
});

describe('parent and child spans', () => {
  it('makes spans started inside another its children across await, setTimeout and Promise.all', async () => {
    const store = freshStore();
    const child = traced(async (label: string) => label, { name: 'child', kind: 'tool' });
    const parent = traced(
      async () => {
        await sleep(1);
        await child('after-await');
        await new Promise<void>((resolve) => setTimeout(() => void child('in-timer').then(() => resolve()), 1));
        await Promise.all([child('all-1'), child('all-2'), sleep(1).then(() => child('all-3'))]);
      },
      { name: 'parent', kind: 'chain' },
    );
    await parent();
    const root = store.query((s) => s.name === 'parent')[0]!;
    const children = store.query((s) => s.name === 'child');
    expect(children).toHaveLength(5);
    for (const c of children) {
      expect(c.parentId).toBe(root.id);
      expect(c.traceId).toBe(root.traceId);
    }
    expect(store.getTrace(root.traceId)).toHaveLength(6);
  });

  it('nests three levels and restores the outer span after the inner one returns', async () => {
    const store = freshStore();
    let seenAfterInner: Span | undefined;
    await withSpan('outer', async (outer) => {
      await withSpan('middle', async () => {
        await traced(async () => 'x', { name: 'leaf' })();
      });
      seenAfterInner = currentSpan();
      expect(seenAfterInner).toBe(outer);
    });
    const [leaf] = store.query((s) => s.name === 'leaf');
    const [middle] = store.query((s) => s.name === 'middle');
    const [outer] = store.query((s) => s.name === 'outer');
    expect(leaf!.parentId).toBe(middle!.id);
    expect(middle!.parentId).toBe(outer!.id);
    expect(outer!.parentId).toBeUndefined();
    expect(currentSpan()).toBeUndefined();
  });

  it('keeps 50 interleaved concurrent flows in their own traces', async () => {
    const store = freshStore();
    const step = traced(async (flow: number, i: number) => {
      await sleep((flow * 7 + i * 3) % 5);
      return { flow, trace: currentTraceId() };
    }, { name: 'step' });
    const flow = traced(async (n: number) => {
      const own = currentTraceId();
      const results = [];
      for (let i = 0; i < 4; i++) {
        await sleep((n + i) % 3);
        results.push(await step(n, i));
        // After every await the flow still sees its own span.
        expect(currentTraceId()).toBe(own);
      }
      return { own, results };
    }, { name: 'flow' });
    const outcomes = await Promise.all(Array.from({ length: 50 }, (_, n) => flow(n)));
    for (const { own, results } of outcomes) {
      for (const r of results) expect(r.trace).toBe(own);
    }
    expect(new Set(outcomes.map((o) => o.own)).size).toBe(50);
    const flows = store.query((s) => s.name === 'flow');
    expect(flows).toHaveLength(50);
    for (const f of flows) {
      const trace = store.getTrace(f.traceId);
      expect(trace).toHaveLength(5);
      for (const s of trace.filter((x) => x.name === 'step')) expect(s.parentId).toBe(f.id);
    }
  });

  it("leaves the user's own AsyncLocalStorage undisturbed", async () => {
    freshStore();
    const userStorage = new AsyncLocalStorage<{ user: string }>();
    const inner = traced(async () => {
      await sleep(1);
      return userStorage.getStore()?.user;
    }, { name: 'inner' });
    const seen = await userStorage.run({ user: 'alice' }, async () => {
      const a = await inner();
      const b = await withSpan('scope', async () => {
        const value = await inner();
        return `${value}:${userStorage.getStore()?.user}`;
      });
      return [a, b, userStorage.getStore()?.user];
    });
    expect(seen).toEqual(['alice', 'alice:alice', 'alice']);
    // And llmtrace's context does not leak into the user's storage or out of the run.
    expect(userStorage.getStore()).toBeUndefined();
    userStorage.run({ user: 'bob' }, () => expect(currentSpan()).toBeUndefined());
  });
});

describe('scopes', () => {
  it('puts run and iteration ids on every nested span', async () => {
    const store = freshStore();
    const call = traced(async () => 'ok', { name: 'model_call' });
    await withSpan('consortium_run', { kind: 'run' }, async (run) => {
      for (let i = 0; i < 2; i++) {
        await withSpan(`iteration_${i}`, { kind: 'iteration' }, async (iteration) => {
          await withSpan('req', { kind: 'request' }, async () => {
            await call();
          });
          expect(iteration.scopes).toEqual({ run: run.id, iteration: iteration.id });
        });
      }
      expect(run.scopes).toEqual({ run: run.id });
    });
    const run = store.query((s) => s.kind === 'run')[0]!;
    const iterations = store.query((s) => s.kind === 'iteration');
    const calls = store.query((s) => s.name === 'model_call');
    expect(iterations).toHaveLength(2);
    expect(calls).toHaveLength(2);
    for (const c of calls) {
      const iteration = iterations.find((it) => it.id === c.scopes.iteration);
      expect(iteration).toBeDefined();
      expect(c.scopes.run).toBe(run.id);
      expect(c.scopes.request).toBeDefined();
      expect(c.traceId).toBe(run.traceId);
    }
    expect(new Set(calls.map((c) => c.scopes.iteration)).size).toBe(2);
  });

  it('returns the block value, records its attributes and kind, and ends when the promise settles', async () => {
    const store = freshStore();
    const value = await withSpan('load', { kind: 'retrieval', attributes: { source: 'db' } }, async () => {
      await sleep(2);
      return 42;
    });
    expect(value).toBe(42);
    const span = store.getRecent(1)[0]!;
    expect(span).toMatchObject({ name: 'load', kind: 'retrieval', status: 'success' });
    expect(span.attributes.source).toBe('db');
    const sync = withSpan('sync', () => 'plain');
    expect(sync).toBe('plain');
  });

  it('records a failed block with the same error and rethrows it', async () => {
    const store = freshStore();
    const boom = new RangeError('bad iteration');
    await expect(withSpan('it', { kind: 'iteration' }, async () => Promise.reject(boom))).rejects.toBe(boom);
    const span = store.getRecent(1)[0]!;
    expect(span.status).toBe('error');
    expect(span.error).toEqual({ type: 'RangeError', message: 'bad iteration' });
  });

  it('rejects bad arguments at call time with a TypeError naming them', () => {
    expect(() => withSpan('', () => 1)).toThrow(/withSpan needs a non-empty name/);
    expect(() => withSpan('x', { kind: 'nope' as never }, () => 1)).toThrow(/kind must be one of/);
    expect(() => (withSpan as (n: string, o: object) => unknown)('x', {})).toThrow(/needs a function/);
  });
});

describe('current-span helpers', () => {
  it('currentSpan, addEvent and setAttributes act on the innermost span', async () => {
    const store = freshStore();
    expect(currentSpan()).toBeUndefined();
    expect(addEvent('nowhere')).toBe(false);
    expect(setAttributes({ a: 1 })).toBe(false);
    let inside: Span | undefined;
    await traced(async () => {
      inside = currentSpan();
      expect(addEvent('cache_lookup', { hit: false })).toBe(true);
      await sleep(1);
      expect(setAttributes({ 'app.user': 'u1', retries: 2 })).toBe(true);
    }, { name: 'work', kind: 'custom' })();
    const span = store.getRecent(1)[0]!;
    expect(inside).toBe(span);
    expect(span.events.find((e) => e.name === 'cache_lookup')?.attributes).toEqual({ hit: false });
    expect(span.attributes['app.user']).toBe('u1');
    expect(span.attributes.retries).toBe(2);
  });

  it('ignores writes to a span after it has ended', () => {
    const store = freshStore();
    let span: Span | undefined;
    traced(() => {
      span = currentSpan();
    }, { name: 'short' })();
    span!.setAttribute('late', true);
    span!.addEvent('late');
    expect(store.getRecent(1)[0]!.attributes.late).toBeUndefined();
    expect(span!.events.some((e) => e.name === 'late')).toBe(false);
  });

  it('suppressTracing records nothing inside and returns the value', async () => {
    const store = freshStore();
    const fn = traced(async () => currentSpan(), { name: 'inside' });
    const result = await suppressTracing(async () => {
      const seen = await fn();
      await withSpan('scope', async () => fn());
      return seen;
    });
    expect(result).toBeUndefined();
    expect(store.size).toBe(0);
    await fn();
    expect(store.size).toBe(1);
  });
});
