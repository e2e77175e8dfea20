/**
 * Time bounds as people type them: a duration back from now (`30m`, `12h`, `7d`, `90s`, `2w`) or an
 * absolute date (`2026-11-24`, `2026-11-24T21:00:00Z`, anything ISO 8601). A date-time without an
 * offset (`2026-11-24T21:00`, or `2026-11-24 21:03:07` as the commands print times) is UTC, as
 * every time llmtrace prints, not the machine's local time `Date.parse` would read it in. A date
 * that is not on the calendar (`2026-02-30`) is an error, not the day `Date.parse` rolls it over to
 * (March 2nd).
 * Pure: `now` is passed in.
 */

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})/;
/** A date and a time of day with no offset (`T` or a space between them). */
const DATE_TIME_WITHOUT_OFFSET = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/;

/**
 * A duration string in milliseconds (`'12h'` -> 43200000), or undefined when it is not one.
 * Units: ms, s, m, h, d, w.
 */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2]!]! : undefined;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** Days in `month` (1-12) of `year`, in the proleptic Gregorian calendar ISO 8601 uses. */
function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : MONTH_DAYS[month - 1]!;
}

/**
 * Epoch ms of a time bound: a duration means "that long before `now`", otherwise an ISO 8601
 * date or date-time (UTC when it has no offset). Throws a RangeError naming the option, the value and the accepted forms, or
 * the calendar when the day does not exist in its month.
 * @example
 * parseTimeBound('12h', Date.now(), '--since') // 12 hours ago
 * parseTimeBound('2026-11-24', Date.now(), '--until')
 */
export function parseTimeBound(text: string, now: number, option = 'time'): number {
  const duration = parseDuration(text);
  if (duration !== undefined) return now - duration;
  const date = ISO_DATE.exec(text.trim());
  if (date) {
    const [, year, month, day] = date.map(Number) as [number, number, number, number];
    if (month >= 1 && month <= 12 && day > daysInMonth(year, month)) {
      throw new RangeError(`llmtrace: ${option} must be a day on the calendar: ${date[1]}-${date[2]} has ${daysInMonth(year, month)} days, got ${JSON.stringify(text)}`);
    }
    const local = DATE_TIME_WITHOUT_OFFSET.exec(text.trim());
    const time = Date.parse(local ? `${local[1]}T${local[2]}Z` : text.trim());
    if (!Number.isNaN(time)) return time;
  }
  throw new RangeError(
    `llmtrace: ${option} must be a duration like 30m, 12h, 7d or an ISO date like 2026-11-24T21:00Z, got ${JSON.stringify(text)}`,
  );
}
