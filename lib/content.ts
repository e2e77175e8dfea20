/**
 * Content capture: what of a call's arguments and result goes onto its span. `off` records nothing,
 * `metadata` only sizes, `full` the redacted JSON text, capped in bytes (UTF-8 safe).
 */
import { redactValue, type Redactor } from './redact.js';

/** How much of a call's request and response a span keeps. */
export type CaptureMode = 'off' | 'metadata' | 'full';

/** Default cap on captured request or response text, in bytes. */
export const DEFAULT_MAX_CONTENT_BYTES = 8 * 1024;

/** A captured value: its size, and in `full` mode its (redacted, capped) JSON text. */
export interface CapturedContent {
  /** UTF-8 size of the JSON form before capping. */
  bytes: number;
  /** The redacted JSON text, cut to the cap (`full` mode only). */
  text?: string;
  /** True when `text` was cut. */
  truncated: boolean;
}

/** JSON text of `value` with secrets masked (`path` names the root for a user mask); never throws. */
export function toRedactedJson(value: unknown, redactor: Redactor, path: string): string {
  try {
    const json = JSON.stringify(redactValue(value, redactor, path));
    return json ?? '';
  } catch {
    return '';
  }
}

/** UTF-8 size of `value`'s JSON form, or undefined when it has none (cycles, BigInt, undefined). */
function jsonBytes(value: unknown): number | undefined {
  try {
    const json = JSON.stringify(value);
    return json === undefined ? undefined : Buffer.byteLength(json, 'utf8');
  } catch {
    return undefined;
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
  if (mode === 'metadata') {
    // Sizes only: nothing is kept, so nothing needs masking; skipping the redacting deep copy is
    // what keeps the default mode cheap (benchmarks/traced-overhead.ts, traced vs monitorLLM).
    const bytes = jsonBytes(value);
    return bytes === undefined ? undefined : { bytes, truncated: false };
  }
  const json = toRedactedJson(value, redactor, path);
  const bytes = Buffer.byteLength(json, 'utf8');
  const capped = capUtf8(json, maxBytes);
  return { bytes, text: capped.text, truncated: capped.truncated };
}
