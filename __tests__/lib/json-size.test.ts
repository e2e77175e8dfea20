/** Bounded JSON sizing: exact for small values, estimated for large ones without walking them whole. */
import { EXACT_JSON_SIZE_LIMIT, jsonSize } from '../../lib/json-size.js';

const exact = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

describe('jsonSize', () => {
  it('is exact for small values of every JSON shape', () => {
    const values: unknown[] = [
      'héllo "quoted"\n',
      42.5,
      true,
      null,
      [1, 'two', null, undefined, { three: 3 }],
      { model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi ✓' }], skip: undefined, when: new Date(0) },
    ];
    for (const value of values) expect(jsonSize(value)).toEqual({ bytes: exact(value), estimated: false });
  });

  it('has no size for what JSON cannot encode', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(jsonSize(undefined)).toBeUndefined();
    expect(jsonSize(cyclic)).toBeUndefined();
    expect(jsonSize({ n: 10n })).toBeUndefined();
  });

  it('estimates a large embeddings response within 2% of its real size', () => {
    const data = Array.from({ length: 100 }, (_, i) => ({
      object: 'embedding',
      index: i,
      embedding: Array.from({ length: 1536 }, (_, j) => Math.sin(i * 1536 + j)),
    }));
    const response = { object: 'list', data, model: 'text-embedding-3-small', usage: { prompt_tokens: 9, total_tokens: 9 } };
    const size = jsonSize(response)!;
    expect(size.estimated).toBe(true);
    expect(size.bytes).toBeGreaterThan(EXACT_JSON_SIZE_LIMIT);
    expect(Math.abs(size.bytes - exact(response)) / exact(response)).toBeLessThan(0.02);
  });

  it('reads only a sample of a huge array, so its cost does not grow with the array', () => {
    const reads = new Set<string>();
    const items = new Proxy(Array.from({ length: 1_000_000 }, () => 0.123456789), {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads.add(key);
        return Reflect.get(target, key, receiver);
      },
    });
    const size = jsonSize({ items })!;
    expect(size.estimated).toBe(true);
    expect(size.bytes).toBeGreaterThan(10_000_000);
    expect(reads.size).toBeLessThanOrEqual(32);
  });
});
