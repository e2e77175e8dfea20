/**
 * The evaluation record model: what `recordEvaluation` and `score` store, what the evaluation
 * segments of the file store hold (`<dir>/evaluations/*.json`), and what `readEvaluations`,
 * `leaderboard` and the training export read. Plain JSON data, one shape per record type,
 * told apart by `type`. See docs/evaluations.md.
 */

/** A score: a number (0.87), a boolean (a thumbs-up) or a category (`'good'`, `'refused'`). */
export type ScoreValue = number | boolean | string;

/** One chat message of a prompt (the OpenAI chat shape; `content` is text). */
export interface ChatMessage {
  /** `system`, `user`, `assistant` or `tool` (any non-empty string is kept). */
  readonly role: string;
  /** The message text. */
  readonly content: string;
}

/** A prompt: plain text (one user message) or a list of chat messages. */
export type EvaluationPrompt = string | readonly ChatMessage[];

/** One candidate answer of a decision, as stored. */
export interface CandidateRecord {
  /** The model that produced it. */
  readonly model: string;
  /** Its text, redacted and capped (absent when not given). */
  readonly response?: string;
  /** The span of the call that produced it (links to its latency, tokens, cost and captured content). */
  readonly spanId?: string;
}

/** Fields every evaluation record has. */
interface EvaluationRecordBase {
  /** Unique id of the record (16 hex digits). */
  readonly id: string;
  /** When it was recorded, epoch ms (segments are filed by it). */
  readonly time: number;
  /** The trace it belongs to: given, or the current trace when recorded. */
  readonly traceId?: string;
  /** The span it is about: given, or the current span when recorded. */
  readonly spanId?: string;
  /** Present when a text was cut to the cap (MAX_EVALUATION_TEXT_BYTES); such records are not exported for training. */
  readonly truncated?: true;
}

/**
 * A decision among candidate answers (an arbiter, an LLM-as-judge, a pairwise preference), from
 * `recordEvaluation`.
 */
export interface DecisionRecord extends EvaluationRecordBase {
  readonly type: 'decision';
  /** Who decided (`'arbiter'`, `'gpt-4o-judge'`, `'user'`). */
  readonly evaluator: string;
  /** The prompt the candidates answered, redacted and capped (absent when not given). */
  readonly prompt?: EvaluationPrompt;
  /** The candidates, in the order given. */
  readonly candidates: readonly CandidateRecord[];
  /** Index in `candidates` of the chosen one, or null when none was chosen (all rejected, or a tie). */
  readonly chosen: number | null;
  /** Scores of the candidates, keyed by candidate model (only models among the candidates). */
  readonly scores: Readonly<Record<string, ScoreValue>>;
  /** The evaluator's reasoning, redacted and capped (absent when not given). */
  readonly analysis?: string;
}

/** A single score of one answer, span or trace (a judge's grade, a thumbs-up), from `score`. */
export interface ScoreRecord extends EvaluationRecordBase {
  readonly type: 'score';
  /** What is scored (`'relevance'`, `'thumbs_up'`, `'toxicity'`). */
  readonly name: string;
  /** The score. */
  readonly value: ScoreValue;
  /** The model whose answer is scored: given, or the current span's model when recorded. */
  readonly model?: string;
  /** A free-text comment, redacted and capped. */
  readonly comment?: string;
}

/** One stored evaluation: a decision or a score. */
export type EvaluationRecord = DecisionRecord | ScoreRecord;

/** The candidate a decision chose, or undefined when it chose none. */
export function chosenCandidate(record: DecisionRecord): CandidateRecord | undefined {
  return record.chosen === null ? undefined : record.candidates[record.chosen];
}

/**
 * Whether `value` has the shape of an evaluation record (readers skip anything else, so the pure
 * functions can trust what they get: candidates with models, `chosen` null or a candidate index).
 */
export function isEvaluationRecord(value: unknown): value is EvaluationRecord {
  const r = value as Record<string, unknown> | null;
  if (r === null || typeof r !== 'object' || typeof r.id !== 'string' || typeof r.time !== 'number') return false;
  if (r.type === 'decision') {
    const { candidates, chosen, scores } = r;
    return (
      typeof r.evaluator === 'string' &&
      Array.isArray(candidates) &&
      candidates.every((c: { model?: unknown } | null) => c !== null && typeof c === 'object' && typeof c.model === 'string') &&
      (chosen === null || (Number.isInteger(chosen) && (chosen as number) >= 0 && (chosen as number) < candidates.length)) &&
      scores !== null &&
      typeof scores === 'object'
    );
  }
  if (r.type === 'score') return typeof r.name === 'string' && r.value !== undefined;
  return false;
}
