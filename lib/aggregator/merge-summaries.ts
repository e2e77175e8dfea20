/**
 * Merging window summaries (for the CLI and dashboard: "the last hour" from sixty 1-minute windows).
 * Counts, tokens and cost add up; min/max/avg combine exactly; percentiles are recomputed from the
 * summaries' distributions (raw values or DDSketches), so they keep their accuracy (exact, or within
 * 1%) instead of averaging percentiles, which is wrong. When a summary with calls carries no
 * distribution (written by something else), merged percentiles are null rather than guessed.
 */
import { Distribution } from './distribution.js';
import type { WindowSummary } from './window-summary.js';

/** The `function`/`model` of a merge of summaries that differ in it. */
export const MIXED_GROUP = '*';

function mergeDistributions(
  summaries: readonly WindowSummary[],
  field: 'latencyDistribution' | 'ttftDistribution',
  has: (s: WindowSummary) => boolean,
): Distribution | undefined {
  const merged = new Distribution();
  for (const summary of summaries) {
    if (!has(summary)) continue;
    const part = Distribution.fromJSON(summary[field]);
    if (!part) return undefined;
    merged.merge(part);
  }
  return merged;
}

function same(values: readonly string[]): string {
  return values.every((v) => v === values[0]) ? values[0]! : MIXED_GROUP;
}

/**
 * Merges summaries (of several windows, or several groups) into one. `function` and `model` are
 * kept when all agree, else `'*'`; `modelCalls` is true when every summary is of model calls.
 * @throws TypeError when `summaries` is empty.
 * @example
 * const lastHour = mergeSummaries(summaries.filter((s) => s.windowStart >= Date.now() - 3_600_000));
 */
export function mergeSummaries(summaries: readonly WindowSummary[]): WindowSummary {
  if (!Array.isArray(summaries) || summaries.length === 0) {
    throw new TypeError('llmtrace: mergeSummaries needs a non-empty array of WindowSummary');
  }
  let callCount = 0;
  let successCount = 0;
  let sumMs = 0;
  let minMs = Infinity;
  let maxMs = -Infinity;
  const errorTypes: Record<string, number> = {};
  const out: WindowSummary = {
    windowStart: Infinity,
    windowEnd: -Infinity,
    function: same(summaries.map((s) => s.function)),
    model: same(summaries.map((s) => s.model)),
    modelCalls: summaries.every((s) => s.modelCalls !== false),
    callCount: 0,
    successCount: 0,
    failureCount: 0,
    successRate: 1,
    cacheHits: 0,
    cacheMisses: 0,
    minMs: null,
    avgMs: null,
    maxMs: null,
    p50Ms: null,
    p90Ms: null,
    p99Ms: null,
    ttftP50Ms: null,
    ttftP90Ms: null,
    errorTypes,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    unpricedCalls: 0,
  };
  for (const s of summaries) {
    out.windowStart = Math.min(out.windowStart, s.windowStart);
    out.windowEnd = Math.max(out.windowEnd, s.windowEnd);
    callCount += s.callCount;
    successCount += s.successCount;
    out.failureCount += s.failureCount;
    out.cacheHits += s.cacheHits;
    out.cacheMisses += s.cacheMisses;
    out.inputTokens += s.inputTokens;
    out.outputTokens += s.outputTokens;
    out.costUsd += s.costUsd;
    out.unpricedCalls += s.unpricedCalls;
    for (const [type, n] of Object.entries<number>(s.errorTypes)) errorTypes[type] = (errorTypes[type] ?? 0) + n;
    if (s.callCount > 0) {
      sumMs += (s.avgMs ?? 0) * s.callCount;
      if (s.minMs !== null) minMs = Math.min(minMs, s.minMs);
      if (s.maxMs !== null) maxMs = Math.max(maxMs, s.maxMs);
    }
  }
  out.callCount = callCount;
  out.successCount = successCount;
  out.successRate = callCount === 0 ? 1 : successCount / callCount;
  if (callCount > 0) {
    out.avgMs = sumMs / callCount;
    out.minMs = minMs === Infinity ? null : minMs;
    out.maxMs = maxMs === -Infinity ? null : maxMs;
    const latency = mergeDistributions(summaries, 'latencyDistribution', (s) => s.callCount > 0);
    if (latency && latency.count > 0) {
      out.p50Ms = latency.quantile(0.5);
      out.p90Ms = latency.quantile(0.9);
      out.p99Ms = latency.quantile(0.99);
      out.latencyDistribution = latency.toJSON();
    }
  }
  const ttft = mergeDistributions(summaries, 'ttftDistribution', (s) => s.ttftP50Ms !== null);
  if (ttft && ttft.count > 0) {
    out.ttftP50Ms = ttft.quantile(0.5);
    out.ttftP90Ms = ttft.quantile(0.9);
    out.ttftDistribution = ttft.toJSON();
  }
  return out;
}

/**
 * Merges summaries per (function, model) group: one summary per group, ordered by function then
 * model. Use it to turn many windows into one row per group.
 */
export function mergeSummariesByGroup(summaries: readonly WindowSummary[]): WindowSummary[] {
  const groups = new Map<string, WindowSummary[]>();
  for (const summary of summaries) {
    const key = JSON.stringify([summary.function, summary.model]);
    const group = groups.get(key);
    if (group) group.push(summary);
    else groups.set(key, [summary]);
  }
  return [...groups.values()]
    .map((group) => mergeSummaries(group))
    .sort((a, b) => a.function.localeCompare(b.function) || a.model.localeCompare(b.model));
}
