/**
 * Bounded JSON sizing: the UTF-8 size of a value's JSON form in one walk, without building the JSON.
 * Exact while the value is moderate; past a node budget long arrays and wide objects are sampled (32
 * evenly spaced items stand for all), long strings are estimated from evenly spaced slices, Buffers
 * and typed arrays of more than 256 elements from 32 elements, and a hard cap stops the walk (the
 * bounds are a `SizeLimits`), so measuring a multi-megabyte response (or a 50 MB string) costs
 * about as much as a small one (`JSON.stringify` of a 100 x 1536 embeddings response
 * takes ~37 ms and 3 MB).
 */

/** How much of a value `jsonSize` reads exactly before it samples and estimates. */
export interface SizeLimits {
  /** Array items or object properties walked whole in one container (larger ones are sampled). */
  readonly exactItems: number;
  /** Items sampled, evenly spaced, from a container that is not walked whole. */
  readonly sampledItems: number;
  /** Values walked exactly before every further container is sampled. */
  readonly visitBudget: number;
  /** Values walked at most; past it, objects and arrays count as `{}` and the size is an estimate. */
  readonly visitCap: number;
  /** Strings up to this length are sized exactly; longer ones are estimated from evenly spaced slices. */
  readonly exactStringChars: number;
  /** Slices read from a long string. */
  readonly stringSlices: number;
  /** Characters per slice. */
  readonly sliceChars: number;
}

/**
 * For byte accounting (the store's backlog and segment sizes): exact up to 8,192 values and 16 KiB
 * strings, 4 KiB read from a longer string.
 */
const DEFAULT_LIMITS: SizeLimits = {
  exactItems: 256,
  sampledItems: 32,
  visitBudget: 8_192,
  visitCap: 65_536,
  exactStringChars: 16 * 1024,
  stringSlices: 16,
  sliceChars: 256,
};

/**
 * For the `llmtrace.request.bytes`/`response.bytes` of every traced call: about as cheap for a 1 MB
 * prompt as for a 100 B one (exact up to 512 values and 256-character strings; 256 characters read
 * from a longer string, in 4 slices: each slice costs a substring and a scan), so the size costs the
 * same whatever the payload (benchmarks/realistic-call.ts, growth).
 */
export const CONTENT_SIZE_LIMITS: SizeLimits = {
  ...DEFAULT_LIMITS,
  visitBudget: 512,
  visitCap: 4_096,
  exactStringChars: 256,
  stringSlices: 4,
  sliceChars: 64,
};

/** Nesting depth beyond which values count as `{}` (the size is then an estimate). */
const MAX_DEPTH = 64;

/** A JSON size: `estimated` when sampling or a bound was used, exact otherwise. */
export interface JsonSize {
  readonly bytes: number;
  readonly estimated: boolean;
}

/** A string JSON writes as is, one byte per character. */
const PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** Strings longer than this are first tested against PLAIN_ASCII (shorter ones: the loop is cheaper). */
const PLAIN_SCAN_MIN_CHARS = 24;

/** UTF-8 bytes of `s` as the inside of a JSON string (escapes included, quotes not). */
function stringBytes(s: string): number {
  // Most prompt text is printable ASCII without quotes or backslashes: one native scan says so.
  return s.length > PLAIN_SCAN_MIN_CHARS && PLAIN_ASCII.test(s) ? s.length : rangeBytes(s, 0, s.length);
}

/**
 * UTF-8 bytes of `s[start, end)` as the inside of a JSON string, as JSON.stringify writes it:
 * `\"`, `\\` and `\n`-style escapes take 2 bytes, other control characters and lone surrogates 6
 * (`\u001f`), a surrogate pair 4.
 */
function rangeBytes(s: string, start: number, end: number): number {
  let bytes = 0;
  for (let i = start; i < end; i++) {
    const code = s.charCodeAt(i);
    if (code < 0x80) {
      if (code >= 0x20) bytes += code === 0x22 || code === 0x5c ? 2 : 1;
      else bytes += code === 0x08 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d ? 2 : 6;
    } else if (code < 0x800) bytes += 2;
    else if (code < 0xd800 || code > 0xdfff) bytes += 3;
    else if (code <= 0xdbff && i + 1 < end && isLowSurrogate(s.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 6; // a lone surrogate: JSON.stringify escapes it
  }
  return bytes;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * `stringBytes` of a long string, estimated from evenly spaced slices (bytes per character times the
 * length), so a 50 MB string costs what a 4 KiB one does. Slice ends never split a surrogate pair.
 */
function estimateStringBytes(s: string, limits: SizeLimits): number {
  const step = Math.floor((s.length - limits.sliceChars) / (limits.stringSlices - 1));
  let bytes = 0;
  let chars = 0;
  for (let i = 0; i < limits.stringSlices; i++) {
    let start = i * step;
    let end = start + limits.sliceChars;
    if (isLowSurrogate(s.charCodeAt(start))) start++;
    if (isLowSurrogate(s.charCodeAt(end))) end++;
    // Most prompt text is plain ASCII: a native scan of the slice says so, instead of a loop over it.
    const slice = s.substring(start, end);
    bytes += PLAIN_ASCII.test(slice) ? slice.length : rangeBytes(slice, 0, slice.length);
    chars += end - start;
  }
  return Math.round((bytes / chars) * s.length);
}

/** Distinct keys whose sizes are remembered; the memo is emptied when full. */
const MAX_KEY_MEMO = 1024;

/** Keys longer than this are sized on each visit, not remembered. */
const MAX_MEMO_KEY_CHARS = 64;

/** `stringBytes` of object keys seen before: the keys of model responses repeat on every call. */
const keySizes = new Map<string, number>();

/**
 * `stringBytes(key)`, remembered: a traced call sizes the same two dozen keys (`choices`,
 * `finish_reason`, `prompt_tokens`, ...) every time, and a lookup of a key (a hashed, internalised
 * string) costs less than counting its characters: ~20% of the walk of an OpenAI completion and its
 * arguments (benchmarks/realistic-call.ts).
 */
function keyBytes(key: string): number {
  let bytes = keySizes.get(key);
  if (bytes === undefined) {
    bytes = stringBytes(key);
    if (key.length <= MAX_MEMO_KEY_CHARS) {
      if (keySizes.size >= MAX_KEY_MEMO) keySizes.clear();
      keySizes.set(key, bytes);
    }
  }
  return bytes;
}

/** Powers of ten up to 1e21, where JSON switches integers to exponent form. */
const POWERS_OF_TEN = Array.from({ length: 22 }, (_, i) => 10 ** i);

/** Characters of a number's JSON form; integers are counted without building the string. */
function numberChars(v: number): number {
  if (!Number.isFinite(v)) return 4; // null
  if (!Number.isInteger(v) || Math.abs(v) >= 1e21 || Object.is(v, -0)) return String(v).length;
  const x = Math.abs(v);
  let digits = 1;
  while (digits < POWERS_OF_TEN.length && x >= POWERS_OF_TEN[digits]!) digits++;
  return v < 0 ? digits + 1 : digits;
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
 * The JSON size of a large typed array from `sampled` evenly spaced elements: a Buffer's toJSON form
 * `{"type":"Buffer","data":[...]}`, any other's `{"0":v0,"1":v1,...}`. A BigInt array has none.
 */
function estimateTypedArrayBytes(view: TypedArray, sampled: number): number {
  const n = view.length;
  let valueChars = 0;
  for (let i = 0; i < sampled; i++) {
    const item = view[Math.floor((i * n) / sampled)]!;
    if (typeof item === 'bigint') throw NO_JSON;
    valueChars += Number.isFinite(item) ? String(item).length : 4;
  }
  const values = Math.round((valueChars / sampled) * n);
  if (Buffer.isBuffer(view)) return '{"type":"Buffer","data":[]}'.length + (n - 1) + values;
  return 2 + (n - 1) + digitsBelow(n) + 3 * n + values; // per element: "key" and a colon
}

/** What a freed ancestor slot holds. */
const EMPTY = Object.freeze({});

/** Thrown inside the walk when the value has no JSON form (a cycle, a BigInt). */
const NO_JSON = Symbol('no JSON form');

class SizeWalk {
  estimated = false;
  #visits = 0;
  /**
   * The containers being walked, outermost first, in `#ancestors[0, #depth)` (a cycle check; a short
   * array beats a Set here). Slots are overwritten, never popped, so a reused walk allocates nothing.
   */
  readonly #ancestors: object[] = [];
  #depth = 0;
  #limits: SizeLimits = DEFAULT_LIMITS;

  /** Drops the references a walk that threw left in its ancestor slots. */
  release(): void {
    while (this.#depth > 0) this.#ancestors[--this.#depth] = EMPTY;
  }

  /** Readies the walk for a new value under `limits` (walks are reused: one runs on every traced call). */
  reset(limits: SizeLimits): this {
    this.estimated = false;
    this.#visits = 0;
    this.#depth = 0;
    this.#limits = limits;
    return this;
  }

  /** Size of `v` as a JSON value; undefined for what JSON omits (undefined, functions, symbols). */
  size(v: unknown, depth: number): number | undefined {
    this.#visits++;
    switch (typeof v) {
      case 'string':
        if (v.length <= this.#limits.exactStringChars) return stringBytes(v) + 2;
        this.estimated = true;
        return estimateStringBytes(v, this.#limits) + 2;
      case 'number':
        return numberChars(v);
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
    if (ArrayBuffer.isView(object) && !(object instanceof DataView) && (object as TypedArray).length > this.#limits.exactItems) {
      this.estimated = true;
      return estimateTypedArrayBytes(object as TypedArray, this.#limits.sampledItems);
    }
    if (typeof (object as { toJSON?: unknown }).toJSON === 'function') {
      return this.size((object as { toJSON(key: string): unknown }).toJSON(''), depth);
    }
    for (let i = 0; i < this.#depth; i++) if (this.#ancestors[i] === object) throw NO_JSON;
    if (depth >= MAX_DEPTH || this.#visits > this.#limits.visitCap) {
      this.estimated = true;
      return 2;
    }
    this.#ancestors[this.#depth++] = object;
    const bytes = Array.isArray(object) ? this.#array(object, depth) : this.#object(object, depth);
    this.#ancestors[--this.#depth] = EMPTY; // no reference kept to the caller's value
    return bytes;
  }

  /** How many of `n` items to read: all while within budget and moderate, else a sample. */
  #take(n: number): number {
    const { sampledItems, exactItems, visitBudget } = this.#limits;
    if (n <= sampledItems || (n <= exactItems && this.#visits + n <= visitBudget)) return n;
    this.estimated = true;
    return sampledItems;
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
    // A small object (most of a model response) is walked with for-in, which builds no key array:
    // sizing runs on every traced call (benchmarks/realistic-call.ts). A larger one needs the keys
    // by index, to sample them.
    let sum = 0;
    let members = 0;
    let own = 0;
    const visits = this.#visits;
    for (const key in object) {
      if (!Object.prototype.hasOwnProperty.call(object, key)) continue;
      if (++own > this.#limits.sampledItems) {
        this.#visits = visits; // walked again from the start, by index
        return this.#sampledObject(object, depth);
      }
      const value = this.size((object as Record<string, unknown>)[key], depth + 1);
      if (value === undefined) continue; // JSON leaves the member out
      sum += keyBytes(key) + 3 + value; // quotes, colon
      members++;
    }
    return 2 + Math.max(0, members - 1) + sum;
  }

  #sampledObject(object: object, depth: number): number {
    const keys = Object.keys(object);
    const n = keys.length;
    const k = this.#take(n);
    let sum = 0;
    let members = 0;
    for (let i = 0; i < k; i++) {
      const key = keys[k === n ? i : Math.floor((i * n) / k)]!;
      const value = this.size((object as Record<string, unknown>)[key], depth + 1);
      if (value === undefined) continue; // JSON leaves the member out
      sum += keyBytes(key) + 3 + value; // quotes, colon
      members++;
    }
    if (k === n) return 2 + Math.max(0, members - 1) + sum;
    return 2 + Math.max(0, Math.round((members / k) * n) - 1) + Math.round((sum / k) * n);
  }
}

/**
 * The UTF-8 size of `value`'s JSON form, or undefined when it has none (undefined, a cycle, a
 * BigInt, a throwing `toJSON` or getter). Exact (`estimated: false`) unless the value is larger
 * than `limits` allow.
 */
export function jsonSize(value: unknown, limits: SizeLimits = DEFAULT_LIMITS): JsonSize | undefined {
  const walk = takeWalk(limits);
  try {
    const bytes = walk.size(value, 0);
    return bytes === undefined ? undefined : { bytes, estimated: walk.estimated };
  } catch {
    walk.release();
    return undefined;
  } finally {
    idleWalk = walk;
  }
}

/** `jsonSize(value, limits)?.bytes`, without the result object (the content capture's per-call form). */
export function jsonBytes(value: unknown, limits: SizeLimits = DEFAULT_LIMITS): number | undefined {
  const walk = takeWalk(limits);
  try {
    return walk.size(value, 0);
  } catch {
    walk.release();
    return undefined;
  } finally {
    idleWalk = walk;
  }
}

/**
 * The walk not in use, kept for the next call. A `toJSON` or getter that sizes something itself
 * (re-entrantly) finds none idle and gets a walk of its own.
 */
let idleWalk: SizeWalk | undefined;

function takeWalk(limits: SizeLimits): SizeWalk {
  const walk = idleWalk ?? new SizeWalk();
  idleWalk = undefined;
  return walk.reset(limits);
}
