/**
 * The recursive Proxy every SDK adapter returns. It instruments the methods a declared registry
 * names (`chat.completions.create`) and passes everything else through: plain properties as they
 * are, functions bound to the real object (so private fields and `this._client` keep working), and
 * only the sub-objects on the way to an instrumented method get a Proxy of their own (cached). The
 * client object itself is never modified. A client the SDK derives from it (`withOptions()`) is
 * instrumented the same way, so changing a timeout does not silently turn tracing off.
 */
import { compilePlan, type CallPlan, type RecorderHooks } from '../../lib/record/call-plan.js';
import { invoke } from '../../lib/record/recorder.js';
import { traceOptions, type AdapterOptions, type MethodSpec } from './adapter-options.js';

/** @internal One registry entry: the span it records and the hooks that read the SDK's shapes. */
export interface InstrumentedMethod extends MethodSpec {
  readonly hooks: RecorderHooks;
}

const instrumented = new WeakSet<object>();

/**
 * @internal Methods, by dotted path, that return an object worth instrumenting in turn, with the
 * function that instruments it: a new client of the same SDK (the Stainless SDKs' `withOptions`), a
 * chat session (`@google/genai`'s `chats.create`).
 */
export type Derivers = Readonly<Record<string, (derived: object) => object>>;

/**
 * @internal Throws a TypeError naming `entry` unless `client` is an object or a function with at least
 * one of `methods` (dotted paths) as a function (`what` says which client): a resource, the class or
 * `{}` passed by mistake would otherwise record nothing, silently.
 */
export function checkClient(client: unknown, entry: string, what: string, methods: readonly string[]): void {
  if (client === null || (typeof client !== 'object' && typeof client !== 'function')) {
    throw new TypeError(`llmtrace: ${entry} needs ${what}, got ${String(client)} (${typeof client})`);
  }
  if (!methods.some((path) => typeof valueAt(client, path) === 'function')) {
    throw new TypeError(
      `llmtrace: ${entry} needs ${what}, got an object with none of its methods (${methods.join(', ')}): pass the client instance itself`,
    );
  }
}

/** The value at a dotted `path` from `root`, or undefined (a throwing getter included). */
function valueAt(root: object, path: string): unknown {
  let value: unknown = root;
  try {
    for (const key of path.split('.')) {
      if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return undefined;
      value = (value as Record<string, unknown>)[key];
    }
  } catch {
    return undefined;
  }
  return value;
}

/** @internal Whether `value` is already an instrumented client (instrumenting twice returns it as is). */
export function isInstrumented(value: object): boolean {
  return instrumented.has(value);
}

function prefixesOf(paths: readonly string[]): Set<string> {
  const prefixes = new Set<string>();
  for (const path of paths) {
    const parts = path.split('.');
    for (let i = 1; i < parts.length; i++) prefixes.add(parts.slice(0, i).join('.'));
  }
  return prefixes;
}

/**
 * @internal Returns a Proxy over `client` that records a span for each call of a registry method.
 * `registry` maps dotted paths from the client to what each records; `derivers` instrument what the
 * methods at their paths return.
 */
export function instrumentClient<T extends object>(
  client: T,
  registry: Readonly<Record<string, InstrumentedMethod>>,
  options: AdapterOptions,
  derivers: Derivers = {},
): T {
  if (instrumented.has(client)) return client;
  const prefixes = prefixesOf([...Object.keys(registry), ...Object.keys(derivers)]);
  const proxies = new Map<string, WeakMap<object, object>>();
  const wrapped = new Map<string, WeakMap<Function, Function>>();
  const bound = new WeakMap<object, WeakMap<Function, Function>>();
  const derived = new WeakMap<Function, Function>();

  const wrapMethod = (target: object, path: string, fn: Function): Function => {
    let byFn = wrapped.get(path);
    if (!byFn) wrapped.set(path, (byFn = new WeakMap()));
    let out = byFn.get(fn);
    if (!out) {
      const method = registry[path]!;
      const plan: CallPlan = compilePlan(fn, traceOptions(options, method), method.hooks);
      out = function instrumentedMethod(...args: unknown[]): unknown {
        return invoke(plan, fn, target, args);
      };
      Object.defineProperty(out, 'name', { value: fn.name, configurable: true });
      Object.defineProperty(out, 'length', { value: fn.length, configurable: true });
      byFn.set(fn, out);
    }
    return out;
  };

  const bindMethod = (target: object, fn: Function): Function => {
    let byFn = bound.get(target);
    if (!byFn) bound.set(target, (byFn = new WeakMap()));
    let out = byFn.get(fn);
    if (!out) {
      out = fn.bind(target) as Function;
      byFn.set(fn, out);
    }
    return out;
  };

  const deriveMethod = (target: object, fn: Function, instrument: (derived: object) => object): Function => {
    let out = derived.get(fn);
    if (!out) {
      out = function derivedClient(...args: unknown[]): unknown {
        const value: unknown = fn.apply(target, args);
        return value !== null && typeof value === 'object' ? instrument(value) : value;
      };
      derived.set(fn, out);
    }
    return out;
  };

  const proxify = <O extends object>(target: O, path: string): O => {
    let byTarget = proxies.get(path);
    if (!byTarget) proxies.set(path, (byTarget = new WeakMap()));
    const cached = byTarget.get(target);
    if (cached) return cached as O;
    const proxy = new Proxy(target, {
      get(t, prop) {
        const value: unknown = Reflect.get(t, prop, t);
        if (typeof prop === 'symbol') return typeof value === 'function' ? bindMethod(t, value) : value;
        const child = path ? `${path}.${prop}` : prop;
        if (typeof value === 'function') {
          if (Object.hasOwn(registry, child)) return wrapMethod(t, child, value);
          if (Object.hasOwn(derivers, child)) return deriveMethod(t, value, derivers[child]!);
          // Classes hanging off a client (OpenAI.APIError, ...) stay constructible as they are.
          return /^class[\s{]/.test(Function.prototype.toString.call(value)) ? value : bindMethod(t, value);
        }
        if (value !== null && typeof value === 'object' && prefixes.has(child)) return proxify(value, child);
        return value;
      },
    });
    byTarget.set(target, proxy);
    return proxy;
  };

  const root = proxify(client, '');
  instrumented.add(root);
  return root;
}
