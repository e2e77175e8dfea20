/** How the page writes numbers and times (one way everywhere). */

/** Milliseconds as `850 ms`, `1.24 s`, `2m 05s`; `-` for null. */
export function ms(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  if (value < 1_000) return `${Math.round(value)} ms`;
  if (value < 60_000) return `${(value / 1_000).toFixed(2)} s`;
  const s = Math.round(value / 1_000);
  return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}

/**
 * USD with enough digits for per-call costs; `-` for null. As the CLI writes a sum over calls
 * (`formatUsd`): `?` when none of them was priced, a `+` after it when some were not (a lower bound).
 * @param unpriced calls left out of `value` because their model has no price. @default 0
 */
export function usd(value: number | null | undefined, unpriced = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  if (value === 0 && unpriced > 0) return '?';
  const text = value >= 1 ? `$${value.toFixed(2)}` : `$${value.toFixed(value >= 0.01 ? 4 : 6)}`;
  return unpriced > 0 ? `${text}+` : text;
}

/** A count with thousands separators. */
export function count(value: number | null | undefined): string {
  return value === null || value === undefined ? '-' : Math.round(value).toLocaleString('en-US');
}

/** A 0..1 rate as a percentage. */
export function percent(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '-' : `${(value * 100).toFixed(1)}%`;
}

/** Epoch ms as local date and time. */
export function time(value: number): string {
  const d = new Date(value);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Any attribute value as text. */
export function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
