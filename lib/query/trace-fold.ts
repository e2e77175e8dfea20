/**
 * The running totals of one trace's spans (what becomes its `TraceSummary`): counts and sums,
 * earliest start and latest end, the models called, and the root (the earliest span without a
 * parent in the trace). Two folds of the same trace merge into the fold of all their spans, so a
 * trace can be folded per segment and the parts combined (the dashboard's listing re-reads only
 * the segments that changed). Pure.
 */
import type { SpanData } from '../span.js';
import { isModelCall, spanCost, spanInputTokens, spanModel, spanOutputTokens } from './span-fields.js';
import type { TraceSummary } from './wire-types.js';

/** The fold of some of one trace's spans. `summary.durationMs` and `summary.models` are filled by `foldSummary`. */
export interface TraceFold {
  summary: TraceSummary;
  models: Set<string>;
  /** Start of the root span found so far (Infinity: none yet; the name and kind are then the first span's). */
  rootStart: number;
}

/** An empty fold of the trace `span` belongs to (add `span` with `addToFold`). */
export function newFold(span: SpanData): TraceFold {
  return {
    models: new Set(),
    rootStart: Infinity,
    summary: {
      traceId: span.traceId,
      rootName: span.name,
      rootKind: span.kind,
      start: span.startTime,
      end: span.endTime,
      durationMs: 0,
      spanCount: 0,
      modelCalls: 0,
      errors: 0,
      models: [],
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      unpricedCalls: 0,
    },
  };
}

/** Counts one span of the trace into `fold`. */
export function addToFold(fold: TraceFold, span: SpanData): void {
  const s = fold.summary;
  s.start = Math.min(s.start, span.startTime);
  s.end = Math.max(s.end, span.endTime);
  s.spanCount++;
  if (span.status === 'error') s.errors++;
  if ((span.parentId === undefined || span.parentRemote) && span.startTime < fold.rootStart) {
    fold.rootStart = span.startTime;
    s.rootName = span.name;
    s.rootKind = span.kind;
  }
  const model = spanModel(span);
  if (model) fold.models.add(model);
  if (isModelCall(span)) s.modelCalls++;
  s.inputTokens += spanInputTokens(span);
  s.outputTokens += spanOutputTokens(span);
  const cost = spanCost(span);
  if (cost === null) s.unpricedCalls++;
  else if (cost !== undefined) s.costUsd += cost;
}

/** A new fold of the spans of both `a` and `b` (folds of the same trace over different spans). */
export function mergeFolds(a: TraceFold, b: TraceFold): TraceFold {
  const root = b.rootStart < a.rootStart ? b : a;
  const x = a.summary;
  const y = b.summary;
  return {
    models: new Set([...a.models, ...b.models]),
    rootStart: root.rootStart,
    summary: {
      ...x,
      rootName: root.summary.rootName,
      rootKind: root.summary.rootKind,
      start: Math.min(x.start, y.start),
      end: Math.max(x.end, y.end),
      spanCount: x.spanCount + y.spanCount,
      modelCalls: x.modelCalls + y.modelCalls,
      errors: x.errors + y.errors,
      inputTokens: x.inputTokens + y.inputTokens,
      outputTokens: x.outputTokens + y.outputTokens,
      costUsd: x.costUsd + y.costUsd,
      unpricedCalls: x.unpricedCalls + y.unpricedCalls,
    },
  };
}

/** The trace's row: the fold's totals with its duration and its models, sorted. */
export function foldSummary(fold: TraceFold): TraceSummary {
  const { summary } = fold;
  return { ...summary, durationMs: summary.end - summary.start, models: [...fold.models].sort() };
}
