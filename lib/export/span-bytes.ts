/**
 * A cheap estimate of a span's size once serialised, used to bound exporter queues in bytes. It
 * walks the (flat) attributes, events and error once, counting string lengths and a fixed cost for
 * everything else, without building any JSON: its cost is in proportion to the number of
 * attributes, not to the size of their values (a long string costs one `length` read).
 */
import type { AttributeValue, Span } from '../span.js';

/** What the fixed fields of a span (ids, name, times, status, scopes) cost, roughly. */
const SPAN_OVERHEAD_BYTES = 400;

/** Cost of a number, boolean or null, and of the quotes and separators around a value. */
const SCALAR_BYTES = 12;

/** Array items counted one by one; longer arrays are extrapolated from these. */
const COUNTED_ITEMS = 64;

function valueBytes(value: AttributeValue | unknown): number {
  if (typeof value === 'string') return value.length + 3;
  if (Array.isArray(value)) {
    const counted = Math.min(value.length, COUNTED_ITEMS);
    let bytes = 0;
    for (let i = 0; i < counted; i++) bytes += valueBytes(value[i]);
    return counted === 0 ? 2 : Math.ceil((bytes / counted) * value.length) + 2;
  }
  return SCALAR_BYTES;
}

function recordBytes(record: object): number {
  let bytes = 2;
  for (const key in record) bytes += key.length + 3 + valueBytes((record as Record<string, unknown>)[key]);
  return bytes;
}

/** Approximate UTF-16 length of `span`'s JSON form. Never throws. */
export function estimateSpanBytes(span: Span): number {
  try {
    let bytes = SPAN_OVERHEAD_BYTES + span.name.length + recordBytes(span.attributes);
    for (const event of span.events) bytes += SPAN_OVERHEAD_BYTES / 4 + event.name.length + recordBytes(event.attributes);
    if (span.error) bytes += recordBytes(span.error);
    return bytes;
  } catch {
    return SPAN_OVERHEAD_BYTES;
  }
}
