/**
 * `recordEvaluation`: one call records a decision among candidate answers (an arbiter, an
 * LLM-as-judge, a pairwise preference), linked to the current trace and span. The options are
 * checked precisely first (unknown keys, types, a `chosen` that is not a candidate: a TypeError
 * naming the option); after that nothing throws: texts are redacted and capped, and the record goes
 * to memory and to the attached file store.
 */
import { getState } from '../config.js';
import { newSpanId } from '../ids.js';
import { checkKnownKeys, checkNonEmptyString, invalidOption } from '../internal/validate.js';
import { reportInternalError } from '../internal/diagnostics.js';
import { resolveLink } from './evaluation-link.js';
import { deliverEvaluation } from './evaluation-sink.js';
import { TextStorer } from './evaluation-text.js';
import { checkScoreValue } from './score-value.js';
import type { CandidateRecord, ChatMessage, DecisionRecord, EvaluationPrompt, ScoreValue } from './types.js';

/** One candidate answer given to `recordEvaluation`. */
export interface EvaluationCandidate {
  /** The model that produced it. */
  model: string;
  /** Its text (needed for training export unless the span captured it). @default none */
  response?: string;
  /** The span of the call that produced it (`currentSpan()?.id` inside the call). @default none */
  spanId?: string;
}

/** Options of `recordEvaluation`. */
export interface EvaluationOptions {
  /** Who decided: `'arbiter'`, `'gpt-4o-judge'`, `'user'`. */
  evaluator: string;
  /** The prompt the candidates answered: text, or chat messages `{ role, content }`. @default none */
  prompt?: EvaluationPrompt;
  /** The candidate answers (at least one). */
  candidates: readonly EvaluationCandidate[];
  /**
   * The chosen candidate: its model name (must be unique among the candidates) or its index;
   * `null` or omitted when none was chosen.
   * @default null
   */
  chosen?: string | number | null;
  /** Scores of the candidates, keyed by candidate model: numbers, booleans or categories. @default {} */
  scores?: Readonly<Record<string, ScoreValue>>;
  /** The evaluator's reasoning. @default none */
  analysis?: string;
  /** The trace to link to. @default the current trace (when spanId is omitted too) */
  traceId?: string;
  /** The span to link to. @default the current span (when traceId is omitted too) */
  spanId?: string;
}

const EVALUATION_KEYS: readonly (keyof EvaluationOptions)[] = [
  'evaluator', 'prompt', 'candidates', 'chosen', 'scores', 'analysis', 'traceId', 'spanId',
];
const CANDIDATE_KEYS: readonly (keyof EvaluationCandidate)[] = ['model', 'response', 'spanId'];
const MESSAGE_KEYS: readonly (keyof ChatMessage)[] = ['role', 'content'];

/**
 * Records a decision among candidate answers, linked to the current trace and span (or to
 * `traceId`/`spanId`). Stored redacted in the JSON file store (`<dir>/evaluations/`) when one is
 * attached (`startTracing()` attaches its own), and kept in memory (`getEvaluations()`).
 * Returns the record's id, or undefined when tracing is disabled (`configure({ enabled: false })`).
 * @throws TypeError naming the option when an option is invalid (nothing is recorded then).
 * @example
 * recordEvaluation({
 *   evaluator: 'arbiter',
 *   prompt: 'Summarise the incident report',
 *   candidates: [{ model: 'gpt-4o', response: a }, { model: 'claude-haiku-4-5', response: b }],
 *   chosen: 'gpt-4o',
 *   scores: { 'gpt-4o': 0.9, 'claude-haiku-4-5': 0.6 },
 *   analysis: 'A names the root cause; B does not.',
 * });
 */
export function recordEvaluation(options: EvaluationOptions): string | undefined {
  checkOptions(options);
  const chosen = chosenIndex(options.chosen, options.candidates);
  const link = resolveLink(options.traceId, options.spanId, 'recordEvaluation');
  const state = getState();
  if (!state.enabled) return undefined;
  try {
    const record = buildRecord(options, chosen, link, new TextStorer(state.redactor));
    deliverEvaluation(record);
    return record.id;
  } catch (error) {
    reportInternalError('evaluations.record', error);
    return undefined;
  }
}

function buildRecord(
  options: EvaluationOptions,
  chosen: number | null,
  link: { traceId?: string; spanId?: string },
  texts: TextStorer,
): DecisionRecord {
  const candidates = options.candidates.map((c, i): CandidateRecord => {
    const out: { -readonly [K in keyof CandidateRecord]: CandidateRecord[K] } = { model: c.model };
    if (c.response !== undefined) out.response = texts.store(c.response, `evaluation.candidates.${i}.response`);
    if (c.spanId !== undefined) out.spanId = c.spanId;
    return out;
  });
  const prompt =
    options.prompt === undefined
      ? undefined
      : typeof options.prompt === 'string'
        ? texts.store(options.prompt, 'evaluation.prompt')
        : options.prompt.map((m, i) => ({ role: m.role, content: texts.store(m.content, `evaluation.prompt.${i}.content`) }));
  const scores: Record<string, ScoreValue> = {};
  for (const [model, value] of Object.entries(options.scores ?? {})) {
    scores[model] = typeof value === 'string' ? texts.store(value, `evaluation.scores.${model}`) : value;
  }
  const analysis = options.analysis === undefined ? undefined : texts.store(options.analysis, 'evaluation.analysis');
  return {
    type: 'decision',
    id: newSpanId(),
    time: Date.now(),
    ...(link.traceId !== undefined && { traceId: link.traceId }),
    ...(link.spanId !== undefined && { spanId: link.spanId }),
    evaluator: options.evaluator,
    ...(prompt !== undefined && { prompt }),
    candidates,
    chosen,
    scores,
    ...(analysis !== undefined && { analysis }),
    ...(texts.truncated && { truncated: true as const }),
  };
}

function checkOptions(options: EvaluationOptions): void {
  if (options === undefined) invalidOption('recordEvaluation options', 'an object', options);
  checkKnownKeys(options, EVALUATION_KEYS, 'recordEvaluation');
  checkNonEmptyString(options.evaluator, 'recordEvaluation evaluator');
  checkPrompt(options.prompt);
  const { candidates } = options;
  if (!Array.isArray(candidates) || candidates.length === 0) {
    invalidOption('recordEvaluation candidates', 'a non-empty array of { model, response?, spanId? }', candidates);
  }
  candidates.forEach((c: EvaluationCandidate, i) => {
    const where = `recordEvaluation candidates[${i}]`;
    if (c === null || typeof c !== 'object') invalidOption(where, 'an object { model, response?, spanId? }', c);
    checkKnownKeys(c, CANDIDATE_KEYS, where);
    checkNonEmptyString(c.model, `${where}.model`);
    if (c.response !== undefined && typeof c.response !== 'string') invalidOption(`${where}.response`, 'a string', c.response);
    if (c.spanId !== undefined) resolveLink(undefined, c.spanId, where);
  });
  if (options.scores !== undefined) {
    if (options.scores === null || typeof options.scores !== 'object' || Array.isArray(options.scores)) {
      invalidOption('recordEvaluation scores', 'an object keyed by candidate model', options.scores);
    }
    const models = new Set(candidates.map((c) => c.model));
    for (const [model, value] of Object.entries(options.scores)) {
      if (!models.has(model)) {
        throw new TypeError(`llmtrace: recordEvaluation scores: "${model}" is not a candidate model (candidates: ${[...models].join(', ')})`);
      }
      checkScoreValue(value, `recordEvaluation scores["${model}"]`);
    }
  }
  if (options.analysis !== undefined && typeof options.analysis !== 'string') invalidOption('recordEvaluation analysis', 'a string', options.analysis);
}

function checkPrompt(prompt: unknown): void {
  if (prompt === undefined || typeof prompt === 'string') return;
  if (!Array.isArray(prompt)) invalidOption('recordEvaluation prompt', 'a string or an array of { role, content } messages', prompt);
  prompt.forEach((m: ChatMessage, i) => {
    const where = `recordEvaluation prompt[${i}]`;
    if (m === null || typeof m !== 'object') invalidOption(where, 'a message { role, content }', m);
    checkKnownKeys(m, MESSAGE_KEYS, where);
    checkNonEmptyString(m.role, `${where}.role`);
    if (typeof m.content !== 'string') invalidOption(`${where}.content`, 'a string', m.content);
  });
}

/** The index of the chosen candidate, or null; throws when `chosen` names no candidate or an ambiguous one. */
function chosenIndex(chosen: unknown, candidates: readonly EvaluationCandidate[]): number | null {
  if (chosen === undefined || chosen === null) return null;
  if (typeof chosen === 'number') {
    if (!Number.isInteger(chosen) || chosen < 0 || chosen >= candidates.length) {
      invalidOption('recordEvaluation chosen', `a candidate index from 0 to ${candidates.length - 1} or a candidate model`, chosen);
    }
    return chosen;
  }
  if (typeof chosen !== 'string') invalidOption('recordEvaluation chosen', 'a candidate model name, a candidate index or null', chosen);
  const matches = candidates.flatMap((c, i) => (c.model === chosen ? [i] : []));
  if (matches.length === 0) {
    throw new TypeError(
      `llmtrace: recordEvaluation chosen: "${chosen}" is not a candidate model (candidates: ${candidates.map((c) => c.model).join(', ')})`,
    );
  }
  if (matches.length > 1) {
    throw new TypeError(`llmtrace: recordEvaluation chosen: "${chosen}" names ${matches.length} candidates; pass the index instead (${matches.join(' or ')})`);
  }
  return matches[0]!;
}
