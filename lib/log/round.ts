/**
 * Rounding for log lines, so a person reads `274.1` and `0.0054`, not `274.13849999` and
 * `0.005399999999999999`. Stored figures (summaries in the file store, span attributes) are not
 * rounded; only what is logged is.
 */

/** Milliseconds to 0.1 ms. */
export function roundMs(ms: number): number;
export function roundMs(ms: number | null): number | null;
export function roundMs(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms * 10) / 10;
}

/** Seconds to 0.1 ms (four decimals). */
export function roundSeconds(seconds: number): number {
  return Math.round(seconds * 10_000) / 10_000;
}

/** US dollars to 6 significant digits (0.005399999999999999 -> 0.0054). */
export function roundUsd(usd: number): number;
export function roundUsd(usd: number | null): number | null;
export function roundUsd(usd: number | null): number | null {
  return usd === null || usd === 0 || !Number.isFinite(usd) ? usd : Number(usd.toPrecision(6));
}

/** A 0..1 rate to 4 decimals. */
export function roundRate(rate: number): number {
  return Math.round(rate * 10_000) / 10_000;
}

/** A latency for people: `274 ms`, `8.4 ms`, `12.3 s`. */
export function humanMs(ms: number | null): string {
  if (ms === null) return '-';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  return ms >= 10 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`;
}

/** Dollars for people, 3 significant digits: `$0.0123`, `$12.3`, `$0`. */
export function humanUsd(usd: number): string {
  return usd === 0 ? '$0' : `$${Number(usd.toPrecision(3))}`;
}
