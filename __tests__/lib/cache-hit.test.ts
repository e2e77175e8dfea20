/** markCacheHit: marks the current span as a cache hit or miss. */
import { describe, expect, it } from '@jest/globals';
import { markCacheHit, traced } from '../../index.js';
import { freshStore } from '../helpers/fresh-store.js';

describe('markCacheHit', () => {
  it('sets llmtrace.cached on the current traced call, true for hits and false for misses', async () => {
    const store = freshStore();
    const cache = new Map([['known', 'cached answer']]);
    const answer = traced(async (question: string) => {
      const hit = cache.get(question);
      markCacheHit(hit !== undefined);
      return hit ?? 'fresh answer';
    }, { name: 'answer' });
    await answer('known');
    await answer('unknown');
    const [hit, miss] = store.getRecent(2).reverse();
    expect(hit!.attributes['llmtrace.cached']).toBe(true);
    expect(miss!.attributes['llmtrace.cached']).toBe(false);
  });

  it('returns false outside any span', () => {
    expect(markCacheHit()).toBe(false);
  });
});
