/**
 * The TraceStore's typed-array indexes (lib/internal/slot-lists.ts, lib/internal/trace-slot-index.ts)
 * agree with a plain scan of the kept spans, through many evictions, ring wrap-arounds, clears,
 * shared trace ids and trace ids whose hashes collide.
 */
import { Span, TraceStore, type SpanError } from '../../../index.js';
import { newSpanId } from '../../../lib/ids.js';

/** A small seeded PRNG (mulberry32) so a failure is reproducible. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FAILED: SpanError = { type: 'Error', message: 'boom' };

// Trace ids sharing their last 8 hex digits (the index's hash) force probing and backward shifts.
const TRACE_IDS = Array.from({ length: 12 }, (_, i) => `${(i + 1).toString(16).padStart(24, '0')}${i % 3 === 0 ? 'aaaaaaaa' : `0000000${i.toString(16)}`}`);

function finished(name: string, traceId: string, duration: number, failed: boolean): Span {
  const span = new Span(name, 'llm', undefined, {}, traceId, newSpanId(), true);
  span.finish(failed ? FAILED : undefined);
  span.duration = duration;
  return span;
}

describe('TraceStore indexes', () => {
  it.each([1, 2, 7, 32])('match a full scan after every add (maxSpans %i)', (maxSpans) => {
    const next = random(maxSpans);
    const store = new TraceStore({ maxSpans });
    for (let i = 0; i < 600; i++) {
      if (i === 300) store.clear();
      const traceId = TRACE_IDS[Math.floor(next() * TRACE_IDS.length)]!;
      store.add(finished(`s${i}`, traceId, Math.floor(next() * 5000), next() < 0.2));
      const kept = store.getRecent(maxSpans); // newest first: the reference
      expect(store.getErrors()).toEqual(kept.filter((s) => s.status === 'error'));
      const threshold = Math.floor(next() * 5000);
      expect(store.getSlow(threshold).map((s) => s.name).sort()).toEqual(
        kept.filter((s) => s.duration >= threshold).map((s) => s.name).sort(),
      );
      for (const id of TRACE_IDS) {
        expect(store.getTrace(id)).toEqual(kept.filter((s) => s.traceId === id).reverse());
      }
    }
  });
});
