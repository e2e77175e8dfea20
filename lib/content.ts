/**
 * Content capture: what of a call's arguments and result goes onto its span. `off` records nothing,
 * `metadata` only sizes, `full` the redacted JSON text, capped in bytes (UTF-8 safe).
 */
import { CONTENT_SIZE_LIMITS, jsonSize } from './json-size.js';
import { redactWithin, type Redactor } from './redact.js';
import { vouch } from './redact/vouched.js';

/** How much of a call's request and response a span keeps. */
export type CaptureMode = 'off' | 'metadata' | 'full';

/** Default cap on captured request or response text, in bytes. */
export const DEFAULT_MAX_CONTENT_BYTES = 8 * 1024;

/** A captured value: its size, and in `full` mode its (redacted, capped) JSON text. */
export interface CapturedContent {
  /** UTF-8 size of the JSON form before capping (exact unless the value is large, then sampled: see lib/json-size.ts). */
  bytes: number;
  /** The redacted JSON text, cut to the cap (`full` mode only). */
  text?: string;
  /** True when `text` was cut. */
  truncated: boolean;
}

/** Array items a `full` capture copies before cutting the text (a response's first items are what a reader wants). */
const CAPTURED_ARRAY_ITEMS = 64;

/**
 * JSON text of `value` with secrets masked (`path` names the root for a user mask), copying only
 * what a `maxBytes` cut can show: strings beyond `maxBytes` characters and arrays beyond 64 items are
 * cut first, so a multi-megabyte response costs no more than a small one. Never throws.
 */
export function toRedactedJson(value: unknown, redactor: Redactor, path: string, maxBytes: number): { json: string; pruned: boolean } {
  try {
    const { value: copy, pruned } = redactWithin(value, redactor, path, {
      maxArrayItems: CAPTURED_ARRAY_ITEMS,
      maxStringChars: maxBytes,
    });
    return { json: JSON.stringify(copy) ?? '', pruned };
  } catch {
    return { json: '', pruned: false };
  }
}

/** Cuts `text` to at most `maxBytes` UTF-8 bytes without splitting a character. */
export function capUtf8(text: string, maxBytes: number): { text: string; truncated: boolean } {
  if (text.length <= maxBytes / 3) return { text, truncated: false };
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= maxBytes) return { text, truncated: false };
  let end = maxBytes;
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--; // back off a continuation byte
  return { text: buf.subarray(0, end).toString('utf8'), truncated: true };
}

/**
 * Captures `value` in `mode`, redacted with `redactor` (`path` is `request` or `response`);
 * undefined for `off`.
 */
export function captureContent(
  value: unknown,
  mode: CaptureMode,
  maxBytes: number,
  redactor: Redactor,
  path: string,
): CapturedContent | undefined {
  if (mode === 'off') return undefined;
  // Sizes come from jsonSize with content limits: exact for small values, estimated from a few
  // hundred reads for large ones, so a 1 MB prompt costs what a 100 B one does (benchmarks/realistic-call.ts;
  // a 3 MB response would cost ~37 ms to stringify).
  const size = jsonSize(value, CONTENT_SIZE_LIMITS);
  if (mode === 'metadata') return size === undefined ? undefined : { bytes: size.bytes, truncated: false };
  const { json, pruned } = toRedactedJson(value, redactor, path, maxBytes);
  const capped = capUtf8(json, maxBytes);
  vouch(capped.text, redactor); // already redacted: the final span pass need not scan it again
  return { bytes: size?.bytes ?? Buffer.byteLength(json, 'utf8'), text: capped.text, truncated: capped.truncated || pruned };
}
