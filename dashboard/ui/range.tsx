/** The time range picker shared by the overview, traces and models pages. */

/** The ranges offered, by their route value. */
export const RANGES: Readonly<Record<string, { label: string; ms: number }>> = {
  '15m': { label: 'last 15 minutes', ms: 15 * 60_000 },
  '1h': { label: 'last hour', ms: 60 * 60_000 },
  '6h': { label: 'last 6 hours', ms: 6 * 3_600_000 },
  '24h': { label: 'last 24 hours', ms: 24 * 3_600_000 },
  '7d': { label: 'last 7 days', ms: 7 * 86_400_000 },
  '30d': { label: 'last 30 days', ms: 30 * 86_400_000 },
};

/** Route value of the default range. */
export const DEFAULT_RANGE = '1h';

/** The [from, to) a route value names, ending now (`to` rounded up to the second, so it is stable for a second). */
export function rangeOf(value: string | null, now = Date.now()): { from: number; to: number } {
  const range = RANGES[value ?? DEFAULT_RANGE] ?? RANGES[DEFAULT_RANGE]!;
  const to = Math.ceil(now / 1_000) * 1_000 + 1;
  return { from: to - range.ms, to };
}

/** A labelled select of RANGES. */
export function RangeSelect(props: { value: string | null; onChange: (value: string) => void }) {
  return (
    <label>
      Time range{' '}
      <select value={props.value ?? DEFAULT_RANGE} onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value)}>
        {Object.entries(RANGES).map(([value, r]) => (
          <option key={value} value={value}>
            {r.label}
          </option>
        ))}
      </select>
    </label>
  );
}
