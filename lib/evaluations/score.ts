/**
 * `score`: one call records a single score (a judge's grade, a user's thumbs-up, a category) of an
 * answer, linked by default to the current span and its model. Options are checked first (a
 * TypeError naming the option); after that nothing throws.
 */
import { getState } from '../config.js';
import { newSpanId } from '../ids.js';
import { reportInternalError } from '../internal/diagnostics.js';
import { checkKnownKeys, checkNonEmptyString, invalidOption } from '../internal/validate.js';
import { resolveLink } from './evaluation-link.js';
import { deliverEvaluation } from './evaluation-sink.js';
import { TextStorer } from './evaluation-text.js';
import { checkScoreValue } from './score-value.js';
import type { ScoreRecord, ScoreValue } from './types.js';

/** Options of `score`. */
export interface ScoreOptions {
  /** What is scored: `'relevance'`, `'thumbs_up'`, `'toxicity'`. */
  name: string;
  /** The score: a finite number, a boolean or a category string. */
  value: ScoreValue;
  /** The model whose answer is scored. @default the current span's model, when linked to the current span */
  model?: string;
  /** The trace to link to. @default the current trace (when spanId is omitted too) */
  traceId?: string;
  /** The span to link to (the model call whose answer is scored). @default the current span (when traceId is omitted too) */
  spanId?: string;
  /** A free-text comment, stored redacted. @default none */
  comment?: string;
}

const SCORE_KEYS: readonly (keyof ScoreOptions)[] = ['name', 'value', 'model', 'traceId', 'spanId', 'comment'];

/**
 * Records one score, linked to the current span (or to `traceId`/`spanId`). Stored like
 * `recordEvaluation`'s decisions. Returns the record's id, or undefined when tracing is disabled.
 * @throws TypeError naming the option when an option is invalid (nothing is recorded then).
 * @example
 * const answer = await ask(question);           // a traced call
 * score({ name: 'thumbs_up', value: true, spanId: lastSpanId, traceId, comment: 'user clicked 👍' });
 * // or, inside the traced call or its scope:
 * score({ name: 'relevance', value: 0.8 });
 */
export function score(options: ScoreOptions): string | undefined {
  if (options === undefined) invalidOption('score options', 'an object', options);
  checkKnownKeys(options, SCORE_KEYS, 'score');
  checkNonEmptyString(options.name, 'score name');
  const value = checkScoreValue(options.value, 'score value');
  if (options.model !== undefined) checkNonEmptyString(options.model, 'score model');
  if (options.comment !== undefined && typeof options.comment !== 'string') invalidOption('score comment', 'a string', options.comment);
  const link = resolveLink(options.traceId, options.spanId, 'score');
  const state = getState();
  if (!state.enabled) return undefined;
  try {
    const texts = new TextStorer(state.redactor);
    const model = options.model ?? link.model;
    const record: ScoreRecord = {
      type: 'score',
      id: newSpanId(),
      time: Date.now(),
      ...(link.traceId !== undefined && { traceId: link.traceId }),
      ...(link.spanId !== undefined && { spanId: link.spanId }),
      name: options.name,
      value: typeof value === 'string' ? texts.store(value, 'score.value') : value,
      ...(model !== undefined && { model }),
      ...(options.comment !== undefined && { comment: texts.store(options.comment, 'score.comment') }),
    };
    deliverEvaluation(texts.truncated ? { ...record, truncated: true } : record);
    return record.id;
  } catch (error) {
    reportInternalError('evaluations.score', error);
    return undefined;
  }
}
