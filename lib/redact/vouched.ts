/**
 * Texts the capture path has already redacted, so the final span pass (lib/redact/redact-span.ts)
 * does not scan captured content a second time: a captured 8 KB request costs one redaction, not
 * two. A text is vouched for by the Redactor that produced it and taken (once) by the final pass
 * when the same Redactor is in force. Bounded in entries and characters; the oldest go first, and
 * a text that is no longer vouched for is simply redacted again.
 */
import type { Redactor } from './redactor.js';

/** Texts shorter than this are not vouched for: the final pass caches short texts instead. */
export const MIN_VOUCHED_CHARS = 257;
const MAX_ENTRIES = 256;
const MAX_CHARS = 4 * 1024 * 1024;

const vouched = new Map<string, Redactor>();
let chars = 0;

/** Records that `text` is the output of `redactor` (captured content, already redacted). */
export function vouch(text: string, redactor: Redactor): void {
  if (text.length < MIN_VOUCHED_CHARS || text.length > MAX_CHARS) return;
  if (vouched.has(text)) return;
  while (vouched.size >= MAX_ENTRIES || chars + text.length > MAX_CHARS) {
    const oldest = vouched.keys().next().value as string;
    vouched.delete(oldest);
    chars -= oldest.length;
  }
  vouched.set(text, redactor);
  chars += text.length;
}

/** Whether `text` was vouched for by `redactor`; the vouch is used up either way. */
export function takeVouched(text: string, redactor: Redactor): boolean {
  const by = vouched.get(text);
  if (by === undefined) return false;
  vouched.delete(text);
  chars -= text.length;
  return by === redactor;
}
