/**
 * W3C trace-context identifiers: 16-byte trace ids and 8-byte span ids as lowercase hex, so spans
 * export to OpenTelemetry with no conversion.
 *
 * Ids are cut from a pool of hex text: `crypto.randomFillSync` fills 4 KiB of random bytes, which
 * are hex-encoded in one call, and each id is a substring of that text. One syscall and one encoding
 * per ~170 root spans, and a substring per id instead of a native encode call per id: ~75 instead of
 * ~200 ns per trace id + span id pair (benchmarks/traced-overhead.ts). The substrings share the pool
 * text, so live ids keep at most the pools they came from (8 KiB of text each) alive.
 */
import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let hexPool = '';
let offset = 0;

function randomHex(chars: number): string {
  if (offset + chars > hexPool.length) {
    randomFillSync(pool);
    hexPool = pool.toString('hex');
    offset = 0;
  }
  const hex = hexPool.substring(offset, offset + chars);
  offset += chars;
  return hex;
}

const ALL_ZERO = /^0+$/;
// Generated ids are compared with these instead of testing ALL_ZERO: a string compare is cheaper
// than a regex run on every call (benchmarks/traced-overhead.ts).
const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_SPAN_ID = '0'.repeat(16);

/** A new random 32-hex-digit trace id (never all zeros, which W3C reserves as invalid). */
export function newTraceId(): string {
  let id = randomHex(32);
  while (id === ZERO_TRACE_ID) id = randomHex(32);
  return id;
}

/** A new random 16-hex-digit span id (never all zeros). */
export function newSpanId(): string {
  let id = randomHex(16);
  while (id === ZERO_SPAN_ID) id = randomHex(16);
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
