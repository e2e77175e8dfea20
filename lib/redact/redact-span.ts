/**
 * The final redaction pass: every finished span crosses it once, before the store hands it to any
 * sink (subscribers, the JSON file store, session files, OTLP, logs). It masks what reached the span
 * by any path other than content capture: attributes and events set by users, hooks and adapters
 * (values under secret-looking keys, and secrets inside string values, every element of an array
 * and every string inside an object-valued one), event names, the span name and the error message.
 * Captured content was redacted when it was captured (before its byte cut) and is not scanned again
 * (lib/redact/vouched.ts).
 *
 * Cheap when there is nothing to redact: numbers and booleans are only looked at under secret keys,
 * arrays are scanned once, only an object (rare: the attribute type has none) is deep-copied;
 * an attribute's value is decided once per key while it repeats (a span's model and operation names
 * repeat on every call), short span, event and error names once per text; key decisions are cached (lib/redact/secret-keys.ts). benchmarks/traced-overhead.ts
 * measures the hot path with it.
 */
import { reportInternalError } from '../internal/diagnostics.js';
import { cutForRedaction, maskSecrets, type Redactor } from './redactor.js';
import type { AttributeValue, Attributes, Span, SpanEvent } from '../span.js';
import { isSecretKey } from './secret-keys.js';
import { REDACTED } from './secret-patterns.js';
import { MIN_VOUCHED_CHARS, takeVouched } from './vouched.js';
import { walkRedacting } from './walk.js';

/**
 * Longest string value kept whole, in characters. A longer one (a 50 MB attribute) is cut before it
 * is redacted, so the pass costs the same whatever a user puts on a span; the cut drops the partial
 * word at the end (it may be a secret's head) and ends with `…`. Captured content is already capped.
 */
export const MAX_ATTRIBUTE_CHARS = 64 * 1024;

/** Short texts whose redaction is cached (per Redactor; cleared when full). */
const MAX_CACHED = 2048;
let cacheOwner: Redactor | undefined;
let cache = new Map<string, string>();

/**
 * Per attribute key: whether it is secret, and the last short value seen under it with its redacted
 * form. A span's attributes mostly repeat the previous span's under the same keys, so one lookup
 * decides an attribute (benchmarks/traced-overhead.ts).
 */
interface KeyMemo {
  readonly secret: boolean;
  /** The key itself, masked: not the key when it holds a secret (`span.setAttribute(apiKey, 1)`). */
  readonly name: string;
  value: string | undefined;
  out: string | undefined;
}
let memo = new Map<string, KeyMemo>();

/** Drops the caches when the Redactor in force changed (a `configure({ redaction })`). */
function useRedactor(redactor: Redactor): void {
  if (cacheOwner === redactor) return;
  cacheOwner = redactor;
  cache = new Map();
  memo = new Map();
}

function redactString(text: string, redactor: Redactor): string {
  if (text.length < MIN_VOUCHED_CHARS) {
    let out = cache.get(text);
    if (out === undefined) {
      out = maskSecrets(text, redactor);
      if (cache.size >= MAX_CACHED) cache.clear();
      cache.set(text, out);
    }
    return out;
  }
  if (takeVouched(text, redactor)) return text;
  if (text.length <= MAX_ATTRIBUTE_CHARS) return maskSecrets(text, redactor);
  return `${maskSecrets(cutForRedaction(text, MAX_ATTRIBUTE_CHARS), redactor)}…`;
}

function memoOf(key: string, redactor: Redactor): KeyMemo {
  let known = memo.get(key);
  if (known === undefined) {
    known = { secret: isSecretKey(key), name: maskSecrets(key, redactor), value: undefined, out: undefined };
    if (memo.size >= MAX_CACHED) memo.clear();
    memo.set(key, known);
  }
  return known;
}

function redactAttribute(known: KeyMemo, value: AttributeValue, redactor: Redactor): AttributeValue {
  if (value === null) return value;
  if (known.secret) return REDACTED;
  if (typeof value === 'string') {
    if (known.value === value) return known.out!;
    // Not through the short-text cache: values that change every call (a response id) would churn it;
    // a short text that cannot hold a default secret costs one gated test (applyPatterns in maskPatterns).
    const out = value.length < MIN_VOUCHED_CHARS ? maskSecrets(value, redactor) : redactString(value, redactor);
    if (value.length < MIN_VOUCHED_CHARS) {
      known.value = value;
      known.out = out;
    }
    return out;
  }
  if (typeof value !== 'object') return value;
  // The type allows flat arrays only; JavaScript callers and casts put anything on a span.
  const structured: object = value;
  return (Array.isArray(structured) ? redactArray(structured, redactor) : redactStructured(structured, redactor)) as AttributeValue;
}

/**
 * An array attribute with every string element redacted: the same array when nothing changed. One
 * that holds an object or array (header tuples, `[{ authorization }]`) is walked whole.
 */
function redactArray(items: readonly unknown[], redactor: Redactor): unknown {
  let out: unknown[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (typeof item === 'object' && item !== null) return redactStructured(items, redactor);
    const next = typeof item === 'string' ? redactString(item, redactor) : item;
    if (next !== item) (out ??= items.slice())[i] = next;
  }
  return out ?? items;
}

/**
 * A redacted deep copy of an object-valued attribute (lib/redact/walk.ts): values under secret keys
 * replaced, every string through the patterns, cycles cut.
 */
function redactStructured(value: object, redactor: Redactor): unknown {
  return walkRedacting(value, redactor, '', undefined, (text) => redactString(text, redactor)).value;
}

/** `attributes` redacted: the same object when nothing changed, else a copy (events' objects may be the user's). */
function redactedCopy(attributes: Attributes, redactor: Redactor): Attributes {
  let out: Attributes | undefined;
  for (const key in attributes) {
    const value = attributes[key]!;
    const known = memoOf(key, redactor);
    const next = redactAttribute(known, value, redactor);
    if (known.name !== key) {
      out ??= { ...attributes };
      delete out[key];
      out[known.name] = next;
    } else if (next !== value) (out ??= { ...attributes })[key] = next;
  }
  return out ?? attributes;
}

function redactEvents(events: readonly SpanEvent[], redactor: Redactor): readonly SpanEvent[] {
  let out: SpanEvent[] | undefined;
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    const name = redactString(event.name, redactor);
    const attributes = redactedCopy(event.attributes, redactor);
    if (name !== event.name || attributes !== event.attributes) (out ??= events.slice())[i] = { name, time: event.time, attributes };
  }
  return out ?? events;
}

/**
 * Redacts a finished span in place, before any sink sees it: its own attributes object is updated
 * (it is llmtrace's), events that change are replaced by copies (their attribute objects may be the
 * caller's). Never throws.
 */
export function redactSpan(span: Span, redactor: Redactor): void {
  try {
    useRedactor(redactor);
    const attributes = span.attributes;
    for (const key in attributes) {
      const value = attributes[key]!;
      const known = memoOf(key, redactor);
      const next = redactAttribute(known, value, redactor);
      if (known.name !== key) {
        // A secret used as a name: the attribute is kept under the masked name.
        delete attributes[key];
        attributes[known.name] = next;
      } else if (next !== value) attributes[key] = next;
    }
    if (span.events.length > 0) span.events = redactEvents(span.events, redactor);
    if (span.error) {
      const type = redactString(span.error.type, redactor);
      const message = redactString(span.error.message, redactor);
      if (type !== span.error.type || message !== span.error.message) span.error = { type, message };
    }
    const name = redactString(span.name, redactor);
    // The name is read-only for users; a secret in it (`withSpan(\`fetch ${url}\`)`) is masked here.
    if (name !== span.name) (span as { name: string }).name = name;
  } catch (error) {
    reportInternalError('redact.span', error);
  }
}
