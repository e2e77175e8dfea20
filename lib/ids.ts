/**
 * W3C trace-context identifiers: 16-byte trace ids and 8-byte span ids as lowercase hex, so spans
 * export to OpenTelemetry with no conversion.
 *
 * Ids come from a pooled `crypto.randomFillSync` buffer: one syscall per 512 ids instead of one per
 * id (see benchmarks/traced-overhead.ts for the per-call budget this protects).
 */
import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 8192;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let offset = POOL_BYTES;

function randomHex(bytes: number): string {
  if (offset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return hex;
}

const ALL_ZERO = /^0+$/;
// Generated ids are compared with these instead of testing ALL_ZERO: a string compare is cheaper
// than a regex run on every call (benchmarks/traced-overhead.ts).
const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_SPAN_ID = '0'.repeat(16);

/** A new random 32-hex-digit trace id (never all zeros, which W3C reserves as invalid). */
export function newTraceId(): string {
  let id = randomHex(16);
  while (id === ZERO_TRACE_ID) id = randomHex(16);
  return id;
}

/** A new random 16-hex-digit span id (never all zeros). */
export function newSpanId(): string {
  let id = randomHex(8);
  while (id === ZERO_SPAN_ID) id = randomHex(8);
  return id;
}

/** True when `id` is a valid W3C trace id: 32 lowercase hex digits, not all zeros. */
export function isValidTraceId(id: string): boolean {
  return /^[0-9a-f]{32}$/.test(id) && !ALL_ZERO.test(id);
}

/** True when `id` is a valid W3C span (parent) id: 16 lowercase hex digits, not all zeros. */
export function isValidSpanId(id: string): boolean {
  return /^[0-9a-f]{16}$/.test(id) && !ALL_ZERO.test(id);
}
