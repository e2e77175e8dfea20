/**
 * The span clock: epoch milliseconds with sub-millisecond precision, read from the monotonic clock
 * (`performance.now()`) and kept anchored to the wall clock (`Date.now()`). The monotonic clock
 * alone (`performance.timeOrigin + performance.now()`) drifts from the wall clock: about 1 ms a
 * second on the 2-core benchmark VM, 3.6 s an hour, so the spans of a long-running service would no
 * longer line up with its logs, with other services' spans or with `llmtrace runs --since`. The
 * anchor is checked at most once a second and moved when the clocks differ by more than a
 * millisecond, so timestamps stay within about a millisecond of the wall clock; a duration that
 * spans a correction is off by at most that millisecond (and is never negative). When the wall
 * clock itself jumps (an NTP step, a resumed VM), timestamps follow it within a second, and the
 * spans open at that moment count the jump in their duration. Reading the clock costs a
 * `performance.now()` and a comparison.
 */

/** How often the anchor is compared with the wall clock, in monotonic milliseconds. */
const CHECK_EVERY_MS = 1000;

/** The drift, in milliseconds, past which the anchor is moved (Date.now() itself counts whole milliseconds). */
const MAX_DRIFT_MS = 1;

let origin = performance.timeOrigin;
let nextCheck = 0;

function reanchor(now: number): void {
  nextCheck = now + CHECK_EVERY_MS;
  const drift = Date.now() - (origin + now);
  if (drift > MAX_DRIFT_MS || drift < -MAX_DRIFT_MS) origin += drift;
}

/** @internal Now, as epoch milliseconds on the span clock. */
export function epochNow(): number {
  const now = performance.now();
  if (now >= nextCheck) reanchor(now);
  return origin + now;
}

/** @internal A `performance.now()` reading taken a moment ago, as epoch milliseconds on the span clock. */
export function epochAt(monotonicNow: number): number {
  return origin + monotonicNow;
}
