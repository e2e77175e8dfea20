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
import { cutForRedaction, DEFAULT_REDACTOR, maskSecrets, type MaskFunction, type Redactor } from './redact/redactor.js';
import { SECRET_KEY } from './redact/secret-keys.js';
import { DEFAULT_SECRET_PATTERNS, REDACTED } from './redact/secret-patterns.js';
import { walkRedacting, type CaptureLimits } from './redact/walk.js';
import { checkOptions } from './internal/option-schemas.js';

export { cutForRedaction, DEFAULT_REDACTOR, DEFAULT_SECRET_PATTERNS, maskSecrets, REDACTED, SECRET_KEY };
export type { CaptureLimits, MaskFunction, Redactor };

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

const REDACTION_KEYS = ['patterns', 'pii', 'mask'];

/**
 * Compiles redaction options (defaults plus the user's patterns, PII preset and mask). Throws a
 * TypeError naming the option when one is invalid or unknown.
 * @example
 * configure({ redaction: { pii: true, patterns: [/\bEMP-\d{6}\b/g], mask: (v, path) => (path.endsWith('.ssn') ? '***' : v) } });
 */
export function createRedactor(options: RedactionOptions = {}): Redactor {
  checkOptions('createRedactor', options);
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

/**
 * A redacted deep copy of `value`: strings have secrets masked, values under secret keys are
 * replaced by `[REDACTED]`, cycles become `[Circular]`, functions are dropped. `path` names the
 * root for the mask (`request`, `response`).
 */
export function redactValue(value: unknown, redactor: Redactor = DEFAULT_REDACTOR, path = ''): unknown {
  return redactWithin(value, redactor, path, undefined).value;
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
  return walkRedacting(value, redactor, path, limits, (text, at) => redactText(text, redactor, at));
}
