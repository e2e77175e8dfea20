/**
 * The deep-copy walk every structured redaction uses (captured request and response values, log
 * arguments, object-valued span attributes): what it copies, how far, and which keys mask their
 * values whatever they hold. The text operation is passed in, so the capture path applies the
 * user's mask and the logger and the final span pass do not.
 */
import { cutForRedaction, maskSecrets, type Redactor } from './redactor.js';
import { isSecretKey } from './secret-keys.js';
import { REDACTED } from './secret-patterns.js';

function childPath(path: string, key: string | number): string {
  return path === '' ? String(key) : `${path}.${key}`;
}

/** Bounds on how much of a value a capture copies (content is cut to a byte cap afterwards anyway). */
export interface CaptureLimits {
  /** Array items copied; the rest become one `"… N more items"` entry. */
  readonly maxArrayItems: number;
  /** String characters kept (secrets are masked before the cut, so a key is never half kept). */
  readonly maxStringChars: number;
}

/** Room past a string cut in which secrets are masked first, so none straddles the cut. */
const CUT_MARGIN_CHARS = 512;

/** Whether `v` is an array of `[name, value]` pairs (header tuples, `Object.entries` output). */
function isEntryList(v: readonly unknown[]): boolean {
  if (v.length === 0) return false;
  for (const item of v) {
    if (!Array.isArray(item) || item.length !== 2 || typeof item[0] !== 'string') return false;
  }
  return true;
}

/** Whether `v` is a `Headers`, `URLSearchParams`, `FormData` or `Map`, read through its entries. */
function entriesOf(v: object): Iterable<[unknown, unknown]> | undefined {
  if (v instanceof Map) return v.entries();
  const like = v as { entries?: unknown; get?: unknown; append?: unknown };
  if (typeof like.entries === 'function' && typeof like.get === 'function' && typeof like.append === 'function') {
    return (like.entries as () => Iterable<[unknown, unknown]>).call(v);
  }
  return undefined;
}

/**
 * A redacted deep copy of `value`, optionally bounded by `limits` (so capturing a huge value costs in
 * proportion to what is kept): strings go through `text` with their dotted path, values under secret
 * keys (object keys, header tuples, `Headers`, `Map`s) become `[REDACTED]`, keys have secrets masked,
 * cycles become `[Circular]`, functions are dropped. `pruned` says whether anything was left out.
 */
export function walkRedacting(
  value: unknown,
  redactor: Redactor,
  path: string,
  limits: CaptureLimits | undefined,
  redactText: (text: string, path: string) => string,
): { value: unknown; pruned: boolean } {
  const seen = new WeakSet<object>();
  let pruned = false;
  const text = (v: string, at: string): string => {
    if (!limits || v.length <= limits.maxStringChars) return redactText(v, at);
    pruned = true;
    const head = cutForRedaction(v, limits.maxStringChars + CUT_MARGIN_CHARS);
    return `${redactText(head, at).slice(0, limits.maxStringChars)}…`;
  };
  const record = (entries: Iterable<readonly [unknown, unknown]>, at: string, depth: number): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [rawKey, item] of entries) {
      const key = String(rawKey);
      // A key can carry a secret too (`{ [apiKey]: limits }`): its text is masked, its value kept.
      out[maskSecrets(key, redactor)] = isSecretKey(key) ? REDACTED : walk(item, childPath(at, key), depth + 1);
    }
    return out;
  };
  const walk = (v: unknown, at: string, depth: number): unknown => {
    if (typeof v === 'string') return text(v, at);
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'function' || typeof v === 'symbol') return undefined;
    if (v === null || typeof v !== 'object') return v;
    if (seen.has(v)) return '[Circular]';
    if (depth > 32) return '[Depth]';
    seen.add(v);
    if (Array.isArray(v)) {
      const kept = !limits || v.length <= limits.maxArrayItems ? v : v.slice(0, limits.maxArrayItems);
      const out = isEntryList(kept)
        ? (kept as readonly (readonly [string, unknown])[]).map(([key, item], i) => [key, isSecretKey(key) ? REDACTED : walk(item, childPath(childPath(at, i), 1), depth + 2)])
        : kept.map((item, i) => walk(item, childPath(at, i), depth + 1));
      if (kept !== v) {
        pruned = true;
        out.push(`… ${v.length - kept.length} more items`);
      }
      return out;
    }
    if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
    if (v instanceof Error) return { name: v.name, message: text(v.message, childPath(at, 'message')) };
    if (ArrayBuffer.isView(v)) return `[${v.constructor.name} ${v.byteLength} bytes]`;
    if (v instanceof Set) return walk([...v], at, depth + 1);
    const entries = entriesOf(v);
    if (entries) return record(entries, at, depth);
    const source = typeof (v as { toJSON?: unknown }).toJSON === 'function' ? (v as { toJSON(): unknown }).toJSON() : v;
    if (source !== v) return walk(source, at, depth + 1);
    return record(Object.entries(v), at, depth);
  };
  const result = walk(value, path, 0);
  return { value: result, pruned };
}
