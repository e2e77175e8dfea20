/**
 * The `LLM_AGGREGATED_METRICS` line of a window summary: the JSON fields (rounded: ms to 0.1,
 * dollars to 6 significant digits, rates to 4 decimals; window times as ISO strings; no
 * distributions) and the one-line human form pretty output prints
 * (`gpt-4o-mini  openai.chat  120 calls  99.2% ok  p50 274 ms  p90 658 ms  $0.0123`); the same
 * for `LLM_ALERT` / `LLM_ALERT_RESOLVED` lines.
 */
import { HUMAN_LINE } from '../log/log-record.js';
import { humanMs, humanUsd, roundMs, roundRate, roundUsd } from '../log/round.js';
import type { AlertEvent } from './alerts.js';
import type { WindowSummary } from './window-summary.js';

/** The one-line human form of a summary. */
export function summaryHumanLine(s: WindowSummary): string {
  const parts = [s.model, s.function, `${s.callCount} calls`, `${(s.successRate * 100).toFixed(1)}% ok`];
  if (s.callCount > 0) parts.push(`p50 ${humanMs(s.p50Ms)}`, `p90 ${humanMs(s.p90Ms)}`);
  parts.push(s.unpricedCalls > 0 ? `${humanUsd(s.costUsd)} (+${s.unpricedCalls} unpriced)` : humanUsd(s.costUsd));
  const errors = Object.entries(s.errorTypes).sort((a, b) => b[1] - a[1]);
  if (errors.length > 0) parts.push(`errors ${errors.slice(0, 3).map(([type, n]) => `${type} ${n}`).join(', ')}`);
  if (s.cacheHits > 0) parts.push(`${s.cacheHits} cached`);
  return parts.join('  ');
}

/** The fields of a summary's log line (rounded, ISO times, no distributions), with its human form. */
export function summaryLogFields(s: WindowSummary): Record<string | symbol, unknown> {
  const fields: Record<string | symbol, unknown> = {
    windowStart: new Date(s.windowStart).toISOString(),
    windowEnd: new Date(s.windowEnd).toISOString(),
    function: s.function,
    model: s.model,
    ...(s.modelCalls === false ? { modelCalls: false } : {}),
    callCount: s.callCount,
    successCount: s.successCount,
    failureCount: s.failureCount,
    successRate: roundRate(s.successRate),
    cacheHits: s.cacheHits,
    cacheMisses: s.cacheMisses,
    minMs: roundMs(s.minMs),
    avgMs: roundMs(s.avgMs),
    maxMs: roundMs(s.maxMs),
    p50Ms: roundMs(s.p50Ms),
    p90Ms: roundMs(s.p90Ms),
    p99Ms: roundMs(s.p99Ms),
  };
  if (s.ttftP50Ms !== null) fields.ttftP50Ms = roundMs(s.ttftP50Ms);
  if (s.ttftP90Ms !== null) fields.ttftP90Ms = roundMs(s.ttftP90Ms);
  fields.errorTypes = s.errorTypes;
  fields.inputTokens = s.inputTokens;
  fields.outputTokens = s.outputTokens;
  fields.costUsd = roundUsd(s.costUsd);
  fields.unpricedCalls = s.unpricedCalls;
  fields[HUMAN_LINE] = summaryHumanLine(s);
  return fields;
}

/** A metric value for people: ms metrics as latencies, cost in dollars, rates as percentages. */
function humanMetric(metric: string, value: number): string {
  if (metric === 'errorRate') return `${(value * 100).toFixed(1)}%`;
  if (metric === 'costUsd') return humanUsd(value);
  return humanMs(value);
}

/** The fields of an alert's log line (ISO window times, rounded value) with its one-line human form. */
export function alertLogFields(alert: AlertEvent): Record<string | symbol, unknown> {
  const round = alert.metric === 'costUsd' ? roundUsd : alert.metric === 'errorRate' ? roundRate : roundMs;
  const human =
    alert.state === 'firing'
      ? `ALERT ${alert.rule}  ${alert.model}  ${alert.function}  ${alert.metric} ${humanMetric(alert.metric, alert.value)} > ${humanMetric(alert.metric, alert.threshold)}  (${alert.windowsFiring} window${alert.windowsFiring === 1 ? '' : 's'})`
      : `RESOLVED ${alert.rule}  ${alert.model}  ${alert.function}  ${alert.metric} ${humanMetric(alert.metric, alert.value)}`;
  return {
    ...alert,
    value: round(alert.value),
    windowStart: new Date(alert.windowStart).toISOString(),
    windowEnd: new Date(alert.windowEnd).toISOString(),
    [HUMAN_LINE]: human,
  };
}
