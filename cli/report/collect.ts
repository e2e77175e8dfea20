/**
 * The figures of a report, gathered in one pass over each input (store directories and session
 * files mixed): per input its counts, errors by type, latency statistics, models, tokens and cost;
 * overall, the values the charts draw. Memory: two numbers per call, whatever the store size.
 */
import { LLMTrace } from '../../lib/attributes.js';
import { DEFAULT_AGGREGATED_KINDS } from '../../lib/aggregator/aggregated-kinds.js';
import { ErrorGrouper, type ErrorGroup } from '../../lib/query/error-groups.js';
import { GroupStatsAccumulator } from '../../lib/query/group-stats.js';
import { quantileSorted } from '../../lib/query/percentiles.js';
import type { QuerySource, SourceProblem } from '../../lib/query/source.js';
import { isModelCall, isOwnFailure, spanModel } from '../../lib/query/span-fields.js';
import { spanMatcher, type SpanFilter } from '../../lib/query/span-filter.js';
import { TraceSummariser } from '../../lib/query/traces.js';
import type { GroupStats } from '../../lib/query/wire-types.js';

/** Latency statistics of a set of calls, ms. */
export interface LatencyStats {
  calls: number;
  avgMs: number | null;
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
}

/** One input's section. */
export interface InputReport {
  label: string;
  path: string;
  kind: QuerySource['kind'];
  spans: number;
  traces: number;
  calls: number;
  errors: number;
  errorRate: number;
  errorTypes: Record<string, number>;
  errorGroups: ErrorGroup[];
  latency: LatencyStats;
  models: GroupStats[];
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  unpricedCalls: number;
  problems: SourceProblem[];
}

/** A call as the charts see it. */
export interface CallPoint {
  input: string;
  model: string;
  /** A model call (`isModelCall`): what the per-model charts show; tools and chains are calls of the time charts only. */
  modelCall: boolean;
  time: number;
  durationMs: number;
  failed: boolean;
}

/** Everything a report shows. */
export interface ReportData {
  generatedAt: number;
  inputs: InputReport[];
  /** Statistics per model over all inputs. */
  byModel: GroupStats[];
  calls: CallPoint[];
}

const CALL_KINDS = new Set<string>(DEFAULT_AGGREGATED_KINDS);

function latencyOf(durations: number[]): LatencyStats {
  const sorted = Float64Array.from(durations).sort();
  const n = sorted.length;
  return {
    calls: n,
    avgMs: n ? sorted.reduce((s, v) => s + v, 0) / n : null,
    p50Ms: quantileSorted(sorted, 0.5),
    p90Ms: quantileSorted(sorted, 0.9),
    p99Ms: quantileSorted(sorted, 0.99),
    maxMs: n ? sorted[n - 1]! : null,
  };
}

/** Reads every source once and gathers the report's figures. */
export async function collectReport(sources: readonly QuerySource[], filter: SpanFilter, now: number): Promise<ReportData> {
  const keep = spanMatcher(filter);
  const overall = new GroupStatsAccumulator('model');
  const calls: CallPoint[] = [];
  const inputs: InputReport[] = [];
  for (const source of sources) {
    const byModel = new GroupStatsAccumulator('model');
    const errors = new ErrorGrouper();
    const traces = new TraceSummariser();
    const durations: number[] = [];
    let spans = 0;
    let failures = 0;
    for await (const span of source.spans(filter)) {
      if (!keep(span)) continue;
      spans++;
      traces.add(span);
      errors.add(span);
      byModel.add(span);
      overall.add(span);
      // Calls: model calls and the tools, chains and agents around them; not a wrapper of a model call.
      if (!CALL_KINDS.has(span.kind) || span.attributes[LLMTrace.MODEL_CALL_IN_CHILDREN] === true) continue;
      durations.push(span.duration);
      if (isOwnFailure(span)) failures++;
      calls.push({ input: source.label, model: spanModel(span) ?? 'unknown', modelCall: isModelCall(span), time: span.endTime, durationMs: span.duration, failed: isOwnFailure(span) });
    }
    const models = byModel.result();
    const errorGroups = errors.groups();
    const errorTypes: Record<string, number> = {};
    for (const g of errorGroups) errorTypes[g.type] = (errorTypes[g.type] ?? 0) + g.count;
    inputs.push({
      label: source.label,
      path: source.path,
      kind: source.kind,
      spans,
      traces: traces.size,
      calls: durations.length,
      errors: failures,
      errorRate: durations.length ? failures / durations.length : 0,
      errorTypes,
      errorGroups,
      latency: latencyOf(durations),
      models,
      inputTokens: models.reduce((s, m) => s + m.inputTokens, 0),
      outputTokens: models.reduce((s, m) => s + m.outputTokens, 0),
      costUsd: models.reduce((s, m) => s + m.costUsd, 0),
      unpricedCalls: models.reduce((s, m) => s + m.unpricedCalls, 0),
      problems: source.problems(),
    });
  }
  return { generatedAt: now, inputs, byModel: overall.result(), calls };
}
