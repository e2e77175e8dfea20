/**
 * WindowSummary: the aggregated figures of one (function, model) group over one time window. This
 * is what the aggregator logs (`LLM_AGGREGATED_METRICS`), what the JSON file store keeps, and what
 * the CLI and dashboard read and merge.
 */
import type { SerializedDistribution } from './distribution.js';

/** Aggregated figures of one (function, model) group over one window. */
export interface WindowSummary {
  /** Window start, epoch ms. */
  windowStart: number;
  /** Window end, epoch ms. */
  windowEnd: number;
  /** `llmtrace.function` of the spans (the traced function's or span's name). */
  function: string;
  /** The model as the query layer counts it (`callModelOf`: requested, unless answered by another model), or 'unknown'. */
  model: string;
  /**
   * True when the group's spans are model calls (kind `llm` or `embedding`, not made of the model
   * calls below them); false for the other kinds counted (tools, chains, agents, ...), which count
   * per function but not per model. Absent in summaries written before it existed (see
   * `summarisesModelCalls`).
   */
  modelCalls?: boolean;
  /** Calls that reached the model (cache hits excluded). */
  callCount: number;
  successCount: number;
  failureCount: number;
  /** successCount / callCount, 0..1 (1 when callCount is 0). */
  successRate: number;
  /** Calls answered from the user's own cache (`llmtrace.cached: true`); not in latency or cost. */
  cacheHits: number;
  /** Calls marked `llmtrace.cached: false`. */
  cacheMisses: number;
  /** Latency of model calls, ms. All null when callCount is 0. */
  minMs: number | null;
  avgMs: number | null;
  maxMs: number | null;
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
  /** Time to first token of streamed calls, ms (null when none streamed). */
  ttftP50Ms: number | null;
  ttftP90Ms: number | null;
  /** Error type -> count. */
  errorTypes: Record<string, number>;
  inputTokens: number;
  outputTokens: number;
  /** Sum of known costs, USD. */
  costUsd: number;
  /** Calls whose cost is unknown (unpriced model), so `costUsd` is a lower bound when > 0. */
  unpricedCalls: number;
  /**
   * The latencies themselves (raw values while few, else a DDSketch), so `mergeSummaries` computes
   * percentiles over several windows correctly. Absent when callCount is 0. Not written to the log line.
   */
  latencyDistribution?: SerializedDistribution;
  /** The same for time to first token; absent when no call streamed. Not written to the log line. */
  ttftDistribution?: SerializedDistribution;
}

/**
 * @internal Whether `summary` is of model calls (counted by model): its `modelCalls`, or, in a
 * summary written before that field, whether its model is known (tools and chains had `unknown`).
 */
export function summarisesModelCalls(summary: WindowSummary): boolean {
  return summary.modelCalls ?? summary.model !== 'unknown';
}
