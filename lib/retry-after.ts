/**
 * How long a rate-limited or overloaded answer asks the client to wait, in every form servers and
 * SDKs use: `retry-after-ms` (milliseconds, sent by OpenAI and Anthropic and read first by their
 * SDKs), `retry-after` as delay-seconds (`120`, fractional ones accepted as the SDKs do) and
 * `retry-after` as an HTTP-date (RFC 9110 §10.2.3), measured from the answer's own `date` header when
 * it has one (so a skewed local clock does not change the delay), else from now. Pure; never throws.
 */

/** Reads one header by (lower-case) name; undefined when absent. */
export type HeaderLookup = (name: string) => string | undefined;

/** A number of seconds or milliseconds as the SDKs accept it: a finite, non-negative decimal. */
const DECIMAL = /^\s*\d+(?:\.\d+)?\s*$/;

/** The shape of the three HTTP-date forms (IMF-fixdate, RFC 850, asctime): they all start with a day name. */
const HTTP_DATE = /^\s*(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s/i;

/**
 * The delay an answer asks for, in seconds (>= 0), or undefined when its headers give none (or
 * only malformed values). An HTTP-date in the past is a delay of 0.
 * @param now the current time in ms since the epoch, used when the answer has no `date` header
 */
export function retryAfterSeconds(header: HeaderLookup, now: number = Date.now()): number | undefined {
  const ms = header('retry-after-ms');
  if (ms !== undefined && DECIMAL.test(ms)) return Number(ms) / 1000;
  const value = header('retry-after');
  if (value === undefined) return undefined;
  if (DECIMAL.test(value)) return Number(value);
  // An HTTP-date names a weekday and month; anything else (`-5`, `soon`) is malformed.
  if (!HTTP_DATE.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  const sent = header('date');
  const from = sent === undefined ? Number.NaN : Date.parse(sent);
  return Math.max(0, (at - (Number.isNaN(from) ? now : from)) / 1000);
}
