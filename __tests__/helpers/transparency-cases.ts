/**
 * Test helper: the transparency fault matrix. Each case runs one scenario twice, once calling the
 * user's function directly and once through a tracing wrapper (traced, a decorator, in a capture
 * mode), and returns what a program could observe; the test asserts both observations are equal.
 * The wrappers are declared in each test file, so decorators compile in that file's mode.
 */
import { types } from 'node:util';
import { configure, TraceStore } from '../../index.js';

/** Calls `impl` the way one wrapper does; `self` is the `this` the call is made with. */
export interface Caller {
  readonly name: string;
  call(impl: (this: unknown, ...args: any[]) => unknown, ...args: unknown[]): unknown;
  readonly self: unknown;
}

/** The direct, untraced call every wrapper is compared with. */
export const untraced: Caller = {
  name: 'untraced',
  self: { role: 'receiver' },
  call(impl, ...args) {
    return impl.apply(this.self, args);
  },
};

/** What a program sees of a sync outcome: the same object back, or the same error thrown. */
type Outcome = { returned: unknown } | { threw: unknown };

function outcome(run: () => unknown): Outcome {
  try {
    return { returned: run() };
  } catch (error) {
    return { threw: error };
  }
}

async function settled(value: unknown): Promise<{ fulfilled: unknown } | { rejected: unknown }> {
  try {
    return { fulfilled: await value };
  } catch (error) {
    return { rejected: error };
  }
}

const throwing = (): never => {
  throw new Error('trap');
};

/** A Proxy every trap of which throws. */
function trapsThrow(): object {
  return new Proxy(
    {},
    {
      get: throwing,
      has: throwing,
      ownKeys: throwing,
      getPrototypeOf: throwing,
      getOwnPropertyDescriptor: throwing,
      defineProperty: throwing,
      set: throwing,
      isExtensible: throwing,
    },
  );
}

function revoked(): object {
  const { proxy, revoke } = Proxy.revocable({ model: 'gpt-4o' }, {});
  revoke();
  return proxy;
}

/** Values a user function may return, throw or take, that tracing must not trip over. */
export const HOSTILE_VALUES: readonly { name: string; make(): unknown }[] = [
  { name: 'a Proxy whose every trap throws', make: trapsThrow },
  { name: 'a revoked Proxy', make: revoked },
  {
    name: 'an object whose then getter throws',
    make: () =>
      Object.defineProperty({ model: 'gpt-4o' }, 'then', {
        get: throwing,
        enumerable: true,
      }),
  },
  {
    name: 'an object whose getters throw (model, usage, choices, toJSON)',
    make: () => {
      const o = {};
      for (const key of ['model', 'usage', 'choices', 'object', 'toJSON', 'message']) {
        Object.defineProperty(o, key, { get: throwing, enumerable: true });
      }
      return o;
    },
  },
  {
    name: 'a cyclic object',
    make: () => {
      const o: Record<string, unknown> = { model: 'gpt-4o' };
      o.self = o;
      return o;
    },
  },
  { name: 'an object holding a BigInt', make: () => ({ model: 'gpt-4o', usage: { total_tokens: 10n } }) },
  {
    name: 'an object whose toJSON throws',
    make: () => ({
      toJSON: throwing,
    }),
  },
  { name: 'a frozen object', make: () => Object.freeze({ model: 'gpt-4o', choices: Object.freeze([]) }) },
  { name: 'a null-prototype object', make: () => Object.assign(Object.create(null), { model: 'gpt-4o' }) },
  { name: 'a function with a throwing then getter', make: () => Object.defineProperty(() => 1, 'then', { get: throwing }) },
];

/** A scenario, run once per caller; the observations of the traced and untraced runs must be equal. */
export interface TransparencyCase {
  readonly name: string;
  run(caller: Caller): unknown;
}

/** A Promise subclass with a private field and a constructor counter, like SDK promises. */
class CountedPromise<T> extends Promise<T> {
  static made = 0;
  #label = 'private';
  constructor(executor: (resolve: (value: T) => void, reject: (error: unknown) => void) => void) {
    super(executor);
    CountedPromise.made++;
  }
  label(): string {
    return this.#label;
  }
}

/** What the protocol of an iterator shows, step by step, and what the generator itself did. */
function* protocolGenerator(log: string[]): Generator<string, string, unknown> {
  try {
    const received = yield 'first';
    log.push(`received ${String(received)}`);
    try {
      yield 'second';
    } catch (error) {
      log.push(`caught ${(error as Error).message}`);
      yield 'after-catch';
    }
    yield 'third';
    return 'done';
  } finally {
    log.push('finally');
  }
}

async function* asyncProtocolGenerator(log: string[]): AsyncGenerator<string, string, unknown> {
  try {
    const received = yield 'first';
    log.push(`received ${String(received)}`);
    try {
      yield 'second';
    } catch (error) {
      log.push(`caught ${(error as Error).message}`);
      yield 'after-catch';
    }
    yield 'third';
    return 'done';
  } finally {
    log.push('finally');
  }
}

/**
 * Own keys, without Node 20's `kResourceStore`: its AsyncLocalStorage stores the active context on
 * each promise created inside one (whoever's store it is), so that symbol says where a promise was
 * created, not what tracing changed (see docs/decorators.md#what-tracing-never-changes).
 */
const ownKeys = (o: object): (string | symbol)[] =>
  Reflect.ownKeys(o).filter((key) => typeof key !== 'symbol' || key.description !== 'kResourceStore');

/** Every scenario of the matrix. */
export const TRANSPARENCY_CASES: readonly TransparencyCase[] = [
  ...HOSTILE_VALUES.map((hostile) => ({
    name: `sync return of ${hostile.name}: returned unchanged`,
    run(caller: Caller) {
      const value = hostile.make();
      const seen = outcome(() => caller.call(() => value));
      return { sameValue: 'returned' in seen && seen.returned === value };
    },
  })),
  ...HOSTILE_VALUES.map((hostile) => ({
    name: `sync throw of ${hostile.name}: the same object thrown`,
    run(caller: Caller) {
      const value = hostile.make();
      const seen = outcome(() =>
        caller.call(() => {
          throw value;
        }),
      );
      return { sameError: 'threw' in seen && seen.threw === value };
    },
  })),
  ...HOSTILE_VALUES.map((hostile) => ({
    name: `async rejection with ${hostile.name}: the same object rejected`,
    async run(caller: Caller) {
      const value = hostile.make();
      const seen = await settled(caller.call(async () => Promise.reject(value)));
      return { sameError: 'rejected' in seen && seen.rejected === value };
    },
  })),
  ...HOSTILE_VALUES.map((hostile) => ({
    name: `async return of ${hostile.name}: settles as untraced`,
    async run(caller: Caller) {
      const value = hostile.make();
      const seen = await settled(caller.call(async () => value));
      return 'fulfilled' in seen ? { sameValue: seen.fulfilled === value } : { rejected: (seen.rejected as Error).message };
    },
  })),
  ...HOSTILE_VALUES.map((hostile) => ({
    name: `a generator yielding ${hostile.name}: the same items`,
    async run(caller: Caller) {
      const value = hostile.make();
      const sync = [...(caller.call(function* () {
        yield value;
        yield value;
      }) as Generator<unknown>)];
      const items: unknown[] = [];
      let failure: string | undefined; // an async generator awaits what it yields: a hostile `then` throws inside it
      try {
        for await (const item of caller.call(async function* () {
          yield 'first';
          yield value;
        }) as AsyncGenerator<unknown>) items.push(item);
      } catch (error) {
        failure = (error as Error).message;
      }
      return { sync: sync.map((v) => v === value), items: items.map((v) => v === value), failure };
    },
  })),
  ...HOSTILE_VALUES.map((hostile) => ({
    name: `${hostile.name} as an argument: the call is unaffected`,
    run(caller: Caller) {
      const value = hostile.make();
      const seen = outcome(() => caller.call((arg: unknown) => arg === value, value));
      return seen;
    },
  })),
  {
    name: '`this` is the receiver, and a sync value stays sync',
    run(caller: Caller) {
      let seenThis: unknown;
      const result = caller.call(function (this: unknown) {
        seenThis = this;
        return 42;
      });
      return { sameThis: seenThis === caller.self, result };
    },
  },
  {
    name: 'a Promise subclass: same object, private methods work, constructor runs as often as untraced',
    async run(caller: Caller) {
      CountedPromise.made = 0;
      let created: CountedPromise<string> | undefined;
      const result = caller.call(() => (created = new CountedPromise<string>((resolve) => setTimeout(() => resolve('v'), 1)))) as CountedPromise<string>;
      const atReturn = CountedPromise.made;
      const keysAtReturn = Object.keys(result);
      const value = await result;
      const afterAwait = CountedPromise.made;
      const viaCatch = await result.catch(() => 'never');
      return {
        same: result === created,
        isSubclass: result instanceof CountedPromise,
        label: result.label(),
        atReturn,
        keysAtReturn,
        value,
        afterAwait,
        viaCatch,
        afterCatch: CountedPromise.made,
        ownKeysAfterUse: ownKeys(result),
      };
    },
  },
  {
    name: 'a Promise subclass returned through two nested traced calls: followed once, same object, rejection kept',
    async run(caller: Caller) {
      CountedPromise.made = 0;
      const boom = new Error('nested');
      let created: CountedPromise<string> | undefined;
      const result = caller.call(() =>
        caller.call(() => (created = new CountedPromise<string>((_, reject) => setTimeout(() => reject(boom), 1)))),
      ) as CountedPromise<string>;
      const atReturn = CountedPromise.made;
      const seen = await settled(result);
      return { same: result === created, atReturn, made: CountedPromise.made, sameError: 'rejected' in seen && seen.rejected === boom, ownKeys: ownKeys(result) };
    },
  },
  {
    name: 'a rejecting Promise subclass: the same error, handled by the caller',
    async run(caller: Caller) {
      CountedPromise.made = 0;
      const boom = new Error('subclass failed');
      const result = caller.call(() => new CountedPromise((_, reject) => setTimeout(() => reject(boom), 1))) as Promise<unknown>;
      const seen = await settled(result);
      return { sameError: 'rejected' in seen && seen.rejected === boom, made: CountedPromise.made, ownKeys: ownKeys(result) };
    },
  },
  {
    name: 'an already rejected Promise subclass handled at once: the same error',
    async run(caller: Caller) {
      const boom = new Error('early');
      const result = caller.call(() => CountedPromise.reject(boom)) as Promise<unknown>;
      return { caught: await result.catch((error: unknown) => error === boom) };
    },
  },
  {
    name: 'a native promise returned by a plain function: the same object, own method kept',
    async run(caller: Caller) {
      const cancel = (): string => 'cancelled';
      const created = Object.assign(Promise.resolve('v'), { cancel });
      const result = caller.call(() => created) as Promise<string> & { cancel?: () => string };
      return { same: result === created, sameMethod: result.cancel === cancel, cancelled: result.cancel?.(), value: await result, isPromise: types.isPromise(result) };
    },
  },
  {
    name: 'an async function: same value, same rejection',
    async run(caller: Caller) {
      const value = { id: 'chatcmpl-1', model: 'gpt-4o', usage: { prompt_tokens: 1, completion_tokens: 2 } };
      const boom = new TypeError('no');
      const ok = await caller.call(async () => value);
      const failed = await settled(caller.call(async () => Promise.reject(boom)));
      return { same: ok === value, sameError: 'rejected' in failed && failed.rejected === boom };
    },
  },
  {
    name: 'a thenable with extra methods: same object, methods work',
    async run(caller: Caller) {
      const thenable = { then: (resolve: (v: string) => void) => resolve('v'), extra: () => 'kept' };
      const result = caller.call(() => thenable) as typeof thenable;
      return { same: result === thenable, extra: result.extra(), value: await result };
    },
  },
  {
    name: 'a generator: same protocol (next with a value, throw caught inside, return), untouched object',
    run(caller: Caller) {
      const log: string[] = [];
      let inner: Generator | undefined;
      const gen = caller.call(() => (inner = protocolGenerator(log))) as Generator<string, string, unknown>;
      const steps = [gen.next('ignored'), gen.next('hello'), gen.throw(new Error('oops')), gen.return('early'), gen.next()];
      return {
        steps,
        log,
        tag: Object.prototype.toString.call(gen),
        isGenerator: types.isGeneratorObject(gen),
        prototype: Object.getPrototypeOf(gen) === protocolGenerator.prototype,
        innerOwnKeys: ownKeys(inner!),
        ownKeys: ownKeys(gen),
      };
    },
  },
  {
    name: 'a generator read to the end by for-of, and one broken out of',
    run(caller: Caller) {
      const log: string[] = [];
      const all = [...(caller.call(() => protocolGenerator(log)) as Generator<string>)];
      const firstOnly: string[] = [];
      for (const item of caller.call(() => protocolGenerator(log)) as Generator<string>) {
        firstOnly.push(item);
        break;
      }
      return { all, firstOnly, log };
    },
  },
  {
    name: 'a generator returned from or thrown into before its first step',
    run(caller: Caller) {
      const log: string[] = [];
      const returned = caller.call(() => protocolGenerator(log)) as Generator<string, string, unknown>;
      const thrown = caller.call(() => protocolGenerator(log)) as Generator<string, string, unknown>;
      const boom = new Error('before start');
      return {
        returned: [returned.return('r'), returned.next()],
        thrown: outcome(() => thrown.throw(boom)),
        afterThrow: thrown.next(),
        log,
      };
    },
  },
  {
    name: 'an async generator: same protocol, untouched object',
    async run(caller: Caller) {
      const log: string[] = [];
      let inner: AsyncGenerator | undefined;
      const gen = caller.call(() => (inner = asyncProtocolGenerator(log))) as AsyncGenerator<string, string, unknown>;
      const steps = [await gen.next('ignored'), await gen.next('hello'), await gen.throw(new Error('oops')), await gen.return('early'), await gen.next()];
      const early = caller.call(() => asyncProtocolGenerator(log)) as AsyncGenerator<string, string, unknown>;
      const beforeStart = [await early.return('r'), await early.next()];
      return {
        steps,
        beforeStart,
        log,
        tag: Object.prototype.toString.call(gen),
        prototype: Object.getPrototypeOf(gen) === asyncProtocolGenerator.prototype,
        innerOwnKeys: ownKeys(inner!),
      };
    },
  },
  {
    name: 'an async iterable (an SDK stream): same object, its keys as before once read, iterator protocol kept',
    async run(caller: Caller) {
      const stream = {
        controller: 'kept',
        [Symbol.asyncIterator]() {
          let i = 0;
          return { next: async () => (i < 2 ? { done: false, value: `chunk ${i++}` } : { done: true, value: undefined }) };
        },
      };
      const keysBefore = ownKeys(stream);
      const result = caller.call(() => stream) as typeof stream;
      const enumerableAtReturn = Object.keys(result);
      const iterator = result[Symbol.asyncIterator]() as AsyncIterator<string>;
      const chunks = [await iterator.next(), await iterator.next(), await iterator.next()];
      return { same: result === stream, keysBefore, enumerableAtReturn, keysAfter: ownKeys(result), chunks, hasThrow: 'throw' in iterator };
    },
  },
];

/** Installs a fresh default store (hidden logger) with `capture` as the configured mode. */
export function freshStoreWith(capture: 'off' | 'metadata' | 'full'): TraceStore {
  const store = new TraceStore({ maxSpans: 10_000 });
  configure({ store, logger: { format: 'hidden' }, enabled: true, capture });
  return store;
}

/** Declares the matrix for `callers` (each compared with the untraced call). */
export function describeTransparency(title: string, callers: readonly Caller[]): void {
  describe(title, () => {
    afterAll(() => configure({ capture: 'metadata' }));
    for (const caller of callers) {
      describe(caller.name, () => {
        for (const scenario of TRANSPARENCY_CASES) {
          it(scenario.name, async () => {
            const store = freshStoreWith('metadata');
            const expected = await scenario.run(untraced);
            const before = store.size;
            const actual = await scenario.run(caller);
            expect(actual).toEqual(expected);
            // A tracing run that recorded nothing would pass trivially: every scenario records a span.
            await new Promise((resolve) => setImmediate(resolve));
            expect(store.size).toBeGreaterThan(before);
          });
        }
      });
    }
  });
}
