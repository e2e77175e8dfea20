/**
 * Bounded JSON sizing: the UTF-8 size of a value's JSON form, exact for small values and estimated
 * for large ones with work bounded by sampling, so measuring a large response never stalls the
 * traced program (`JSON.stringify` of a 100 x 1536 embeddings response takes ~37 ms and 3 MB).
 */

/** Values whose estimated JSON size is at most this many bytes are measured exactly (`JSON.stringify`). */
export const EXACT_JSON_SIZE_LIMIT = 16 * 1024;

/** Array items (evenly spaced) and object properties (the first 4x as many) read before the rest is extrapolated from their mean size. */
const SAMPLED_ITEMS = 32;

/** Nesting depth beyond which the estimate does not walk (deeper values count as `{}`). */
const MAX_DEPTH = 64;

/** A JSON size: `estimated` when the value was too large to measure exactly. */
export interface JsonSize {
  readonly bytes: number;
  readonly estimated: boolean;
}

/** Thrown inside the walk when the value has no JSON form (a cycle, a BigInt). */
const NO_JSON = Symbol('no JSON form');

class SizeWalk {
  readonly #ancestors = new Set<object>();

  /** Estimated size of `v` as a JSON value; undefined for what JSON omits (undefined, functions, symbols). */
  size(v: unknown, depth: number): number | undefined {
    switch (typeof v) {
      case 'string':
        return Buffer.byteLength(v, 'utf8') + 2;
      case 'number':
        return Number.isFinite(v) ? String(v).length : 4;
      case 'boolean':
        return v ? 4 : 5;
      case 'bigint':
        throw NO_JSON;
      case 'undefined':
      case 'function':
      case 'symbol':
        return undefined;
    }
    if (v === null) return 4;
    const object = v as object;
    if (typeof (object as { toJSON?: unknown }).toJSON === 'function') {
      return this.size((object as { toJSON(): unknown }).toJSON(), depth);
    }
    if (this.#ancestors.has(object)) throw NO_JSON;
    if (depth >= MAX_DEPTH) return 2;
    this.#ancestors.add(object);
    const bytes = Array.isArray(object) ? this.#array(object, depth) : this.#object(object, depth);
    this.#ancestors.delete(object);
    return bytes;
  }

  #array(items: readonly unknown[], depth: number): number {
    const n = items.length;
    if (n === 0) return 2;
    const k = Math.min(n, SAMPLED_ITEMS);
    let sum = 0;
    // Evenly spaced samples, so values that grow along the array (ids, timestamps) are not misjudged.
    for (let i = 0; i < k; i++) sum += this.size(items[Math.floor((i * n) / k)], depth + 1) ?? 4; // undefined prints as null
    return 2 + (n - 1) + Math.round((sum / k) * n);
  }

  #object(object: object, depth: number): number {
    const keys = Object.keys(object);
    const k = Math.min(keys.length, SAMPLED_ITEMS * 4);
    let sum = 0;
    let members = 0;
    for (let i = 0; i < k; i++) {
      const key = keys[i]!;
      const value = this.size((object as Record<string, unknown>)[key], depth + 1);
      if (value === undefined) continue; // JSON leaves the member out
      sum += Buffer.byteLength(key, 'utf8') + 3 + value; // "key":value
      members++;
    }
    if (k < keys.length) {
      const scaled = Math.round((sum / k) * keys.length);
      return 2 + Math.max(0, Math.round((members / k) * keys.length) - 1) + scaled;
    }
    return 2 + Math.max(0, members - 1) + sum;
  }
}

/**
 * The UTF-8 size of `value`'s JSON form, or undefined when it has none (undefined, a cycle, a
 * BigInt). Exact up to EXACT_JSON_SIZE_LIMIT bytes; above, estimated from samples (32 evenly spaced
 * items of a long array stand for all of them), in time that does not grow with the value.
 */
export function jsonSize(value: unknown): JsonSize | undefined {
  let estimate: number | undefined;
  const walk = new SizeWalk();
  try {
    estimate = walk.size(value, 0);
  } catch {
    return undefined; // NO_JSON, or a throwing toJSON/getter
  }
  if (estimate === undefined) return undefined;
  if (estimate > EXACT_JSON_SIZE_LIMIT) return { bytes: estimate, estimated: true };
  try {
    const json = JSON.stringify(value);
    return json === undefined ? undefined : { bytes: Buffer.byteLength(json, 'utf8'), estimated: false };
  } catch {
    return undefined;
  }
}
