/** The wrapper core `traced()`: behaves exactly like the wrapped function and records one span per call. */
import { setTimeout as sleep } from 'node:timers/promises';
import { currentSpan, traced, TraceStore, type Span } from '../../../index.js';
import { freshStore } from '../../helpers/fresh-store.js';

/** Like OpenAI's APIPromise: a Promise subclass with extra methods. */
class APIPromise<T> extends Promise<T> {
  withResponse(): Promise<{ data: T; response: { status: number } }> {
    return this.then((data) => ({ data, response: { status: 200 } }));
  }
}

class HttpError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

describe('traced() return values and errors', () => {
  it('returns the same value, sync and async', async () => {
    const store = freshStore();
    const value = { answer: 42 };
    expect(traced(() => value)()).toBe(value);
    await expect(traced(async () => value)()).resolves.toBe(value);
    expect(store.size).toBe(2);
    expect(store.getRecent(2).every((s) => s.status === 'success')).toBe(true);
  });

  it('keeps a sync function sync: it returns a non-Promise and its span has ended on return', () => {
    const store = freshStore();
    const add = traced((a: number, b: number) => a + b, { name: 'add' });
    const result = add(2, 3);
    expect(result).toBe(5);
    expect(result).not.toBeInstanceOf(Promise);
    expect(store.getRecent(1)[0]!.status).toBe('success');
  });

  it('throws the same error object synchronously and records it', () => {
    const store = freshStore();
    const boom = new TypeError('bad input');
    let caught: unknown;
    try {
      traced(() => {
        throw boom;
      }, { name: 'sync_fail' })();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBe(boom);
    const span = store.getRecent(1)[0]!;
    expect(span.status).toBe('error');
    expect(span.error).toEqual({ type: 'TypeError', message: 'bad input' });
    expect(span.attributes['error.type']).toBe('TypeError');
    expect(span.events.some((e) => e.name === 'exception')).toBe(true);
  });

  it('rejects with the same error object and records type, message and HTTP status', async () => {
    const store = freshStore();
    const boom = new HttpError('rate limited', 429);
    const fn = traced(async () => {
      await sleep(1);
      throw boom;
    }, { name: 'async_fail' });
    await expect(fn()).rejects.toBe(boom);
    const span = store.getRecent(1)[0]!;
    expect(span.status).toBe('error');
    expect(span.error).toEqual({ type: 'HttpError', message: 'rate limited' });
    expect(span.attributes['http.response.status_code']).toBe(429);
    expect(store.getErrors()).toEqual([span]);
  });

  it('records non-Error throws too, and still rethrows them as-is', () => {
    const store = freshStore();
    expect(() =>
      traced(() => {
        throw 'plain string';
      })(),
    ).toThrow('plain string');
    expect(store.getRecent(1)[0]!.error).toEqual({ type: 'string', message: 'plain string' });
  });

  it('keeps `this`', async () => {
    freshStore();
    const obj = {
      prefix: 'p',
      sync: traced(function (this: { prefix: string }, x: string) {
        return this.prefix + x;
      }),
      async: traced(async function (this: { prefix: string }, x: string) {
        return this.prefix + x;
      }),
    };
    expect(obj.sync('1')).toBe('p1');
    await expect(obj.async('2')).resolves.toBe('p2');
    expect(obj.sync.call({ prefix: 'q' }, '3')).toBe('q3');
  });

  it('keeps name and length', () => {
    function generateText(_prompt: string, _model: string, _opts?: object): string {
      return '';
    }
    const wrapped = traced(generateText);
    expect(wrapped.name).toBe('generateText');
    expect(wrapped.length).toBe(generateText.length);
    expect(wrapped.length).toBe(3);
  });
});

describe('traced() with thenables', () => {
  it('returns an augmented promise as-is, with its extra methods working', async () => {
    const store = freshStore();
    let returned: APIPromise<string> | undefined;
    const create = traced(() => {
      returned = new APIPromise<string>((resolve) => setTimeout(() => resolve('done'), 1));
      return returned;
    }, { name: 'create' });
    const result = create();
    expect(result).toBe(returned);
    expect(result).toBeInstanceOf(APIPromise);
    const { data, response } = await result.withResponse();
    expect(data).toBe('done');
    expect(response.status).toBe(200);
    await expect(result).resolves.toBe('done');
    expect(store.getRecent(1)[0]!.status).toBe('success');
  });

  it('treats a non-Promise thenable as async and ends its span when it settles', async () => {
    const store = freshStore();
    let settle!: (v: string) => void;
    const thenable = {
      then(onFulfilled: (v: string) => unknown) {
        settle = (v) => onFulfilled(v);
      },
      extra: () => 'kept',
    };
    const fn = traced(() => thenable, { name: 'thenable' });
    const result = fn();
    expect(result).toBe(thenable);
    expect(result.extra()).toBe('kept');
    expect(store.size).toBe(0);
    settle('v');
    expect(store.getRecent(1)[0]!.status).toBe('success');
  });
});

describe('traced() with generators', () => {
  function* numbers(n: number): Generator<number> {
    for (let i = 0; i < n; i++) yield i;
  }
  async function* tokens(n: number): AsyncGenerator<string> {
    for (let i = 0; i < n; i++) {
      await sleep(1);
      yield `t${i}`;
    }
  }

  it('keeps a sync generator iterable and ends its span when iteration completes', () => {
    const store = freshStore();
    const gen = traced(numbers, { name: 'numbers', kind: 'custom' });
    const it = gen(3);
    expect(Object.prototype.toString.call(it)).toBe('[object Generator]');
    expect(store.size).toBe(0);
    expect([...it]).toEqual([0, 1, 2]);
    const span = store.getRecent(1)[0]!;
    expect(span.status).toBe('success');
    expect(span.attributes['llmtrace.stream.end']).toBe('completed');
    expect(span.attributes['llmtrace.stream.chunks']).toBe(3);
  });

  it('ends an async generator span on completion, with chunk timing', async () => {
    const store = freshStore();
    const stream = traced(tokens, { name: 'stream' });
    const out: string[] = [];
    for await (const t of stream(3)) out.push(t);
    expect(out).toEqual(['t0', 't1', 't2']);
    const span = store.getRecent(1)[0]!;
    expect(span.status).toBe('success');
    expect(span.attributes['llmtrace.stream.end']).toBe('completed');
    expect(span.attributes['llmtrace.stream.chunks']).toBe(3);
    expect(typeof span.attributes['llmtrace.time_to_first_token_ms']).toBe('number');
    // Usage is estimated from chunk count when the stream carried none.
    expect(span.attributes['gen_ai.usage.output_tokens']).toBe(3);
    expect(span.attributes['llmtrace.usage.estimated']).toBe(true);
  });

  it('records an early break as a cancelled stream, ended exactly once', async () => {
    const store = freshStore();
    const added: Span[] = [];
    store.subscribe((s) => added.push(s));
    const stream = traced(tokens, { name: 'stream' });
    for await (const t of stream(10)) {
      if (t === 't1') break;
    }
    const syncGen = traced(numbers, { name: 'numbers' });
    for (const n of syncGen(10)) {
      if (n === 2) break;
    }
    expect(added).toHaveLength(2);
    const [asyncSpan, syncSpan] = added;
    expect(asyncSpan!.attributes['llmtrace.stream.end']).toBe('cancelled');
    expect(asyncSpan!.attributes['llmtrace.stream.chunks']).toBe(2);
    expect(asyncSpan!.status).toBe('success');
    expect(syncSpan!.attributes['llmtrace.stream.end']).toBe('cancelled');
    expect(syncSpan!.attributes['llmtrace.stream.chunks']).toBe(3);
  });

  it('records a throwing generator as an error and rethrows the same error', async () => {
    const store = freshStore();
    const boom = new Error('stream broke');
    const failing = traced(async function* () {
      yield 'a';
      throw boom;
    }, { name: 'failing' });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const x of failing()) seen.push(x);
      })(),
    ).rejects.toBe(boom);
    expect(seen).toEqual(['a']);
    const span = store.getRecent(1)[0]!;
    expect(span.status).toBe('error');
    expect(span.attributes['llmtrace.stream.end']).toBe('error');
    expect(span.error?.message).toBe('stream broke');

    const syncFailing = traced(function* () {
      yield 1;
      throw boom;
    });
    expect(() => [...syncFailing()]).toThrow(boom);
    expect(store.getRecent(1)[0]!.status).toBe('error');
  });

  it('runs generator steps inside the call span', async () => {
    const store = freshStore();
    const spansSeen: (string | undefined)[] = [];
    const gen = traced(async function* () {
      spansSeen.push(currentSpan()?.name);
      yield 1;
      spansSeen.push(currentSpan()?.name);
    }, { name: 'gen' });
    for await (const _ of gen()) void _;
    expect(spansSeen).toEqual(['gen', 'gen']);
    expect(store.size).toBe(1);
  });

  it('follows a returned async iterable (an SDK stream) without replacing it', async () => {
    const store = freshStore();
    class Stream {
      readonly controller = 'kept';
      async *[Symbol.asyncIterator](): AsyncGenerator<{ object: string; model: string; choices: unknown[]; usage?: object }> {
        yield { object: 'chat.completion.chunk', model: 'gpt-4o', choices: [] };
        yield { object: 'chat.completion.chunk', model: 'gpt-4o', choices: [{ finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 7 } };
      }
    }
    const original = new Stream();
    const create = traced(async () => original, { name: 'create_stream' });
    const stream = await create();
    expect(stream).toBe(original);
    expect(stream.controller).toBe('kept');
    let n = 0;
    for await (const _ of stream) n++;
    expect(n).toBe(2);
    const span = store.getRecent(1)[0]!;
    expect(span.attributes['llmtrace.stream.end']).toBe('completed');
    expect(span.attributes['gen_ai.usage.output_tokens']).toBe(7);
    expect(span.attributes['gen_ai.usage.input_tokens']).toBe(5);
    expect(span.attributes['gen_ai.response.model']).toBe('gpt-4o');
    expect(span.attributes['llmtrace.usage.estimated']).toBeUndefined();
  });
});

describe('traced() span contents and options', () => {
  it('ends each span exactly once, whatever happens after', async () => {
    const store = freshStore();
    const added: Span[] = [];
    store.subscribe((s) => added.push(s));
    const fn = traced(async (fail: boolean) => {
      if (fail) throw new Error('x');
      return 'ok';
    });
    await fn(false);
    await fn(true).catch(() => undefined);
    expect(added).toHaveLength(2);
    const [ok] = added;
    // A late finish is refused and changes nothing.
    const endTime = ok!.endTime;
    expect(ok!.finish({ type: 'Late', message: 'late' })).toBe(false);
    expect(ok!.status).toBe('success');
    expect(ok!.endTime).toBe(endTime);
    expect(store.stats().added).toBe(2);
  });

  it('records name, kind, operation, context, model and the attributes hook', async () => {
    const store = freshStore();
    const fn = traced(async (prompt: string, model = 'mistral:latest') => `${prompt}@${model}`, {
      name: 'generate_text',
      context: 'agent_turn',
      attributes: (args, result) => ({ 'app.prompt_chars': String(args[0]).length, 'app.result': String(result) }),
    });
    await fn('hello');
    const span = store.getRecent(1)[0]!;
    expect(span.name).toBe('generate_text');
    expect(span.kind).toBe('llm');
    expect(span.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'mistral:latest',
      'llmtrace.context': 'agent_turn',
      'llmtrace.function': 'generate_text',
      'app.prompt_chars': 5,
      'app.result': 'hello@mistral:latest',
    });
  });

  it('reads model and usage from the result with a per-function extractor', () => {
    const store = freshStore();
    const fn = traced(() => ({ engine: 'mine-1', used: 12 }), {
      extractor: (r) => ({ model: (r as { engine: string }).engine, outputTokens: (r as { used: number }).used }),
    });
    fn();
    const span = store.getRecent(1)[0]!;
    expect(span.attributes['gen_ai.response.model']).toBe('mine-1');
    expect(span.attributes['gen_ai.usage.output_tokens']).toBe(12);
  });

  it('a throwing attributes hook is ignored and the call is unaffected', async () => {
    const store = freshStore();
    const fn = traced(async () => 'fine', {
      attributes: () => {
        throw new Error('hook bug');
      },
    });
    await expect(fn()).resolves.toBe('fine');
    expect(store.getRecent(1)[0]!.status).toBe('success');
  });

  it('sends spans to the store option instead of the default', () => {
    const defaultStore = freshStore();
    const own = new TraceStore({ maxSpans: 5 });
    traced(() => 1, { store: own })();
    expect(own.size).toBe(1);
    expect(defaultStore.size).toBe(0);
  });

  it('rejects invalid options at wrap time with a TypeError naming the option', () => {
    expect(() => traced(() => 1, { kind: 'bogus' as never })).toThrow(/^llmtrace: traced: kind must be one of/);
    expect(() => traced(() => 1, { name: '' })).toThrow(/name must be a non-empty string/);
    expect(() => traced(() => 1, { capture: 'all' as never })).toThrow(/^llmtrace: traced: capture must be 'off', 'metadata' or 'full', got "all" \(string\)$/);
    expect(() => traced(() => 1, { maxContentBytes: -1 })).toThrow(/maxContentBytes must be a positive integer, got -1 \(number\)/);
    expect(() => traced(() => 1, { modelParam: -2 })).toThrow(/modelParam must be/);
    expect(() => traced(() => 1, { store: {} as never })).toThrow(/store must be a TraceStore/);
    expect(() => traced('nope' as never)).toThrow(TypeError);
  });

  it('records the four resource attributes when resources is on, and none by default', () => {
    const store = freshStore();
    traced(() => new Array(10_000).fill(1).length, { resources: true, name: 'with' })();
    traced(() => 1, { name: 'without' })();
    const [without, withRes] = store.getRecent(2);
    for (const key of [
      'llmtrace.resource.heap_delta_bytes',
      'llmtrace.resource.rss_delta_bytes',
      'llmtrace.resource.cpu_user_us',
      'llmtrace.resource.cpu_system_us',
    ]) {
      expect(typeof withRes!.attributes[key]).toBe('number');
      expect(without!.attributes[key]).toBeUndefined();
    }
    expect(withRes!.attributes['llmtrace.resource.cpu_user_us'] as number).toBeGreaterThanOrEqual(0);
  });
});


describe('traced() when its own machinery fails', () => {
  it('runs the function once and records its span when the OpenTelemetry bridge throws before calling it', async () => {
    const { setContextBridge } = await import('../../../lib/internal/context-bridge.js');
    const store = freshStore();
    const remove = setContextBridge({
      externalParent: () => undefined,
      runInSpan: () => {
        throw new Error('bridge broke');
      },
    });
    try {
      let calls = 0;
      const fn = traced(function work(x: number) {
        calls++;
        return x * 2;
      });
      expect(fn(21)).toBe(42);
      expect(calls).toBe(1);
      expect(store.getRecent(1)[0]).toMatchObject({ name: 'work', status: 'success' });
    } finally {
      remove();
    }
  });

  it('ends the span when a returned thenable cannot be followed because its then() throws', () => {
    const store = freshStore();
    const weird = {
      then() {
        throw new Error('not really a thenable');
      },
    };
    const fn = traced(function odd() {
      return weird;
    });
    expect(fn()).toBe(weird);
    expect(store.getRecent(1)[0]).toMatchObject({ name: 'odd', status: 'success' });
  });

  it('keeps an iterator without throw() without it, and ends the span when the consumer stops early', async () => {
    const store = freshStore();
    const stream = {
      [Symbol.asyncIterator]() {
        return { next: async () => ({ done: false, value: 'chunk' }) };
      },
    };
    const fn = traced(async function streamed() {
      return stream;
    });
    const iterator = (await fn())[Symbol.asyncIterator]() as AsyncIterator<string>;
    await iterator.next();
    expect(iterator.throw).toBeUndefined();
    await expect(iterator.return!('stop')).resolves.toEqual({ done: true, value: 'stop' });
    expect(store.getRecent(1)[0]).toMatchObject({ name: 'streamed', status: 'success', attributes: { 'llmtrace.stream.end': 'cancelled' } });
  });
});
