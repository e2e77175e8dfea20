/**
 * The result shapes of reading evaluations back: a leaderboard row and a head-to-head record, as
 * the dashboard's JSON API sends them and the page reads them. Types only and Node-free, so the
 * browser page imports them instead of keeping copies (see lib/query/wire-types.ts).
 */

/** One model's row. Rates and means are null when there is nothing to compute them from. */
export interface LeaderboardRow {
  /** 1-based position in the ranking (rows without the ranked figure come last, unranked order by model). */
  rank: number;
  model: string;
  /** Model calls (spans of kind `llm` or `embedding` naming this model; cache hits not counted). */
  calls: number;
  /** Calls that succeeded / calls. */
  successRate: number | null;
  /** Median call duration, ms (exact, linear interpolation between ranks). */
  p50LatencyMs: number | null;
  /** Mean input + output tokens over the calls that reported usage. */
  tokensPerCall: number | null;
  /** Mean cost, USD, over the calls that were priced. */
  costPerCall: number | null;
  /** Calls whose model had no price (cost recorded as unknown). */
  unpricedCalls: number;
  /** Evaluations about this model: decisions it was a candidate in, plus scores of it. */
  evaluations: number;
  /** Decisions it was a candidate in that chose some candidate. */
  decisions: number;
  /** Of those, the ones that chose it. */
  wins: number;
  /** wins / decisions. */
  winRate: number | null;
  /** Numeric scores of it (decision scores and `score` records; booleans count 1/0; categories are not numeric). */
  scoreCount: number;
  /** Mean of those scores. */
  meanScore: number | null;
}

/** The result of `headToHead(evaluations, a, b)`. */
export interface HeadToHead {
  a: string;
  b: string;
  /** Decisions with both models among the candidates. */
  decisions: number;
  /** Of those, chose a candidate of `a`. */
  aWins: number;
  /** Of those, chose a candidate of `b`. */
  bWins: number;
  /** Of those, chose a third model. */
  otherWins: number;
  /** Of those, chose none. */
  noChoice: number;
  /** aWins / (aWins + bWins): how often `a` beat `b` when one of them was chosen; null when neither ever was. */
  aWinRate: number | null;
}
