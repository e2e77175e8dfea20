/** Bounded JSON sizing: exact for small values, estimated for large ones without walking them whole. */
import { jest } from '@jest/globals';
import { CONTENT_SIZE_LIMITS, jsonSize } from '../../lib/json-size.js';

const exact = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

/** An OpenAI embeddings response for 100 inputs of 1536 dimensions (~3 MB of JSON). */
function embeddingsResponse(): unknown {
  const data = Array.from({ length: 100 }, (_, i) => ({
    object: 'embedding',
    index: i,
    embedding: Array.from({ length: 1536 }, (_, j) => Math.sin(i * 1536 + j)),
  }));
  return { object: 'list', data, model: 'text-embedding-3-small', usage: { prompt_tokens: 9, total_tokens: 9 } };
}

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

  it('is exact, in one walk, for escapes, surrogates, odd keys, typed arrays and mid-sized arrays', () => {
    const values: unknown[] = [
      'tab\tbell\u0007 lone \ud800 pair 😀 back\\slash',
      { 'we"ird\nkey': 1, 'ключ': 'значение' },
      new Uint8Array([1, 2, 300 % 256]),
      Array.from({ length: 200 }, (_, i) => ({ i, text: `item ${i}`, score: i / 3 })),
      [Number.NaN, Number.POSITIVE_INFINITY, -0, 1e21, 5e-7],
    ];
    for (const value of values) expect(jsonSize(value)).toEqual({ bytes: exact(value), estimated: false });
    // Key sizes are remembered between walks: a second walk (and keys past the memo's bound) give the same sizes.
    for (const value of values) expect(jsonSize(value)).toEqual({ bytes: exact(value), estimated: false });
    const manyKeys = Array.from({ length: 100 }, (_, o) => Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k\u00e9y"${o * 30 + i}`, i])));
    for (let i = 0; i < 2; i++) expect(jsonSize(manyKeys)?.bytes).toBe(exact(manyKeys));
  });

  it('stops a pathological value (wide arrays nested deep) after a bounded number of reads', () => {
    let reads = 0;
    const wide = (depth: number): unknown =>
      new Proxy(Array.from({ length: 100 }, () => (depth === 0 ? 1 : null)), {
        get(target, key, receiver) {
          if (typeof key === 'string' && /^\d+$/.test(key)) {
            reads++;
            return depth === 0 ? 1 : wide(depth - 1);
          }
          return Reflect.get(target, key, receiver);
        },
      });
    const size = jsonSize(wide(8))!; // 100^9 values if walked whole
    expect(size.estimated).toBe(true);
    expect(reads).toBeLessThan(70_000 + 32 * 64);
  });

  it('estimates large Buffers and typed arrays from samples, without their toJSON or one key per element', () => {
    const values = [
      Buffer.alloc(100_000, 7),
      new Float32Array(100_000).map((_, i) => Math.sin(i)),
      new Uint16Array(12_345).map((_, i) => i % 1000),
    ];
    const exactSizes = values.map(exact);
    const toJSON = jest.spyOn(Buffer.prototype, 'toJSON');
    values.forEach((value, i) => {
      const size = jsonSize(value)!;
      expect(size.estimated).toBe(true);
      expect(Math.abs(size.bytes - exactSizes[i]!) / exactSizes[i]!).toBeLessThan(0.03);
    });
    expect(toJSON).not.toHaveBeenCalled();
    toJSON.mockRestore();
    expect(jsonSize(new BigInt64Array(1_000))).toBeUndefined();
    expect(jsonSize(Buffer.from('small'))).toEqual({ bytes: exact(Buffer.from('small')), estimated: false });
  });

  it('has no size for what JSON cannot encode', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(jsonSize(undefined)).toBeUndefined();
    expect(jsonSize(cyclic)).toBeUndefined();
    expect(jsonSize({ n: 10n })).toBeUndefined();
  });

  it('estimates a large embeddings response within 2% of its real size', () => {
    const response = embeddingsResponse();
    const size = jsonSize(response)!;
    expect(size.estimated).toBe(true);
    expect(size.bytes).toBeGreaterThan(1_000_000);
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

  describe('with the content limits (the size of every traced call)', () => {
    const request = (prompt: string) => [
      'gpt-4o-mini',
      [
        { role: 'system', content: 'You are a helpful assistant. Answer in one short paragraph.' },
        { role: 'user', content: prompt },
      ],
    ];

    it('is exact for a short chat request and its completion', () => {
      const completion = {
        id: 'chatcmpl-9x',
        object: 'chat.completion',
        created: 1_764_000_000,
        model: 'gpt-4o-mini-2024-07-18',
        choices: [{ index: 0, message: { role: 'assistant', content: 'Paris.' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 21, completion_tokens: 2, total_tokens: 23 },
      };
      for (const value of [request('What is the capital of France?'), completion]) {
        expect(jsonSize(value, CONTENT_SIZE_LIMITS)).toEqual({ bytes: exact(value), estimated: false });
      }
    });

    it('estimates a 1 MB prompt within 3%, reading a few hundred characters of it', () => {
      const words = ['the', 'quick', 'brown', 'fox', 'jumps', 'über', 'lazy', 'dogs', '"quoted"', 'naïve', 'café\n'];
      const prompt = Array.from({ length: 120_000 }, (_, i) => words[(i * 7) % words.length]).join(' ').slice(0, 1_000_000);
      const value = request(prompt);
      const size = jsonSize(value, CONTENT_SIZE_LIMITS)!;
      expect(size.estimated).toBe(true);
      expect(Math.abs(size.bytes - exact(value)) / exact(value)).toBeLessThan(0.03);
      let charsRead = 0;
      const charCodeAt = String.prototype.charCodeAt;
      const spy = jest.spyOn(String.prototype, 'charCodeAt').mockImplementation(function (this: string, i: number) {
        charsRead++;
        return charCodeAt.call(this, i);
      });
      jsonSize(value, CONTENT_SIZE_LIMITS);
      spy.mockRestore();
      expect(charsRead).toBeLessThan(1_000);
    });

    it('estimates an embeddings response within 2%', () => {
      const response = embeddingsResponse();
      const size = jsonSize(response, CONTENT_SIZE_LIMITS)!;
      expect(size.estimated).toBe(true);
      expect(Math.abs(size.bytes - exact(response)) / exact(response)).toBeLessThan(0.02);
    });

    it('reads a bounded number of values from a large batch', () => {
      let reads = 0;
      const inputs = new Proxy(Array.from({ length: 2_000 }, (_, i) => ({ role: 'user', content: `question ${i}` })), {
        get(target, key, receiver) {
          if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
          return Reflect.get(target, key, receiver);
        },
      });
      const size = jsonSize({ inputs }, CONTENT_SIZE_LIMITS)!;
      expect(reads).toBeLessThanOrEqual(32);
      expect(size.estimated).toBe(true);
      expect(Math.abs(size.bytes - exact({ inputs })) / exact({ inputs })).toBeLessThan(0.03);
    });
  });
});

describe('jsonSize walks are reused', () => {
  it('gives exact sizes after a walk that threw (a cycle), and inside a toJSON that sizes something itself', () => {
    const cyclic: Record<string, unknown> = { a: [1, 2, { deep: 'x' }] };
    (cyclic.a as unknown[]).push(cyclic);
    expect(jsonSize(cyclic)).toBeUndefined();
    const plain = { model: 'gpt-4o-mini', usage: { prompt_tokens: 12, completion_tokens: 345 }, list: [-7, 0, 1e20, 0.25, 'é'] };
    expect(jsonSize(plain)).toEqual({ bytes: Buffer.byteLength(JSON.stringify(plain)), estimated: false });
    const inner = { nested: ['a', 'bb', { c: 3 }] };
    let innerSize: number | undefined;
    const reentrant = {
      before: 'x'.repeat(10),
      value: { toJSON: () => ((innerSize = jsonSize(inner)?.bytes), 'v') },
      after: [1, 2, 3],
    };
    const expected = Buffer.byteLength(JSON.stringify(reentrant));
    expect(jsonSize(reentrant)).toEqual({ bytes: expected, estimated: false });
    expect(innerSize).toBe(Buffer.byteLength(JSON.stringify(inner)));
  });
});
