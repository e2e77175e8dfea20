/**
 * Span starts on the subscription seam: a start subscriber sees each traced call while it is still
 * running (with its request model), an unsubscribed one sees nothing more, and a throwing one is
 * counted and never reaches the traced call.
 */
import { describe, expect, it } from '@jest/globals';
import { configure, traced, TraceStore, type Span } from '../../index.js';

configure({ logger: { format: 'hidden' } });

describe('TraceStore.subscribeStarts', () => {
  it('announces a call when it starts, before it ends', async () => {
    const store = new TraceStore();
    const seen: { name: string; status: string; model: unknown }[] = [];
    const off = store.subscribeStarts((span: Span) => seen.push({ name: span.name, status: span.status, model: span.attributes['gen_ai.request.model'] }));
    let release!: () => void;
    const call = traced(async (_model: string) => new Promise<void>((resolve) => (release = resolve)), { name: 'waiting', kind: 'chain', modelParam: 0, store });
    const pending = call('gpt-4o-mini');
    expect(seen).toEqual([{ name: 'waiting', status: 'running', model: 'gpt-4o-mini' }]);
    release();
    await pending;
    off();
    const second = call('gpt-4o-mini');
    release();
    await second;
    expect(seen).toHaveLength(1);
  });

  it('counts a throwing start listener and leaves the call alone', () => {
    const store = new TraceStore();
    store.subscribeStarts(() => {
      throw new Error('listener bug');
    });
    const call = traced((x: number) => x * 2, { name: 'double', kind: 'chain', store });
    expect(call(21)).toBe(42);
    expect(store.stats().listenerErrors).toBe(1);
  });
});
