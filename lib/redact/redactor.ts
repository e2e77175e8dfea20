/**
 * The compiled redaction every capture, error and span pass receives (`Redactor`), the default one,
 * and the two text operations that use no user code: masking the patterns (and the PII preset), and
 * cutting a text for redaction without keeping a secret's head. A leaf apart from the pattern
 * modules, so the logger can redact without importing the rest of redaction.
 */
import { maskPii } from './pii.js';
import { DEFAULT_SECRET_PATTERNS, maskPatterns } from './secret-patterns.js';

/**
 * A user mask: receives every captured string (after the secret patterns ran) and the path it was
 * found at, and returns what to keep. Paths are dotted: `request.0.messages.1.content`,
 * `response.choices.0.message.content`, `error.message`. A mask that throws makes the whole string
 * `[REDACTED]` (fail closed) and is reported once.
 */
export type MaskFunction = (value: string, path: string) => string;

/** A compiled redaction: the patterns to apply, in order, whether PII is masked, and the user's mask. */
export interface Redactor {
  readonly patterns: readonly RegExp[];
  readonly pii: boolean;
  readonly mask: MaskFunction | undefined;
}

/** The redaction in force when nothing is configured: the default patterns, no PII preset, no mask. */
export const DEFAULT_REDACTOR: Redactor = Object.freeze({ patterns: DEFAULT_SECRET_PATTERNS, pii: false, mask: undefined });

/**
 * Masks the redactor's patterns (and PII when on) in `text`, without the user mask: what
 * the final span pass applies to attributes and events.
 */
export function maskSecrets(text: string, redactor: Redactor): string {
  const out = maskPatterns(text, redactor.patterns);
  return redactor.pii ? maskPii(out) : out;
}

/**
 * Cuts `text` to about `maxChars` for redaction, dropping the partial word at the cut
 * (it may be the head of a secret whose pattern needs the rest), so what survives a later cut of
 * the redacted text holds no fragment of a secret. Text up to `maxChars` is returned whole.
 */
export function cutForRedaction(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const head = text.slice(0, maxChars);
  return head.replace(/[^\s"'<>,;()[\]{}]+$/, '');
}

