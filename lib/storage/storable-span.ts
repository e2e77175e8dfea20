/**
 * Making a span storable before it is queued for the disk: its JSON size is measured once (the
 * backlog is bounded in bytes with it), and a span whose attributes JSON cannot hold (a BigInt, a
 * cycle, a throwing `toJSON` or getter, typically from an `attributes` hook) loses only those
 * attributes; a span that still has no JSON form is dropped alone. Either way its batch is kept.
 */
import type { Attributes, SpanData, SpanEvent } from '../span.js';
import { jsonSize } from '../json-size.js';

/** Attribute naming how many attributes the store dropped from a span because JSON could not hold them. */
export const DROPPED_ATTRIBUTES_KEY = 'llmtrace.storage.dropped_attributes';

/** A span record ready for the disk. */
export interface StorableSpan {
  /** The record to write (the span's own data, or a copy without the attributes JSON cannot hold). */
  readonly record: SpanData;
  /** UTF-8 size of its JSON form (estimated for very large values, see lib/json-size.ts). */
  readonly bytes: number;
  /** Attributes removed because JSON could not hold them. */
  readonly droppedAttributes: number;
}

/** Whether JSON can hold `value` (`undefined`, functions and symbols are left out by JSON, not errors). */
export function isJsonable(value: unknown): boolean {
  try {
    JSON.stringify(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * The record `toRecord()` returns, as the store can write it; undefined when it has no JSON form
 * even without its bad attributes, or `toRecord` throws (the caller drops it and counts it). Never throws.
 */
export function storableSpan(toRecord: () => SpanData): StorableSpan | undefined {
  try {
    const record = toRecord();
    const size = jsonSize(record);
    if (size !== undefined) return { record, bytes: size.bytes, droppedAttributes: 0 };
    return repaired(record);
  } catch {
    return undefined;
  }
}

function repaired(record: SpanData): StorableSpan | undefined {
  let dropped = 0;
  const clean = (attributes: Attributes): Attributes => {
    const out: Record<string, Attributes[string]> = {};
    for (const key of Object.keys(attributes)) {
      const value = attributes[key];
      if (isJsonable(value)) out[key] = value!;
      else dropped++;
    }
    return out;
  };
  const attributes = clean(record.attributes);
  const events: SpanEvent[] = record.events.map((event) => ({ ...event, attributes: clean(event.attributes) }));
  if (dropped > 0) attributes[DROPPED_ATTRIBUTES_KEY] = dropped;
  const copy: SpanData = { ...record, attributes, events };
  const size = jsonSize(copy);
  return size === undefined || !isJsonable(copy) ? undefined : { record: copy, bytes: size.bytes, droppedAttributes: dropped };
}
