/**
 * Secret redaction, applied to everything llmtrace captures before it is stored, logged or
 * exported: API keys and bearer tokens inside strings, and whole values under secret-looking keys
 * (`authorization`, `api_key`, `x-api-key`, `password`, ...). The defaults are always on; users add
 * patterns and a `mask(value, path)` function (`configure({ redaction })`), compiled once into a
 * `Redactor` that the capture and error paths receive.
 */
import { reportInternalError } from './internal/diagnostics.js';
import { applyPatterns, DEFAULT_SECRET_PATTERNS, REDACTED } from './internal/secret-patterns.js';
import { checkOptions } from './internal/option-schemas.js';

export { DEFAULT_SECRET_PATTERNS, REDACTED };

/**
 * Object keys whose values are always masked, whatever they hold (`apiKey`, `x-api-key`,
 * `client_secret`, `aws_access_key_id`, `github_token`, and any header-style `*-key` / `*_key` /
 * `key` such as `Ocp-Apim-Subscription-Key`; not `max_tokens`). Masking a harmless `cache_key` is
 * the price of never writing an unrecognised key header to disk.
 */
export const SECRET_KEY =
  /(?:api[-_]?key|secret|password|passwd|authorization|cookie|private[-_]?key|access[-_]?key[-_]?id|(?:^|[-_.])key|(?:^|[-_.]|access|refresh|auth|session|bearer)token)$/i;

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
  /** A function applied to every captured string after the patterns. @default none */
  mask?: MaskFunction;
}

/** A compiled redaction: the patterns to apply, in order, and the user's mask. */
export interface Redactor {
  readonly patterns: readonly RegExp[];
  readonly mask: MaskFunction | undefined;
}

/** The redaction in force when nothing is configured: the default patterns, no mask. */
export const DEFAULT_REDACTOR: Redactor = Object.freeze({ patterns: DEFAULT_SECRET_PATTERNS, mask: undefined });

/**
 * Compiles redaction options (defaults plus the user's patterns and mask). Throws a TypeError
 * naming the option when one is invalid.
 * @example
 * configure({ redaction: { patterns: [/\bEMP-\d{6}\b/g], mask: (v, path) => (path.endsWith('.ssn') ? '***' : v) } });
 */
export function createRedactor(options: RedactionOptions = {}): Redactor {
  checkOptions('createRedactor', options);
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`llmtrace: redaction must be an object, got ${String(options)} (${typeof options})`);
  }
  const { patterns = [], mask } = options;
  if (!Array.isArray(patterns)) {
    throw new TypeError(`llmtrace: redaction.patterns must be an array of RegExp, got ${String(patterns)} (${typeof patterns})`);
  }
  const extra = patterns.map((pattern: unknown, i) => {
    if (!(pattern instanceof RegExp)) {
      throw new TypeError(`llmtrace: redaction.patterns[${i}] must be a RegExp, got ${String(pattern)} (${typeof pattern})`);
    }
    return pattern.global ? pattern : new RegExp(pattern.source, `${pattern.flags}g`);
  });
  if (mask !== undefined && typeof mask !== 'function') {
    throw new TypeError(`llmtrace: redaction.mask must be a function, got ${String(mask)} (${typeof mask})`);
  }
  return Object.freeze({ patterns: [...DEFAULT_SECRET_PATTERNS, ...extra], mask });
}


/**
 * Masks every secret pattern in `text`, then applies the redactor's mask with `path`. Never
 * throws: a failing mask yields `[REDACTED]`.
 */
export function redactText(text: string, redactor: Redactor = DEFAULT_REDACTOR, path = ''): string {
  const out = applyPatterns(text, redactor.patterns);
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
    return `${redactText(v.slice(0, limits.maxStringChars + CUT_MARGIN_CHARS), redactor, at).slice(0, limits.maxStringChars)}…`;
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
      if (!limits || v.length <= limits.maxArrayItems) return v.map((item, i) => walk(item, childPath(at, i), depth + 1));
      pruned = true;
      const kept = v.slice(0, limits.maxArrayItems).map((item, i) => walk(item, childPath(at, i), depth + 1));
      kept.push(`… ${v.length - limits.maxArrayItems} more items`);
      return kept;
    }
    if (v instanceof Date) return v.toISOString();
    if (v instanceof Error) return { name: v.name, message: text(v.message, childPath(at, 'message')) };
    if (ArrayBuffer.isView(v)) return `[${v.constructor.name} ${v.byteLength} bytes]`;
    const source = typeof (v as { toJSON?: unknown }).toJSON === 'function' ? (v as { toJSON(): unknown }).toJSON() : v;
    if (source !== v) return walk(source, at, depth + 1);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(v)) {
      out[key] = SECRET_KEY.test(key) ? REDACTED : walk(item, childPath(at, key), depth + 1);
    }
    return out;
  };
  const result = walk(value, path, 0);
  return { value: result, pruned };
}
