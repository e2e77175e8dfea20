/**
 * The shapes the JSON API answers with, as the page reads them (a local copy: the page is built
 * for the browser and imports nothing from the Node side). See docs/dashboard.md#api.
 */

/** A stored span. */
export interface SpanData {
  id: string;
  traceId: string;
  parentId?: string;
  name: string;
  kind: string;
  startTime: number;
  endTime: number;
  duration: number;
  status: 'running' | 'success' | 'error';
  attributes: Record<string, unknown>;
  events: { name: string; time: number; attributes: Record<string, unknown> }[];
  error?: { type: string; message: string; stack?: string };
}

/** One row of /api/traces. */
export interface TraceSummary {
  traceId: string;
  rootName: string;
  rootKind: string;
  start: number;
  end: number;
  durationMs: number;
  spanCount: number;
  modelCalls: number;
  errors: number;
  models: string[];
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  unpricedCalls: number;
}

/** One row of grouped statistics (the overview's per-model table). */
export interface GroupStats {
  key: string;
  calls: number;
  failures: number;
  successRate: number;
  cacheHits: number;
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
  ttftP50Ms: number | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** /api/overview. */
export interface DashboardData {
  basis: 'spans' | 'summaries';
  from: number;
  to: number;
  summary: {
    requests: number;
    errors: number;
    errorRate: number;
    p50Ms: number | null;
    p90Ms: number | null;
    p99Ms: number | null;
    ttftP50Ms: number | null;
    inputTokens: number;
    outputTokens: number;
    costUsd: number;
    requestsPerMinute: number;
  };
  latencyHistogram: { lowerMs: number; upperMs: number | null; count: number }[];
  timeline: { start: number; requests: number; errors: number; costUsd: number }[];
  models: GroupStats[];
}

/** An estimate with its 95% interval. */
export interface Estimate {
  value: number | null;
  low: number | null;
  high: number | null;
}

/** A side of /api/compare. */
export interface ModelSide {
  model: string;
  calls: number;
  successRate: Estimate;
  p50Ms: Estimate;
  p90Ms: Estimate;
  p99Ms: Estimate;
  ttftP50Ms: Estimate;
  inputTokensPerCall: Estimate;
  outputTokensPerCall: Estimate;
  costPerCallUsd: Estimate;
}

/** A leaderboard row. */
export interface LeaderboardRow {
  rank: number;
  model: string;
  calls: number;
  successRate: number | null;
  p50LatencyMs: number | null;
  tokensPerCall: number | null;
  costPerCall: number | null;
  decisions: number;
  wins: number;
  winRate: number | null;
  scoreCount: number;
  meanScore: number | null;
}

/** An evaluation record (decision or score). */
export interface EvaluationRecord {
  type: 'decision' | 'score';
  time?: number;
  traceId?: string;
  evaluator?: string;
  name?: string;
  model?: string;
  value?: unknown;
  chosen?: number | null;
  analysis?: string;
  comment?: string;
  candidates?: { model: string }[];
}
