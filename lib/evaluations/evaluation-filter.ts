/**
 * Which evaluations a query wants: a filter object and the pure test of one record against it,
 * shared by the on-disk reader (`readEvaluations`), the in-memory list (`getEvaluations`) and the
 * query layer. "Runs where the arbiter chose gpt-4o over claude-haiku-4-5" is
 * `{ evaluator: 'arbiter', chosen: 'gpt-4o', over: 'claude-haiku-4-5' }`.
 */
import { checkKnownKeys, invalidOption } from '../internal/validate.js';
import { chosenCandidate, type EvaluationRecord } from './types.js';

/** A filter over evaluation records. Every field is optional; a record must match all given ones. */
export interface EvaluationFilter {
  /** Recorded at or after this time, epoch ms (inclusive). */
  from?: number;
  /** Recorded before this time, epoch ms (exclusive). */
  to?: number;
  /** Only decisions or only scores. */
  type?: 'decision' | 'score';
  /** Decisions by this evaluator (scores have none, so they never match). */
  evaluator?: string;
  /** Scores of this name (decisions have none, so they never match). */
  name?: string;
  /** Decisions with a candidate from this model, or scores about this model. */
  model?: string;
  /** Decisions that chose a candidate of this model. */
  chosen?: string;
  /**
   * Decisions where a candidate of this model was NOT chosen while another one was: with `chosen`,
   * "chosen A over B".
   */
  over?: string;
  /** Records of this trace; a prefix of the trace id is enough (`'4bf92f35'`). */
  traceId?: string;
  /** Records about this span. */
  spanId?: string;
}

const FILTER_KEYS: readonly (keyof EvaluationFilter)[] = [
  'from', 'to', 'type', 'evaluator', 'name', 'model', 'chosen', 'over', 'traceId', 'spanId',
];

/**
 * Checks a filter (unknown keys, types) and returns it. Throws a TypeError naming the field and
 * the fix on bad input.
 */
export function checkEvaluationFilter(filter: EvaluationFilter): EvaluationFilter {
  checkKnownKeys(filter, FILTER_KEYS, 'evaluation filter');
  for (const key of ['from', 'to'] as const) {
    const v = filter[key];
    if (v !== undefined && (typeof v !== 'number' || Number.isNaN(v))) invalidOption(`evaluation filter ${key}`, 'epoch milliseconds (a number)', v);
  }
  if (filter.type !== undefined && filter.type !== 'decision' && filter.type !== 'score') {
    invalidOption('evaluation filter type', "'decision' or 'score'", filter.type);
  }
  for (const key of ['evaluator', 'name', 'model', 'chosen', 'over', 'traceId', 'spanId'] as const) {
    const v = filter[key];
    if (v !== undefined && (typeof v !== 'string' || v === '')) invalidOption(`evaluation filter ${key}`, 'a non-empty string', v);
  }
  return filter;
}

/** Whether `record` matches every field of `filter` (pure; does not validate the filter). */
export function matchesEvaluation(record: EvaluationRecord, filter: EvaluationFilter): boolean {
  if (filter.from !== undefined && record.time < filter.from) return false;
  if (filter.to !== undefined && record.time >= filter.to) return false;
  if (filter.type !== undefined && record.type !== filter.type) return false;
  if (filter.traceId !== undefined && !record.traceId?.startsWith(filter.traceId)) return false;
  if (filter.spanId !== undefined && record.spanId !== filter.spanId && !candidateHasSpan(record, filter.spanId)) return false;
  if (record.type === 'score') {
    if (filter.evaluator !== undefined || filter.chosen !== undefined || filter.over !== undefined) return false;
    if (filter.name !== undefined && record.name !== filter.name) return false;
    return filter.model === undefined || record.model === filter.model;
  }
  if (filter.name !== undefined) return false;
  if (filter.evaluator !== undefined && record.evaluator !== filter.evaluator) return false;
  if (filter.model !== undefined && !record.candidates.some((c) => c.model === filter.model)) return false;
  const chosen = chosenCandidate(record);
  if (filter.chosen !== undefined && chosen?.model !== filter.chosen) return false;
  if (filter.over !== undefined) {
    if (!chosen || chosen.model === filter.over) return false;
    if (!record.candidates.some((c, i) => i !== record.chosen && c.model === filter.over)) return false;
  }
  return true;
}

function candidateHasSpan(record: EvaluationRecord, spanId: string): boolean {
  return record.type === 'decision' && record.candidates.some((c) => c.spanId === spanId);
}
