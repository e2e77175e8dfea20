/**
 * Traces: the spans sharing one trace id. `TraceSummariser` folds a stream of spans into one row
 * per trace (what `llmtrace runs` lists) keeping only running totals in a compact row
 * (trace-fold.ts), so memory follows the number of traces, not of spans. `assembleTrace` turns one trace's spans into a tree (what `run-info`
 * draws). Pure.
 */
import type { SpanData } from '../span.js';
import { ModelAliases } from '../model-aliases.js';
import { ModelSets } from './model-sets.js';
import { isModelCall } from './span-fields.js';
import { addToFold, foldSummary, newFold, type TraceFold } from './trace-fold.js';
import type { TraceSummary } from './wire-types.js';

/** Folds spans into one TraceSummary per trace. */
export class TraceSummariser {
  readonly #traces = new Map<string, TraceFold>();
  readonly #models = new ModelSets();
  /** The names answered calls give their models, so a trace lists a deployment's failed call under its model. */
  readonly #aliases = new ModelAliases();

  /** The fold the last span went to: a trace's spans are mostly stored together, so most spans skip the lookup. */
  #last: TraceFold | undefined;

  /** Counts one span into its trace. */
  add(span: SpanData): void {
    let fold = this.#last;
    if (fold?.traceId !== span.traceId) {
      fold = this.#traces.get(span.traceId);
      if (!fold) {
        fold = newFold(span);
        this.#traces.set(span.traceId, fold);
      }
      this.#last = fold;
    }
    addToFold(fold, span, this.#models, isModelCall(span) ? this.#aliases.learn(span.attributes) : undefined);
  }

  /** Number of traces seen. */
  get size(): number {
    return this.#traces.size;
  }

  /**
   * The traces, newest start first (traces starting together in the order first seen); only the
   * first `limit` when given (the others are never turned into summaries).
   */
  summaries(limit = Infinity): TraceSummary[] {
    const folds = [...this.#traces.values()].sort((a, b) => b.start - a.start);
    return (limit < folds.length ? folds.slice(0, limit) : folds).map((fold) => {
      const summary = foldSummary(fold);
      const models = [...new Set(summary.models.map((model) => this.#aliases.countedName(model)))].sort();
      return models.length === summary.models.length && models.every((m, i) => m === summary.models[i]) ? summary : { ...summary, models };
    });
  }
}

/** One trace id per trace: rows for `llmtrace runs`, newest first. */
export function summariseTraces(spans: Iterable<SpanData>): TraceSummary[] {
  const summariser = new TraceSummariser();
  for (const span of spans) summariser.add(span);
  return summariser.summaries();
}

/** A span in a trace tree. */
export interface TraceNode {
  span: SpanData;
  /** 0 for a root. */
  depth: number;
  /** Child spans, by start time. */
  children: TraceNode[];
}

/** One trace as a tree. */
export interface TraceTree {
  traceId: string;
  /** Earliest start, epoch ms. */
  start: number;
  /** Latest end, epoch ms. */
  end: number;
  /** Spans without a parent in the trace (normally one; spans whose parent was not stored are roots too). */
  roots: TraceNode[];
  /** Every node, depth first, children by start time: the order a waterfall draws them. */
  nodes: TraceNode[];
}

function setDepth(node: TraceNode, depth: number, out: TraceNode[]): void {
  node.depth = depth;
  out.push(node);
  node.children.sort((a, b) => a.span.startTime - b.span.startTime);
  for (const child of node.children) setDepth(child, depth + 1, out);
}

/**
 * Builds the tree of one trace's spans (spans of other traces are ignored).
 * @throws TypeError when `spans` is empty.
 */
export function assembleTrace(spans: readonly SpanData[]): TraceTree {
  if (spans.length === 0) throw new TypeError('llmtrace: assembleTrace needs at least one span');
  const traceId = spans[0]!.traceId;
  const nodes = new Map<string, TraceNode>();
  for (const span of spans) if (span.traceId === traceId && !nodes.has(span.id)) nodes.set(span.id, { span, depth: 0, children: [] });
  const roots: TraceNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.span.parentId === undefined ? undefined : nodes.get(node.span.parentId);
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  roots.sort((a, b) => a.span.startTime - b.span.startTime);
  const ordered: TraceNode[] = [];
  for (const root of roots) setDepth(root, 0, ordered);
  let start = Infinity;
  let end = -Infinity;
  for (const { span } of nodes.values()) {
    start = Math.min(start, span.startTime);
    end = Math.max(end, span.endTime);
  }
  return { traceId, start, end, roots, nodes: ordered };
}
