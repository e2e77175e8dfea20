/**
 * Where legacy-mode (`experimentalDecorators`) decorators keep and read metadata, without loading a
 * metadata polyfill at `import 'llmtrace'` (loading `reflect-metadata` cost about 11 ms of a 75 ms
 * import: benchmarks/import-time.ts). TypeScript's `emitDecoratorMetadata` records `design:*` types
 * only through a global `Reflect.metadata`, so they exist only when the program loaded
 * `reflect-metadata` (or a compatible polyfill) first; it is read through that global. llmtrace's own
 * per-method metadata is kept here (inherited along the prototype chain, like Reflect metadata) and,
 * when the global API is there, also defined under `TRACE_METADATA_KEY` so that
 * `Reflect.getMetadata('llmtrace:trace', proto, key)` finds it.
 */

/** The global Reflect metadata API a polyfill installs. */
interface ReflectMetadataApi {
  getMetadata(key: unknown, target: object, property: string | symbol): unknown;
  defineMetadata(key: unknown, value: unknown, target: object, property: string | symbol): void;
}

/** The program's global Reflect metadata API, when it loaded one. */
function reflectMetadata(): ReflectMetadataApi | undefined {
  const api = Reflect as unknown as Partial<ReflectMetadataApi>;
  return typeof api.getMetadata === 'function' && typeof api.defineMetadata === 'function' ? (api as ReflectMetadataApi) : undefined;
}

const own = new WeakMap<object, Map<string | symbol, unknown>>();

/** The `design:*` metadata (`design:paramtypes`, `design:returntype`) TypeScript emitted for a method, if any. */
export function designMetadata(key: 'design:paramtypes' | 'design:returntype', target: object, property: string | symbol): unknown {
  return reflectMetadata()?.getMetadata(key, target, property);
}

/** Keeps `value` under `key` for `target[property]` (and under the global Reflect metadata API when loaded). */
export function defineOwnMetadata(key: string, value: unknown, target: object, property: string | symbol): void {
  let byProperty = own.get(target);
  if (!byProperty) own.set(target, (byProperty = new Map()));
  byProperty.set(property, value);
  reflectMetadata()?.defineMetadata(key, value, target, property);
}

/** The value kept by `defineOwnMetadata` for `target[property]` or the nearest prototype that has one. */
export function getOwnMetadata(target: object, property: string | symbol): unknown {
  for (let at: object | null = target; at !== null; at = Object.getPrototypeOf(at) as object | null) {
    const byProperty = own.get(at);
    if (byProperty?.has(property)) return byProperty.get(property);
  }
  return undefined;
}
