/**
 * W3C `tracestate` (https://www.w3.org/TR/trace-context/#tracestate-header): the vendor-specific
 * list that travels next to `traceparent`. llmtrace never reads or changes its members: it
 * validates an incoming header, keeps it on the continued span (children inherit it) and writes it
 * back out. An invalid header is dropped whole, never thrown.
 */

/** Most list members a valid `tracestate` holds (W3C Trace Context). */
export const MAX_TRACESTATE_MEMBERS = 32;

// key = simple-key / multi-tenant-key (lowercase; `tenant@system`), at most 256 characters.
const KEY = /^(?:[a-z][a-z0-9_\-*/]{0,255}|[a-z0-9][a-z0-9_\-*/]{0,240}@[a-z][a-z0-9_\-*/]{0,13})$/;
// value = 0*255(chr) nblk-chr: printable ASCII except `,` and `=`, not ending in a space.
const VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;
// OWS around list members: spaces and horizontal tabs.
const OWS = /^[ \t]+|[ \t]+$/g;

/**
 * Parses and validates a `tracestate` header (several header lines may be passed as an array; they
 * are one list). Returns the list with optional whitespace and empty members removed (the spec
 * allows both), or undefined when it is absent, empty or invalid: more than 32 members, a key or
 * value outside the spec's grammar, or a key listed twice.
 * @example
 * parseTracestate('congo=t61rcWkgMzE, rojo=00f067aa0ba902b7'); // 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7'
 */
export function parseTracestate(header: string | readonly string[] | undefined | null): string | undefined {
  const joined = Array.isArray(header) ? header.join(',') : header;
  if (typeof joined !== 'string') return undefined;
  const members: string[] = [];
  const keys = new Set<string>();
  for (const raw of joined.split(',')) {
    const member = raw.replace(OWS, '');
    if (member === '') continue;
    const eq = member.indexOf('=');
    if (eq <= 0) return undefined;
    const key = member.slice(0, eq);
    if (!KEY.test(key) || !VALUE.test(member.slice(eq + 1)) || keys.has(key)) return undefined;
    keys.add(key);
    members.push(member);
    if (members.length > MAX_TRACESTATE_MEMBERS) return undefined;
  }
  return members.length === 0 ? undefined : members.join(',');
}
