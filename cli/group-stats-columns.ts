/**
 * The columns of a per-group statistics row (`GroupStats`), as `stats` prints them and `report`
 * tabulates them: one definition, so the two agree on what each figure is and how it is shown.
 */
import type { GroupStats } from '../lib/query/wire-types.js';
import { formatCount, formatMs, formatPercent, formatUsd } from './output.js';

/** The headers and cells of `rows`, grouped under `by`. A `cache hits` column is added when a row has any. */
export function groupStatsColumns(rows: readonly GroupStats[], by: string): { headers: string[]; cells: string[][] } {
  const cacheHits = rows.some((r) => r.cacheHits > 0);
  const headers = [by, 'calls', ...(cacheHits ? ['cache hits'] : []), 'ok', 'p50', 'p90', 'p99', 'ttft p50', 'tok in', 'tok out', 'cost'];
  const cells = rows.map((r) => [
    r.key,
    formatCount(r.calls),
    ...(cacheHits ? [formatCount(r.cacheHits)] : []),
    r.calls === 0 ? '-' : formatPercent(r.successRate), // only cache hits: no call reached a model
    formatMs(r.p50Ms),
    formatMs(r.p90Ms),
    formatMs(r.p99Ms),
    formatMs(r.ttftP50Ms),
    formatCount(r.inputTokens),
    formatCount(r.outputTokens),
    formatUsd(r.costUsd, r.unpricedCalls),
  ]);
  return { headers, cells };
}
