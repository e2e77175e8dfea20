/** TraceStore: bounded, indexed store of finished spans, its queries, counters and subscribers. */
import { configure, DEFAULT_MAX_SPANS, getStore, Span, traced, TraceStore, type SpanError } from '../../index.js';
import { newSpanId, newTraceId } from '../../lib/ids.js';
import { freshStore } from '../helpers/fresh-store.js';

interface SpanSpec {
  name?: string;
  duration?: number;
  error?: SpanError;
  traceId?: string;
  sampled?: boolean;
}

/** A finished span with a chosen duration (set after finishing, so queries see exactly that value). */
function finished({ name = 'call', duration = 1, error, traceId = newTraceId(), sampled = true }: SpanSpec = {}): Span {
  const span = new Span(name, 'llm', undefined, {}, traceId, newSpanId(), sampled);
  span.finish(error);
  span.duration = duration;
  return span;
}

const FAILED: SpanError = { type: 'Error', message: 'boom' };

describe('TraceStore capacity', () => {
  it('holds at most maxSpans, evicting the oldest first and counting evictions', () => {
    const store = new TraceStore({ maxSpans: 3 });
    const spans = Array.from({ length: 5 }, (_, i) => finished({ name: `s${i}` }));
    spans.forEach((s) => store.add(s));
    expect(store.size).toBe(3);
    expect(store.getRecent(10).map((s) => s.name)).toEqual(['s4', 's3', 's2']);
    expect(store.stats()).toEqual({ size: 3, maxSpans: 3, added: 5, evicted: 2, bytes: 3 * 1024, sampledOut: 0, listenerErrors: 0 });
  });

  it('holds at most maxBytes of spans (captured content and event text weigh their text), evicting the oldest first', () => {
    const store = new TraceStore({ maxSpans: 100, maxBytes: 10 * 1024 });
    const spans = Array.from({ length: 6 }, (_, i) => {
      const span = new Span(`s${i}`, 'llm', undefined, {}, newTraceId(), newSpanId(), true);
      if (i % 2 === 0) span.attributes['gen_ai.input.messages'] = 'x'.repeat(2 * 1024);
      else span.addEvent('note', { text: 'x'.repeat(2 * 1024) });
      span.finish();
      return span;
    });
    spans.forEach((s) => store.add(s));
    // Each span weighs 1 KiB + 2 KiB of text: three fit in 10 KiB.
    expect(store.getRecent(10).map((s) => s.name)).toEqual(['s5', 's4', 's3']);
    expect(store.stats()).toMatchObject({ size: 3, evicted: 3, bytes: 3 * 3 * 1024 });
    expect(store.getTrace(spans[0]!.traceId)).toEqual([]);
    store.clear();
    expect(store.stats().bytes).toBe(0);
  });

  it('drops evicted spans from every index', () => {
    const store = new TraceStore({ maxSpans: 2 });
    const old = finished({ name: 'old', error: FAILED, duration: 5000 });
    store.add(old);
    store.add(finished({ name: 'a' }));
    store.add(finished({ name: 'b' }));
    expect(store.getErrors()).toEqual([]);
    expect(store.getSlow(1000)).toEqual([]);
    expect(store.getTrace(old.traceId)).toEqual([]);
    expect(store.query((s) => s === old)).toEqual([]);
  });

  it('finds every kept span of a trace while spans of many traces churn through the ring', () => {
    // Trace ids sharing their last 8 hex digits land in one probe run of the trace index, so
    // evictions must pull later entries back into the holes they leave.
    const tails = ['0000beef', '0000beef', '0000beef', '1234abcd', '1234abcd', 'ffff0001'];
    const traceIds = Array.from({ length: 24 }, (_, i) => `${i.toString(16).padStart(24, '0')}${tails[i % tails.length]}`);
    const capacity = 16;
    const store = new TraceStore({ maxSpans: capacity });
    const kept: Span[] = [];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 600; i++) {
      const span = finished({ name: `s${i}`, traceId: traceIds[Math.floor(next() * traceIds.length)] });
      store.add(span);
      kept.push(span);
      if (kept.length > capacity) kept.shift();
      for (const id of traceIds) {
        const expected = kept.filter((s) => s.traceId === id).map((s) => s.name);
        expect(store.getTrace(id).map((s) => s.name).sort()).toEqual(expected.sort());
      }
    }
  });

  it('defaults to DEFAULT_MAX_SPANS and rejects an invalid maxSpans with a one-line TypeError', () => {
    expect(new TraceStore().stats().maxSpans).toBe(DEFAULT_MAX_SPANS);
    expect(DEFAULT_MAX_SPANS).toBe(10_000);
    for (const [bad, shown] of [[-1, '-1 (number)'], [0, '0 (number)'], [1.5, '1.5 (number)'], ['10', '"10" (string)']] as const) {
      let error: unknown;
      try {
        new TraceStore({ maxSpans: bad as number });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toBe(`llmtrace: TraceStore: maxSpans must be a positive integer, got ${shown}`);
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('counts sampled-out spans without keeping them, but still shows them to subscribers', () => {
    const store = new TraceStore();
    const seen: Span[] = [];
    store.subscribe((s) => seen.push(s));
    store.add(finished({ sampled: false }));
    expect(store.size).toBe(0);
    expect(seen).toHaveLength(1);
    expect(store.stats()).toMatchObject({ added: 1, sampledOut: 1 });
  });
});

describe('TraceStore queries', () => {
  it('getRecent returns the n newest, newest first, also after the ring wraps', () => {
    const store = new TraceStore({ maxSpans: 4 });
    for (let i = 0; i < 7; i++) store.add(finished({ name: `s${i}` }));
    expect(store.getRecent(2).map((s) => s.name)).toEqual(['s6', 's5']);
    expect(store.getRecent().map((s) => s.name)).toEqual(['s6', 's5', 's4', 's3']);
    expect(store.getRecent(0)).toEqual([]);
    expect(store.getRecent(-3)).toEqual([]);
    expect(store.getRecent(Number.NaN)).toEqual([]);
    expect(store.getRecent(Number.POSITIVE_INFINITY)).toHaveLength(4);
  });

  it('getErrors returns failed spans only, newest first', () => {
    const store = new TraceStore();
    store.add(finished({ name: 'e1', error: FAILED }));
    store.add(finished({ name: 'ok' }));
    store.add(finished({ name: 'e2', error: FAILED }));
    expect(store.getErrors().map((s) => s.name)).toEqual(['e2', 'e1']);
  });

  it('getSlow returns exactly the spans at or above the threshold, slowest first, across bucket boundaries', () => {
    const store = new TraceStore();
    // Durations straddling power-of-two bucket edges (bucket b holds [2^(b-1), 2^b) ms) and the threshold.
    const durations = [0, 0.5, 0.999, 1, 1.5, 2, 3.999, 4, 4.001, 7.9, 8, 1023.9, 1024, 4999.999, 5000, 5000.001, 8191, 8192, 65_536, 1e9];
    durations.forEach((d) => store.add(finished({ name: `d${d}`, duration: d })));
    for (const threshold of [0, 0.5, 1, 2, 4, 4.0005, 8, 1024, 5000, 8192, 1e9, 1e12]) {
      const expected = durations.filter((d) => d >= threshold).sort((a, b) => b - a);
      expect(store.getSlow(threshold).map((s) => s.duration)).toEqual(expected);
    }
    expect(store.getSlow(5000).map((s) => s.name).slice(-1)).toEqual(['d5000']);
    expect(store.getSlow(-1)).toHaveLength(durations.length);
  });

  it('getTrace returns the spans of one trace in the order they ended', async () => {
    const store = freshStore();
    const inner = traced(async () => 'x', { name: 'inner' });
    const outer = traced(async () => {
      await inner();
      await inner();
    }, { name: 'outer' });
    await outer();
    await inner();
    const outerSpan = store.query((s) => s.name === 'outer')[0]!;
    expect(store.getTrace(outerSpan.traceId).map((s) => s.name)).toEqual(['inner', 'inner', 'outer']);
    expect(store.getTrace('0'.repeat(32))).toEqual([]);
    // The returned array is a copy.
    store.getTrace(outerSpan.traceId).pop();
    expect(store.getTrace(outerSpan.traceId)).toHaveLength(3);
  });

  it('query filters with a predicate, newest first', () => {
    const store = new TraceStore();
    for (let i = 0; i < 6; i++) store.add(finished({ name: i % 2 ? 'odd' : 'even', duration: i }));
    expect(store.query((s) => s.name === 'odd').map((s) => s.duration)).toEqual([5, 3, 1]);
    expect(store.query(() => false)).toEqual([]);
  });

  it('clear empties the store and its indexes but keeps counters and subscribers', () => {
    const store = new TraceStore({ maxSpans: 5 });
    const seen: Span[] = [];
    store.subscribe((s) => seen.push(s));
    const failed = finished({ error: FAILED, duration: 100 });
    store.add(failed);
    store.add(finished());
    store.clear();
    expect(store.size).toBe(0);
    expect(store.getRecent()).toEqual([]);
    expect(store.getErrors()).toEqual([]);
    expect(store.getSlow(0)).toEqual([]);
    expect(store.getTrace(failed.traceId)).toEqual([]);
    expect(store.stats().added).toBe(2);
    for (let i = 0; i < 7; i++) store.add(finished({ name: `n${i}` }));
    expect(store.getRecent(5).map((s) => s.name)).toEqual(['n6', 'n5', 'n4', 'n3', 'n2']);
    expect(seen).toHaveLength(9);
  });
});

describe('TraceStore subscribers', () => {
  it('subscribe sees each finished span once; the returned function unsubscribes', () => {
    const store = new TraceStore();
    const seen: string[] = [];
    const unsubscribe = store.subscribe((s) => seen.push(s.name));
    store.add(finished({ name: 'a' }));
    unsubscribe();
    unsubscribe();
    store.add(finished({ name: 'b' }));
    expect(seen).toEqual(['a']);
  });

  it('a throwing subscriber is counted and does not break the traced call or other subscribers', async () => {
    const store = freshStore();
    const seen: string[] = [];
    store.subscribe(() => {
      throw new Error('plugin bug');
    });
    store.subscribe((s) => seen.push(s.name));
    const fn = traced(async (x: number) => x * 2, { name: 'double' });
    await expect(fn(21)).resolves.toBe(42);
    expect(traced(() => 'sync', { name: 'sync' })()).toBe('sync');
    expect(seen).toEqual(['double', 'sync']);
    expect(store.size).toBe(2);
    expect(store.stats().listenerErrors).toBe(2);
  });

  it('a subscriber that unsubscribes itself while called does not make the next one miss the span', () => {
    const store = new TraceStore();
    const seen: string[] = [];
    const once = store.subscribe(() => once());
    store.subscribe((s) => seen.push(s.name));
    store.add(finished({ name: 'a' }));
    store.add(finished({ name: 'b' }));
    expect(seen).toEqual(['a', 'b']);
  });
});

describe('default store', () => {
  it('configure({ store }) replaces the default store used by traced functions', () => {
    freshStore();
    const before = getStore();
    const replacement = new TraceStore({ maxSpans: 10 });
    configure({ store: replacement });
    expect(getStore()).toBe(replacement);
    traced(() => 1, { name: 'to-new' })();
    expect(replacement.getRecent(1)[0]!.name).toBe('to-new');
    expect(before.size).toBe(0);
    expect(() => configure({ store: {} as never })).toThrow(/^llmtrace: configure: store must be a TraceStore/);
    expect(getStore()).toBe(replacement);
  });
});
