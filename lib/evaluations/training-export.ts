/**
 * Training data from evaluations: the chosen candidates of decisions as OpenAI chat fine-tuning
 * samples (`sft`), chosen-versus-rejected pairs in OpenAI's preference format (`dpo`), or every
 * decision in a raw form (`raw`). Pure: evaluations (and optionally a lookup of the candidates'
 * spans, for content they captured) come in, JSONL-ready records and counts of what was left out
 * come out. A sample is never written with empty text: when the prompt or an answer is unknown the
 * decision is skipped and counted in `skipped.noContent` (then say `NO_CONTENT_HINT`).
 */
import type { SpanData } from '../span.js';
import { checkEvaluationReadOptions } from './option-schemas.js';
import { numericScore } from './score-value.js';
import { spanContent } from './span-content.js';
import type { CandidateRecord, ChatMessage, DecisionRecord, EvaluationRecord, ScoreValue } from './types.js';

/** The output formats: chat fine-tuning samples, preference pairs, or raw decisions. */
export type TrainingFormat = 'sft' | 'dpo' | 'raw';

/** Every training format. */
export const TRAINING_FORMATS: readonly TrainingFormat[] = ['sft', 'dpo', 'raw'];

/** What to tell a user when samples were skipped for want of content. */
export const NO_CONTENT_HINT =
  "prompts and answers were not captured: pass prompt and each candidate's response to recordEvaluation(), " +
  "or record the model calls with content capture on (configure({ capture: 'full' })) and give each candidate its spanId";

/** One OpenAI chat fine-tuning sample: `{"messages":[...prompt, {"role":"assistant","content":answer}]}`. */
export interface SftRecord {
  messages: ChatMessage[];
}

/**
 * One OpenAI preference (DPO) fine-tuning pair:
 * `{"input":{"messages":[...]},"preferred_output":[{role:"assistant",...}],"non_preferred_output":[...]}`.
 */
export interface DpoRecord {
  input: { messages: ChatMessage[] };
  preferred_output: ChatMessage[];
  non_preferred_output: ChatMessage[];
}

/** One candidate in a raw record. */
export interface RawCandidate {
  model: string;
  response: string | null;
  spanId: string | null;
}

/** One decision with everything known about it. */
export interface RawRecord {
  id: string;
  time: string;
  traceId: string | null;
  evaluator: string;
  prompt: ChatMessage[] | null;
  chosen: RawCandidate | null;
  rejected: RawCandidate[];
  analysis: string | null;
  scores: Record<string, ScoreValue>;
  /** The chosen candidate's numeric score used for `minScore` (null when it has none). */
  chosenScore: number | null;
}

/** A record of `format`. */
export type TrainingRecord = SftRecord | DpoRecord | RawRecord;

/** Options of `trainingRecords`. */
export interface TrainingExportOptions {
  /** The output format. */
  format: TrainingFormat;
  /**
   * Keep only decisions whose chosen candidate scored at least this: its score in the decision, or
   * else the mean of `score` records about its span. Decisions without such a score are skipped.
   * @default none (every decision with a choice)
   */
  minScore?: number;
  /**
   * Looks up a span by id, so that a candidate (or the decision) with a `spanId` but no text can
   * take the prompt and answer its span captured (`capture: 'full'`).
   * @default none (only texts given to recordEvaluation)
   */
  spanById?: (spanId: string) => Pick<SpanData, 'attributes' | 'events'> | undefined;
}

/** Why decisions were left out. */
export interface TrainingSkips {
  /** Decisions that chose no candidate (sft, dpo). */
  noChoice: number;
  /** Decisions without a prompt or the needed answers. */
  noContent: number;
  /** Decisions with a text cut to the cap (sft, dpo). */
  truncated: number;
  /** Decisions whose chosen candidate has no numeric score, with `minScore` set. */
  unscored: number;
  /** Decisions whose chosen candidate scored below `minScore`. */
  belowMinScore: number;
  /** Decisions with a choice but no rejected candidate with an answer (dpo). */
  noRejected: number;
}

/** The export: records ready to write one per line, and counts. */
export interface TrainingExport {
  format: TrainingFormat;
  records: TrainingRecord[];
  /** Decisions read. */
  decisions: number;
  /** Decisions that gave at least one record. */
  used: number;
  skipped: TrainingSkips;
}

/**
 * Builds training records from the decisions among `evaluations` (score records are used for
 * `minScore`). Records come in the order of the decisions; `dpo` gives one pair per rejected
 * candidate with an answer.
 * @throws TypeError on bad options (unknown key, format, minScore, spanById).
 * @example
 * const out = trainingRecords(evaluations, { format: 'sft', minScore: 0.8 });
 * writeFileSync('train.jsonl', out.records.map((r) => JSON.stringify(r)).join('\n') + '\n');
 * if (out.skipped.noContent > 0) console.error(`${out.skipped.noContent} skipped: ${NO_CONTENT_HINT}`);
 */
export function trainingRecords(evaluations: Iterable<EvaluationRecord>, options: TrainingExportOptions): TrainingExport {
  checkOptions(options);
  const decisions: DecisionRecord[] = [];
  const spanScores = new Map<string, number[]>();
  for (const record of evaluations) {
    if (record.type === 'decision') decisions.push(record);
    else if (record.spanId !== undefined) {
      const value = numericScore(record.value);
      if (value === undefined) continue;
      const list = spanScores.get(record.spanId);
      if (list) list.push(value);
      else spanScores.set(record.spanId, [value]);
    }
  }
  const out: TrainingExport = {
    format: options.format,
    records: [],
    decisions: decisions.length,
    used: 0,
    skipped: { noChoice: 0, noContent: 0, truncated: 0, unscored: 0, belowMinScore: 0, noRejected: 0 },
  };
  for (const decision of decisions) {
    const made = recordsOf(decision, options, spanScores, out.skipped);
    if (made.length > 0) out.used++;
    out.records.push(...made);
  }
  return out;
}

function checkOptions(options: TrainingExportOptions): void {
  checkEvaluationReadOptions('trainingRecords', options);
}

/** A decision's candidates and prompt with texts filled in from spans where missing. */
interface Resolved {
  prompt: ChatMessage[] | undefined;
  candidates: { candidate: CandidateRecord; response: string | undefined }[];
}

function resolve(decision: DecisionRecord, spanById: TrainingExportOptions['spanById']): Resolved {
  let prompt = promptMessages(decision.prompt);
  const candidates = decision.candidates.map((candidate) => {
    let response = candidate.response;
    if ((response === undefined || prompt === undefined) && candidate.spanId !== undefined && spanById) {
      const span = spanById(candidate.spanId);
      const content = span ? spanContent(span) : {};
      response ??= content.response;
      prompt ??= content.prompt;
    }
    return { candidate, response: response === '' ? undefined : response };
  });
  if (prompt === undefined && decision.spanId !== undefined && spanById) {
    const span = spanById(decision.spanId);
    if (span) prompt = spanContent(span).prompt;
  }
  return { prompt, candidates };
}

function promptMessages(prompt: DecisionRecord['prompt']): ChatMessage[] | undefined {
  if (prompt === undefined) return undefined;
  if (typeof prompt === 'string') return prompt === '' ? undefined : [{ role: 'user', content: prompt }];
  return prompt.length > 0 ? prompt.map((m) => ({ role: m.role, content: m.content })) : undefined;
}

function recordsOf(
  decision: DecisionRecord,
  options: TrainingExportOptions,
  spanScores: ReadonlyMap<string, number[]>,
  skipped: TrainingSkips,
): TrainingRecord[] {
  const chosen = decision.chosen === null ? undefined : decision.candidates[decision.chosen];
  const chosenScore = chosen ? scoreOf(decision, chosen, spanScores) : undefined;
  if (options.minScore !== undefined && chosen) {
    if (chosenScore === undefined) return skip(skipped, 'unscored');
    if (chosenScore < options.minScore) return skip(skipped, 'belowMinScore');
  }
  const { prompt, candidates } = resolve(decision, options.spanById);
  if (options.format === 'raw') {
    if (options.minScore !== undefined && !chosen) return skip(skipped, 'noChoice');
    return [rawRecord(decision, prompt, candidates, chosenScore)];
  }
  if (!chosen) return skip(skipped, 'noChoice');
  if (decision.truncated) return skip(skipped, 'truncated');
  const answer = candidates[decision.chosen!]!.response;
  if (prompt === undefined || answer === undefined) return skip(skipped, 'noContent');
  if (options.format === 'sft') return [{ messages: [...prompt, { role: 'assistant', content: answer }] }];
  const rejected = candidates.filter((c, i) => i !== decision.chosen && c.response !== undefined && c.response !== answer);
  if (rejected.length === 0) return skip(skipped, candidates.some((c, i) => i !== decision.chosen && c.response === undefined) ? 'noContent' : 'noRejected');
  return rejected.map((r) => ({
    input: { messages: prompt },
    preferred_output: [{ role: 'assistant', content: answer }],
    non_preferred_output: [{ role: 'assistant', content: r.response! }],
  }));
}

function skip(skipped: TrainingSkips, why: keyof TrainingSkips): [] {
  skipped[why]++;
  return [];
}

/** The chosen candidate's numeric score: in the decision, else the mean of scores about its span. */
function scoreOf(decision: DecisionRecord, chosen: CandidateRecord, spanScores: ReadonlyMap<string, number[]>): number | undefined {
  const own = numericScore(decision.scores[chosen.model]);
  if (own !== undefined) return own;
  const linked = chosen.spanId === undefined ? undefined : spanScores.get(chosen.spanId);
  return linked && linked.length > 0 ? linked.reduce((a, b) => a + b, 0) / linked.length : undefined;
}

function rawRecord(decision: DecisionRecord, prompt: ChatMessage[] | undefined, candidates: Resolved['candidates'], chosenScore: number | undefined): RawRecord {
  const raw = (c: Resolved['candidates'][number]): RawCandidate => ({
    model: c.candidate.model,
    response: c.response ?? null,
    spanId: c.candidate.spanId ?? null,
  });
  return {
    id: decision.id,
    time: new Date(decision.time).toISOString(),
    traceId: decision.traceId ?? null,
    evaluator: decision.evaluator,
    prompt: prompt ?? null,
    chosen: decision.chosen === null ? null : raw(candidates[decision.chosen]!),
    rejected: candidates.filter((_, i) => i !== decision.chosen).map(raw),
    analysis: decision.analysis ?? null,
    scores: { ...decision.scores },
    chosenScore: chosenScore ?? null,
  };
}
