/**
 * The final redaction pass: every finished span crosses it once, before the store hands it to any
 * sink (subscribers, the JSON file store, session files, OTLP, logs). It masks what reached the span
 * by any path other than content capture: attributes and events set by users, hooks and adapters
 * (values under secret-looking keys, and secrets inside string values), event names, the span name
 * and the error message. Captured content was redacted when it was captured (before its byte cut)
 * and is not scanned again (lib/redact/vouched.ts).
 *
 * Cheap when there is nothing to redact: numbers and booleans are only looked at under secret keys;
 * short strings are decided once and cached (a span's model, function and operation names repeat on
 * every call); key decisions are cached (lib/redact/secret-keys.ts). benchmarks/traced-overhead.ts
 * measures the hot path with it.
 */
import { reportInternalError } from '../internal/diagnostics.js';
import { maskSecrets, type Redactor } from './redactor.js';
import type { AttributeValue, Attributes, Span, SpanEvent } from '../span.js';
import { isSecretKey } from './secret-keys.js';
import { REDACTED } from './secret-patterns.js';
import { MIN_VOUCHED_CHARS, takeVouched } from './vouched.js';

/** Short texts whose redaction is cached (per Redactor; cleared when full). */
const MAX_CACHED = 2048;
let cacheOwner: Redactor | undefined;
let cache = new Map<string, string>();

function redactString(text: string, redactor: Redactor): string {
  if (text.length < MIN_VOUCHED_CHARS) {
    if (cacheOwner !== redactor) {
      cacheOwner = redactor;
      cache = new Map();
    }
    let out = cache.get(text);
    if (out === undefined) {
      out = maskSecrets(text, redactor);
      if (cache.size >= MAX_CACHED) cache.clear();
      cache.set(text, out);
    }
    return out;
  }
  return takeVouched(text, redactor) ? text : maskSecrets(text, redactor);
}

function redactAttribute(key: string, value: AttributeValue, redactor: Redactor): AttributeValue {
  if (value === null) return value;
  if (isSecretKey(key)) return REDACTED;
  if (typeof value === 'string') return redactString(value, redactor);
  if (!Array.isArray(value) || value.length === 0 || typeof value[0] !== 'string') return value;
  let out: string[] | undefined;
  const items = value as readonly string[];
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const next = typeof item === 'string' ? redactString(item, redactor) : item;
    if (next !== item) (out ??= items.slice())[i] = next;
  }
  return out ?? value;
}

/** `attributes` redacted: the same object when nothing changed, else a copy (events' objects may be the user's). */
function redactedCopy(attributes: Attributes, redactor: Redactor): Attributes {
  let out: Attributes | undefined;
  for (const key in attributes) {
    const value = attributes[key]!;
    const next = redactAttribute(key, value, redactor);
    if (next !== value) (out ??= { ...attributes })[key] = next;
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
    const attributes = span.attributes;
    for (const key in attributes) {
      const value = attributes[key]!;
      const next = redactAttribute(key, value, redactor);
      if (next !== value) attributes[key] = next;
    }
    if (span.events.length > 0) span.events = redactEvents(span.events, redactor);
    if (span.error) {
      const message = redactString(span.error.message, redactor);
      if (message !== span.error.message) span.error = { type: span.error.type, message };
    }
    const name = redactString(span.name, redactor);
    // The name is read-only for users; a secret in it (`withSpan(\`fetch ${url}\`)`) is masked here.
    if (name !== span.name) (span as { name: string }).name = name;
  } catch (error) {
    reportInternalError('redact.span', error);
  }
}
