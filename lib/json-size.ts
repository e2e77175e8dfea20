/**
 * Bounded JSON sizing: the UTF-8 size of a value's JSON form in one walk, without building the JSON.
 * Exact while the value is moderate; past a node budget long arrays and wide objects are sampled (32
 * evenly spaced items stand for all), strings past 16 KiB characters are estimated from 16 slices,
 * Buffers and typed arrays of more than 256 elements from 32 elements,
 * and a hard cap stops the walk, so measuring a multi-megabyte response (or a 50 MB string) costs
 * about as much as a small one (`JSON.stringify` of a 100 x 1536 embeddings response
 * takes ~37 ms and 3 MB).
 */

/** Array items or object properties walked whole in one container (larger ones are sampled). */
const EXACT_ITEMS = 256;

/** Items sampled, evenly spaced, from a container that is not walked whole. */
const SAMPLED_ITEMS = 32;

/** Values walked exactly before every further container is sampled. */
const VISIT_BUDGET = 8_192;

/** Values walked at most; past it, objects and arrays count as `{}` and the size is an estimate. */
const VISIT_CAP = 65_536;

/** Nesting depth beyond which values count as `{}` (the size is then an estimate). */
const MAX_DEPTH = 64;

/** Strings up to this length are sized exactly; longer ones are estimated from evenly spaced slices. */
const EXACT_STRING_CHARS = 16 * 1024;

/** Slices read from a long string, and their length: 4 KiB read whatever the string's size. */
const STRING_SLICES = 16;
const SLICE_CHARS = 256;

/** Characters JSON.stringify escapes (quotes, backslash, control characters, lone surrogates). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A JSON size: `estimated` when sampling or a bound was used, exact otherwise. */
export interface JsonSize {
  readonly bytes: number;
  readonly estimated: boolean;
}

/** UTF-8 bytes of `s` as the inside of a JSON string (escapes included, quotes not). */
function stringBytes(s: string): number {
  return NEEDS_ESCAPE.test(s) ? Buffer.byteLength(JSON.stringify(s), 'utf8') - 2 : Buffer.byteLength(s, 'utf8');
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * `stringBytes` of a long string, estimated from evenly spaced slices (bytes per character times the
 * length), so a 50 MB string costs what a 4 KiB one does. Slice ends never split a surrogate pair.
 */
function estimateStringBytes(s: string): number {
  const step = Math.floor((s.length - SLICE_CHARS) / (STRING_SLICES - 1));
  let bytes = 0;
  let chars = 0;
  for (let i = 0; i < STRING_SLICES; i++) {
    let start = i * step;
    let end = start + SLICE_CHARS;
    if (isLowSurrogate(s.charCodeAt(start))) start++;
    if (isLowSurrogate(s.charCodeAt(end))) end++;
    bytes += stringBytes(s.slice(start, end));
    chars += end - start;
  }
  return Math.round((bytes / chars) * s.length);
}

/** Total decimal digits of the integers 0 .. n-1 (the keys of a typed array's JSON form). */
function digitsBelow(n: number): number {
  let total = 0;
  for (let start = 0, end = 10, digits = 1; start < n; start = end, end *= 10, digits++) {
    total += (Math.min(n, end) - start) * digits;
  }
  return total;
}

type TypedArray = Exclude<ArrayBufferView, DataView> & { readonly length: number; readonly [i: number]: number | bigint };

/**
 * The JSON size of a large typed array from 32 evenly spaced elements: a Buffer's toJSON form
 * `{"type":"Buffer","data":[...]}`, any other's `{"0":v0,"1":v1,...}`. A BigInt array has none.
 */
function estimateTypedArrayBytes(view: TypedArray): number {
  const n = view.length;
  let valueChars = 0;
  for (let i = 0; i < SAMPLED_ITEMS; i++) {
    const item = view[Math.floor((i * n) / SAMPLED_ITEMS)]!;
    if (typeof item === 'bigint') throw NO_JSON;
    valueChars += Number.isFinite(item) ? String(item).length : 4;
  }
  const values = Math.round((valueChars / SAMPLED_ITEMS) * n);
  if (Buffer.isBuffer(view)) return '{"type":"Buffer","data":[]}'.length + (n - 1) + values;
  return 2 + (n - 1) + digitsBelow(n) + 3 * n + values; // per element: "key" and a colon
}

/** Thrown inside the walk when the value has no JSON form (a cycle, a BigInt). */
const NO_JSON = Symbol('no JSON form');

class SizeWalk {
  estimated = false;
  #visits = 0;
  readonly #ancestors = new Set<object>();

  /** Size of `v` as a JSON value; undefined for what JSON omits (undefined, functions, symbols). */
  size(v: unknown, depth: number): number | undefined {
    this.#visits++;
    switch (typeof v) {
      case 'string':
        if (v.length <= EXACT_STRING_CHARS) return stringBytes(v) + 2;
        this.estimated = true;
        return estimateStringBytes(v) + 2;
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
    // A large Buffer or typed array (audio, image bytes, a Float32Array embedding) is estimated from
    // samples: its toJSON or its keys would build one entry per element.
    if (ArrayBuffer.isView(object) && !(object instanceof DataView) && (object as TypedArray).length > EXACT_ITEMS) {
      this.estimated = true;
      return estimateTypedArrayBytes(object as TypedArray);
    }
    if (typeof (object as { toJSON?: unknown }).toJSON === 'function') {
      return this.size((object as { toJSON(key: string): unknown }).toJSON(''), depth);
    }
    if (this.#ancestors.has(object)) throw NO_JSON;
    if (depth >= MAX_DEPTH || this.#visits > VISIT_CAP) {
      this.estimated = true;
      return 2;
    }
    this.#ancestors.add(object);
    const bytes = Array.isArray(object) ? this.#array(object, depth) : this.#object(object, depth);
    this.#ancestors.delete(object);
    return bytes;
  }

  /** How many of `n` items to read: all while within budget and moderate, else a sample. */
  #take(n: number): number {
    if (n <= SAMPLED_ITEMS || (n <= EXACT_ITEMS && this.#visits + n <= VISIT_BUDGET)) return n;
    this.estimated = true;
    return SAMPLED_ITEMS;
  }

  #array(items: readonly unknown[], depth: number): number {
    const n = items.length;
    if (n === 0) return 2;
    const k = this.#take(n);
    let sum = 0;
    // Evenly spaced samples, so values that grow along the array (ids, timestamps) are not misjudged.
    for (let i = 0; i < k; i++) sum += this.size(items[k === n ? i : Math.floor((i * n) / k)], depth + 1) ?? 4;
    return 2 + (n - 1) + (k === n ? sum : Math.round((sum / k) * n));
  }

  #object(object: object, depth: number): number {
    const keys = Object.keys(object);
    const n = keys.length;
    const k = this.#take(n);
    let sum = 0;
    let members = 0;
    for (let i = 0; i < k; i++) {
      const key = keys[k === n ? i : Math.floor((i * n) / k)]!;
      const value = this.size((object as Record<string, unknown>)[key], depth + 1);
      if (value === undefined) continue; // JSON leaves the member out
      sum += stringBytes(key) + 3 + value; // quotes, colon
      members++;
    }
    if (k === n) return 2 + Math.max(0, members - 1) + sum;
    return 2 + Math.max(0, Math.round((members / k) * n) - 1) + Math.round((sum / k) * n);
  }
}

/**
 * The UTF-8 size of `value`'s JSON form, or undefined when it has none (undefined, a cycle, a
 * BigInt, a throwing `toJSON` or getter). Exact (`estimated: false`) unless the value is large.
 */
export function jsonSize(value: unknown): JsonSize | undefined {
  const walk = new SizeWalk();
  let bytes: number | undefined;
  try {
    bytes = walk.size(value, 0);
  } catch {
    return undefined;
  }
  return bytes === undefined ? undefined : { bytes, estimated: walk.estimated };
}
