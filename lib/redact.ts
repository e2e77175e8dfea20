/**
 * Secret redaction, applied to everything llmtrace captures before it is stored, logged or
 * exported: API keys, tokens, private keys and credentials inside strings, and whole values under
 * secret-looking keys (`authorization`, `api_key`, `x-api-key`, `password`, ...) in objects, header
 * tuples, `Headers`, `Map`s and `URLSearchParams`. The defaults are always on; users add patterns,
 * the opt-in PII preset and a `mask(value, path)` function (`configure({ redaction })`), compiled once
 * into a `Redactor` that the capture, error and final span passes receive.
 */
import { reportInternalError } from './internal/diagnostics.js';
import { checkKnownKeys } from './internal/validate.js';
import { maskPii } from './redact/pii.js';
import { isSecretKey, SECRET_KEY } from './redact/secret-keys.js';
import { applyPatterns, DEFAULT_SECRET_PATTERNS, REDACTED } from './redact/secret-patterns.js';

export { DEFAULT_SECRET_PATTERNS, REDACTED, SECRET_KEY };

/**
 * A user mask: receives every captured string (after the secret patterns ran) and the path it was
 * found at, and returns what to keep. Paths are dotted: `request.0.messages.1.content`,
 * `response.choices.0.message.content`, `error.message`. A mask that throws makes the whole string
 * `[REDACTED]` (fail closed) and is reported once.
 */
export type MaskFunction = (value: string, path: string) => string;

/** Options of `configure({ redaction })`. The default patterns stay on whatever is given. */
export interface RedactionOptions {
  /**
   * More secret patterns, applied after the defaults. A match is replaced by `[REDACTED]`; when the
   * pattern's first capture group is a prefix of the match (`(token=)\w+`), the prefix is kept.
   * Patterns without the `g` flag are copied with it.
   * @default []
   */
  patterns?: readonly RegExp[];
  /**
   * The PII preset: also mask e-mail addresses (`[EMAIL]`), phone numbers (`[PHONE]`), payment card
   * numbers that pass the Luhn check (`[CARD]`) and IBANs that pass the mod-97 check (`[IBAN]`),
   * everywhere secrets are masked.
   * @default false
   */
  pii?: boolean;
  /** A function applied to every captured string after the patterns. @default none */
  mask?: MaskFunction;
}

/** A compiled redaction: the patterns to apply, in order, whether PII is masked, and the user's mask. */
export interface Redactor {
  readonly patterns: readonly RegExp[];
  readonly pii: boolean;
  readonly mask: MaskFunction | undefined;
}

/** The redaction in force when nothing is configured: the default patterns, no PII preset, no mask. */
export const DEFAULT_REDACTOR: Redactor = Object.freeze({ patterns: DEFAULT_SECRET_PATTERNS, pii: false, mask: undefined });

const REDACTION_KEYS = ['patterns', 'pii', 'mask'];

/**
 * Compiles redaction options (defaults plus the user's patterns, PII preset and mask). Throws a
 * TypeError naming the option when one is invalid or unknown.
 * @example
 * configure({ redaction: { pii: true, patterns: [/\bEMP-\d{6}\b/g], mask: (v, path) => (path.endsWith('.ssn') ? '***' : v) } });
 */
export function createRedactor(options: RedactionOptions = {}): Redactor {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`llmtrace: redaction must be an object, got ${String(options)} (${typeof options})`);
  }
  checkKnownKeys(options, REDACTION_KEYS, 'redaction');
  const { patterns = [], mask, pii = false } = options;
  if (!Array.isArray(patterns)) {
    throw new TypeError(`llmtrace: redaction.patterns must be an array of RegExp, got ${String(patterns)} (${typeof patterns})`);
  }
  const extra = patterns.map((pattern: unknown, i) => {
    if (!(pattern instanceof RegExp)) {
      throw new TypeError(`llmtrace: redaction.patterns[${i}] must be a RegExp, got ${String(pattern)} (${typeof pattern})`);
    }
    return pattern.global ? pattern : new RegExp(pattern.source, `${pattern.flags}g`);
  });
  if (typeof pii !== 'boolean') {
    throw new TypeError(`llmtrace: redaction.pii must be a boolean, got ${String(pii)} (${typeof pii})`);
  }
  if (mask !== undefined && typeof mask !== 'function') {
    throw new TypeError(`llmtrace: redaction.mask must be a function, got ${String(mask)} (${typeof mask})`);
  }
  return Object.freeze({ patterns: [...DEFAULT_SECRET_PATTERNS, ...extra], pii, mask });
}

/**
 * @internal Masks the redactor's patterns (and PII when on) in `text`, without the user mask: what
 * the final span pass applies to attributes and events.
 */
export function maskSecrets(text: string, redactor: Redactor): string {
  const out = applyPatterns(text, redactor.patterns);
  return redactor.pii ? maskPii(out) : out;
}

/**
 * @internal Cuts `text` to about `maxChars` for redaction, dropping the partial word at the cut
 * (it may be the head of a secret whose pattern needs the rest), so what survives a later cut of
 * the redacted text holds no fragment of a secret. Text up to `maxChars` is returned whole.
 */
export function cutForRedaction(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const head = text.slice(0, maxChars);
  return head.replace(/[^\s"'<>,;()[\]{}]+$/, '');
}

/**
 * Masks every secret pattern in `text`, then applies the redactor's mask with `path`. Never
 * throws: a failing mask yields `[REDACTED]`.
 */
export function redactText(text: string, redactor: Redactor = DEFAULT_REDACTOR, path = ''): string {
  const out = maskSecrets(text, redactor);
  if (!redactor.mask) return out;
  try {
    const masked = redactor.mask(out, path);
    return typeof masked === 'string' ? masked : REDACTED;
  } catch (error) {
    reportInternalError('redaction.mask', error);
    return REDACTED;
  }
}

function childPath(path: string, key: string | number): string {
  return path === '' ? String(key) : `${path}.${key}`;
}

/**
 * A redacted deep copy of `value`: strings have secrets masked, values under secret keys are
 * replaced by `[REDACTED]`, cycles become `[Circular]`, functions are dropped. `path` names the
 * root for the mask (`request`, `response`).
 */
export function redactValue(value: unknown, redactor: Redactor = DEFAULT_REDACTOR, path = ''): unknown {
  return redactWithin(value, redactor, path, undefined).value;
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
 * @internal `redactValue` with optional limits, so capturing a huge value costs in proportion to
 * what is kept. `pruned` says whether anything was left out.
 */
export function redactWithin(
  value: unknown,
  redactor: Redactor,
  path: string,
  limits: CaptureLimits | undefined,
): { value: unknown; pruned: boolean } {
  const seen = new WeakSet<object>();
  let pruned = false;
  const text = (v: string, at: string): string => {
    if (!limits || v.length <= limits.maxStringChars) return redactText(v, redactor, at);
    pruned = true;
    const head = cutForRedaction(v, limits.maxStringChars + CUT_MARGIN_CHARS);
    return `${redactText(head, redactor, at).slice(0, limits.maxStringChars)}…`;
  };
  const record = (entries: Iterable<readonly [unknown, unknown]>, at: string, depth: number): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [rawKey, item] of entries) {
      const key = String(rawKey);
      out[key] = isSecretKey(key) ? REDACTED : walk(item, childPath(at, key), depth + 1);
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
