/**
 * Transparency fault matrix (issue 8, point 6): a traced call behaves exactly as the untraced one,
 * for hostile values, promises and their subclasses, generators and async iterables, through
 * `traced` and both decorators (standard decorators here; legacy ones in transparency.legacy.test.ts)
 * in every capture mode. Plus what is particular to `traced(fn)` (own properties, `new`) and the
 * bound on sizing a huge value.
 */
import { monitorLLM, traceModelCall, traced, type CaptureMode } from '../../index.js';
import { describeTransparency, freshStoreWith, type Caller } from '../helpers/transparency-cases.js';

type Impl = (this: unknown, ...args: any[]) => unknown;

class Host {
  impl: Impl = () => undefined;

  @traceModelCall({ capture: 'off' })
  off(...args: unknown[]): unknown {
    return this.impl.apply(this, args);
  }

  @traceModelCall({ capture: 'metadata' })
  metadata(...args: unknown[]): unknown {
    return this.impl.apply(this, args);
  }

  @traceModelCall({ capture: 'full' })
  full(...args: unknown[]): unknown {
    return this.impl.apply(this, args);
  }

  @monitorLLM()
  monitored(...args: unknown[]): unknown {
    return this.impl.apply(this, args);
  }
}

const tracedCaller = (capture: CaptureMode): Caller => ({
  name: `traced(fn, { capture: '${capture}' })`,
  self: { role: 'receiver' },
  call(impl, ...args) {
    return traced(impl, { capture }).apply(this.self, args);
  },
});

const decoratedCaller = (method: 'off' | 'metadata' | 'full' | 'monitored', label: string): Caller => {
  const host = new Host();
  return {
    name: label,
    self: host,
    call(impl, ...args) {
      host.impl = impl;
      return host[method](...args);
    },
  };
};

describeTransparency('transparency (standard decorators)', [
  tracedCaller('off'),
  tracedCaller('metadata'),
  tracedCaller('full'),
  decoratedCaller('off', "@traceModelCall({ capture: 'off' })"),
  decoratedCaller('metadata', "@traceModelCall({ capture: 'metadata' })"),
  decoratedCaller('full', "@traceModelCall({ capture: 'full' })"),
  decoratedCaller('monitored', '@monitorLLM()'),
]);

describe('traced(fn) is fn to the last detail', () => {
  it('keeps own properties: name, length and custom ones, with their descriptors', () => {
    freshStoreWith('metadata');
    function generate(_prompt: string, _model: string): string {
      return 'ok';
    }
    generate.version = 2;
    Object.defineProperty(generate, 'hidden', { value: 'h', enumerable: false });
    const symbol = Symbol('tag');
    (generate as unknown as Record<symbol, string>)[symbol] = 'sym';
    const wrapped = traced(generate);
    for (const key of ['name', 'length', 'version', 'hidden', symbol]) {
      expect(Object.getOwnPropertyDescriptor(wrapped, key)).toEqual(Object.getOwnPropertyDescriptor(generate, key));
    }
    expect(Reflect.ownKeys(wrapped)).toEqual(Reflect.ownKeys(generate));
    expect(Object.keys(wrapped)).toEqual(['version']);
  });

  it('constructs with new as fn does, including classes, subclasses and instanceof, and records the call', () => {
    const store = freshStoreWith('metadata');
    function Legacy(this: { value: number }, value: number) {
      this.value = value;
    }
    Legacy.prototype.double = function (this: { value: number }) {
      return this.value * 2;
    };
    const TracedLegacy = traced(Legacy as unknown as (value: number) => void) as unknown as new (value: number) => { value: number; double(): number };
    const made = new TracedLegacy(21);
    expect(made.double()).toBe(42);
    expect(made).toBeInstanceOf(Legacy);
    expect(made).toBeInstanceOf(TracedLegacy);

    class Client {
      static create(): Client {
        return new this('static');
      }
      constructor(readonly name: string) {}
    }
    const TracedClient = traced(Client as unknown as (name: string) => Client) as unknown as typeof Client;
    expect(new TracedClient('c').name).toBe('c');
    expect(TracedClient.create()).toBeInstanceOf(Client);
    class Sub extends TracedClient {
      kind = 'sub';
    }
    const sub = new Sub('s');
    expect(sub).toBeInstanceOf(Sub);
    expect(sub.kind).toBe('sub');
    expect(() => (TracedClient as unknown as () => void)()).toThrow(TypeError);
    expect(store.getRecent(10).map((s) => s.status)).toContain('success');
  });

  it('is not constructible when fn is not (arrows, async functions, methods), with the same TypeError', () => {
    freshStoreWith('metadata');
    const arrow = (): number => 1;
    for (const fn of [arrow, async () => 1, { method() {} }.method]) {
      const wrapped = traced(fn) as unknown as new () => unknown;
      expect(() => new (fn as unknown as new () => unknown)()).toThrow(TypeError);
      expect(() => new wrapped()).toThrow(TypeError);
      expect(Object.hasOwn(wrapped, 'prototype')).toBe(Object.hasOwn(fn, 'prototype'));
    }
  });
});

describe('sizing a huge value is bounded', () => {
  const exactBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

  const unit = 'abc "déjà" 😀\n';
  const huge = unit.repeat(3_500_000); // 56 MB of UTF-8, with escapes and surrogate pairs
  const hugeBytes = 2 + 3_500_000 * (exactBytes(unit) - 2); // its JSON size, without building it

  it.each(['metadata', 'full'] as const)('a 50 MB string is sized within 1%% (capture %s), and returned unchanged', (capture) => {
    const store = freshStoreWith(capture);
    const echo = traced((text: string) => text, { name: 'echo' });
    expect(echo(huge)).toBe(huge);
    const span = store.getRecent(1)[0]!;
    const bytes = span.attributes['llmtrace.response.bytes'] as number;
    expect(Math.abs(bytes - hugeBytes) / hugeBytes).toBeLessThan(0.01);
    if (capture === 'full') {
      const text = span.attributes['gen_ai.output.messages'] as string;
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(8192);
      expect(JSON.parse(text)).toHaveLength(1); // cut inside the text: still valid JSON
    }
  });

  it.each(['metadata', 'full'] as const)('a 50 MB Buffer (audio bytes) is sized from samples (capture %s), and returned unchanged', (capture) => {
    const store = freshStoreWith(capture);
    const audio = Buffer.alloc(50 * 1024 * 1024, 200);
    const speak = traced((_text: string) => audio, { name: 'speak' });
    expect(speak('hello')).toBe(audio);
    const bytes = store.getRecent(1)[0]!.attributes['llmtrace.response.bytes'] as number;
    const exact = '{"type":"Buffer","data":[]}'.length + 4 * audio.length - 1; // "200," per byte
    expect(Math.abs(bytes - exact) / exact).toBeLessThan(0.01);
  });

  it.each(['metadata', 'full'] as const)('a huge array is read a bounded number of times (capture %s)', (capture) => {
    freshStoreWith(capture);
    let reads = 0;
    const items = new Proxy(Array.from({ length: 2_000_000 }, (_, i) => i), {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    const echo = traced((list: unknown) => list, { name: 'echo' });
    expect(echo(items)).toBe(items);
    expect(reads).toBeLessThan(1_000);
  });
});
