/**
 * GroupWindow: the running figures of one (function, model) group during one window. Adding a span
 * costs a few attribute reads and counter updates; memory is fixed per group (the distributions
 * switch to a sketch beyond EXACT_PERCENTILE_LIMIT values), whatever the number of calls.
 */
import { GenAI, LLMTrace } from '../attributes.js';
import { count } from '../extract/call-result.js';
import type { SpanData } from '../span.js';
import { Distribution } from './distribution.js';
import type { WindowSummary } from './window-summary.js';

/** The fields of a span the aggregator reads (a live Span or its JSON form). */
export type AggregatedSpan = Pick<SpanData, 'name' | 'kind' | 'status' | 'duration' | 'attributes' | 'error'>;

/** Running figures of one group in one window. */
export class GroupWindow {
  readonly latency = new Distribution();
  readonly ttft = new Distribution();
  callCount = 0;
  successCount = 0;
  failureCount = 0;
  cacheHits = 0;
  cacheMisses = 0;
  sumMs = 0;
  readonly errorTypes: Record<string, number> = {};
  inputTokens = 0;
  outputTokens = 0;
  costUsd = 0;
  unpricedCalls = 0;

  /** Adds one finished span. Cache hits are counted apart: not in latency, tokens or cost. */
  add(span: AggregatedSpan): void {
    const a = span.attributes;
    const cached = a[LLMTrace.CACHED];
    if (cached === true) {
      this.cacheHits++;
      return;
    }
    if (cached === false) this.cacheMisses++;
    this.callCount++;
    if (span.status === 'error') {
      this.failureCount++;
      const type = span.error?.type ?? 'unknown';
      this.errorTypes[type] = (this.errorTypes[type] ?? 0) + 1;
    } else {
      this.successCount++;
    }
    this.sumMs += span.duration;
    this.latency.add(span.duration);
    const ttft = a[LLMTrace.TIME_TO_FIRST_TOKEN_MS];
    if (typeof ttft === 'number') this.ttft.add(ttft);
    this.inputTokens += count(a[GenAI.USAGE_INPUT_TOKENS]) ?? 0;
    this.outputTokens += count(a[GenAI.USAGE_OUTPUT_TOKENS]) ?? 0;
    const cost = a[LLMTrace.COST_USD];
    if (cost === null) this.unpricedCalls++;
    else if (typeof cost === 'number' && Number.isFinite(cost)) this.costUsd += cost;
  }

  /** The summary of this group over [windowStart, windowEnd]. */
  summarise(fn: string, model: string, modelCalls: boolean, windowStart: number, windowEnd: number): WindowSummary {
    const calls = this.callCount;
    const summary: WindowSummary = {
      windowStart,
      windowEnd,
      function: fn,
      model,
      modelCalls,
      callCount: calls,
      successCount: this.successCount,
      failureCount: this.failureCount,
      successRate: calls === 0 ? 1 : this.successCount / calls,
      cacheHits: this.cacheHits,
      cacheMisses: this.cacheMisses,
      minMs: this.latency.min,
      avgMs: calls === 0 ? null : this.sumMs / calls,
      maxMs: this.latency.max,
      p50Ms: this.latency.quantile(0.5),
      p90Ms: this.latency.quantile(0.9),
      p99Ms: this.latency.quantile(0.99),
      ttftP50Ms: this.ttft.quantile(0.5),
      ttftP90Ms: this.ttft.quantile(0.9),
      errorTypes: { ...this.errorTypes },
      inputTokens: this.inputTokens,
      outputTokens: this.outputTokens,
      costUsd: this.costUsd,
      unpricedCalls: this.unpricedCalls,
    };
    if (this.latency.count > 0) summary.latencyDistribution = this.latency.toJSON();
    if (this.ttft.count > 0) summary.ttftDistribution = this.ttft.toJSON();
    return summary;
  }
}
