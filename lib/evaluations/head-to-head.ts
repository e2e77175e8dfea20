/**
 * Head-to-head between two models: over the decisions where both were candidates, how often each
 * was chosen. Pure. Used by `llmtrace compare A B` next to the latency and cost comparison.
 */
import { checkNonEmptyString } from '../internal/validate.js';
import type { EvaluationRecord } from './types.js';
import type { HeadToHead } from './wire-types.js';

/**
 * Counts the decisions between `a` and `b`.
 * @throws TypeError when `a` or `b` is not a non-empty string.
 * @example
 * headToHead(evaluations, 'gpt-4o', 'claude-haiku-4-5'); // { decisions: 40, aWins: 26, bWins: 12, aWinRate: 0.684, ... }
 */
export function headToHead(evaluations: Iterable<EvaluationRecord>, a: string, b: string): HeadToHead {
  checkNonEmptyString(a, 'headToHead a');
  checkNonEmptyString(b, 'headToHead b');
  const out: HeadToHead = { a, b, decisions: 0, aWins: 0, bWins: 0, otherWins: 0, noChoice: 0, aWinRate: null };
  for (const record of evaluations) {
    if (record.type !== 'decision') continue;
    const models = record.candidates.map((c) => c.model);
    if (!models.includes(a) || !models.includes(b)) continue;
    out.decisions++;
    const chosen = record.chosen === null ? undefined : models[record.chosen];
    if (chosen === undefined) out.noChoice++;
    else if (chosen === a) out.aWins++;
    else if (chosen === b) out.bWins++;
    else out.otherWins++;
  }
  if (out.aWins + out.bWins > 0) out.aWinRate = out.aWins / (out.aWins + out.bWins);
  return out;
}

/**
 * @internal `evaluations` with each decision's candidate models renamed by `countedName` (the name
 * `stats` counts a model's calls under, `ModelAliases`), so a decision naming the answered snapshot
 * is one between the models compared by their counted names.
 */
export function withCountedModels(evaluations: Iterable<EvaluationRecord>, countedName: (model: string) => string): EvaluationRecord[] {
  const out: EvaluationRecord[] = [];
  for (const record of evaluations) {
    out.push(record.type === 'decision' ? { ...record, candidates: record.candidates.map((c) => ({ ...c, model: countedName(c.model) })) } : record);
  }
  return out;
}
