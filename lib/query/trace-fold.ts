/**
 * The running totals of one trace's spans (what becomes its `TraceSummary`): counts and sums,
 * earliest start and latest end, the models called, and the root (the earliest span without a
 * parent in the trace). Two folds of the same trace merge into the fold of all their spans, so a
 * trace can be folded per segment and the parts combined (the dashboard's listing re-reads only
 * the segments that changed). A fold is a compact row, what a listing keeps per trace: flat
 * fields and a model set shared with the other rows (model-sets.ts); the `TraceSummary` is made
 * only for the rows returned (benchmarks/query-scan.ts, `runs`). Pure.
 */
import type { SpanData, SpanKind } from '../span.js';
import { NO_MODELS, type ModelSets } from './model-sets.js';
import { isCacheHit, isModelCall, isOwnFailure, spanCost, spanInputTokens, spanModel, spanOutputTokens } from './span-fields.js';
import type { TraceSummary } from './wire-types.js';

/** The fold of some of one trace's spans. */
export interface TraceFold {
  readonly traceId: string;
  /** Name and kind of the root span found so far (the first span's until one is found). */
  rootName: string;
  rootKind: SpanKind;
  /** Start of the root span found so far (Infinity: none yet). */
  rootStart: number;
  /** Earliest span start and latest span end, epoch ms. */
  start: number;
  end: number;
  spanCount: number;
  modelCalls: number;
  errors: number;
  /** The models called, sorted, each once: a set shared through `ModelSets`. */
  models: readonly string[];
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  unpricedCalls: number;
}

/** An empty fold of the trace `span` belongs to (add `span` with `addToFold`). */
export function newFold(span: SpanData): TraceFold {
  return {
    traceId: span.traceId,
    rootName: span.name,
    rootKind: span.kind,
    rootStart: Infinity,
    start: span.startTime,
    end: span.endTime,
    spanCount: 0,
    modelCalls: 0,
    errors: 0,
    models: NO_MODELS,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    unpricedCalls: 0,
  };
}

/**
 * Counts one span of the trace into `fold`; `models` is where the fold's model sets come from;
 * `model` is the span's model when the caller has read it already (`spanModel`).
 */
export function addToFold(fold: TraceFold, span: SpanData, models: ModelSets, model?: string): void {
  if (span.startTime < fold.start) fold.start = span.startTime;
  if (span.endTime > fold.end) fold.end = span.endTime;
  fold.spanCount++;
  if (isOwnFailure(span)) fold.errors++;
  if ((span.parentId === undefined || span.parentRemote) && span.startTime < fold.rootStart) {
    fold.rootStart = span.startTime;
    fold.rootName = span.name;
    fold.rootKind = span.kind;
  }
  if (isModelCall(span)) {
    fold.modelCalls++;
    const name = model ?? spanModel(span);
    if (name) fold.models = models.with(fold.models, name);
  }
  // A cache hit carries the cached answer's usage, but spent no tokens: not counted (as in `stats`).
  if (isCacheHit(span)) return;
  fold.inputTokens += spanInputTokens(span);
  fold.outputTokens += spanOutputTokens(span);
  const cost = spanCost(span);
  if (cost === null) fold.unpricedCalls++;
  else if (cost !== undefined) fold.costUsd += cost;
}

/** A new fold of the spans of both `a` and `b` (folds of the same trace over different spans, their model sets from `models`). */
export function mergeFolds(a: TraceFold, b: TraceFold, models: ModelSets): TraceFold {
  const root = b.rootStart < a.rootStart ? b : a;
  return {
    traceId: a.traceId,
    rootName: root.rootName,
    rootKind: root.rootKind,
    rootStart: root.rootStart,
    start: Math.min(a.start, b.start),
    end: Math.max(a.end, b.end),
    spanCount: a.spanCount + b.spanCount,
    modelCalls: a.modelCalls + b.modelCalls,
    errors: a.errors + b.errors,
    models: models.union(a.models, b.models),
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    costUsd: a.costUsd + b.costUsd,
    unpricedCalls: a.unpricedCalls + b.unpricedCalls,
  };
}

/** The trace's row: the fold's totals with its duration and its models (a copy of the shared set). */
export function foldSummary(fold: TraceFold): TraceSummary {
  return {
    traceId: fold.traceId,
    rootName: fold.rootName,
    rootKind: fold.rootKind,
    start: fold.start,
    end: fold.end,
    durationMs: fold.end - fold.start,
    spanCount: fold.spanCount,
    modelCalls: fold.modelCalls,
    errors: fold.errors,
    models: [...fold.models],
    inputTokens: fold.inputTokens,
    outputTokens: fold.outputTokens,
    costUsd: fold.costUsd,
    unpricedCalls: fold.unpricedCalls,
  };
}
