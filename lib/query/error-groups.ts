/**
 * Failed calls grouped by error type and model (what `llmtrace errors` prints): a count, first and
 * last time, and a few examples per group to jump to with `run-info`. Memory follows the number of
 * groups times the examples kept. Pure.
 */
import { DEFAULT_AGGREGATED_KINDS } from '../aggregator/aggregated-kinds.js';
import type { SpanData, SpanKind } from '../span.js';
import { ModelAliases } from '../model-aliases.js';
import { isModelCall, isOwnFailure, spanModel } from './span-fields.js';

/** The kinds counted as calls, as by the statistics (every kind but the scopes). */
const CALL_KINDS: ReadonlySet<SpanKind> = new Set(DEFAULT_AGGREGATED_KINDS);

/** Examples kept per group. */
export const DEFAULT_ERROR_EXAMPLES = 3;

/** One failed span shown as an example. */
export interface ErrorExample {
  traceId: string;
  spanId: string;
  name: string;
  message: string;
  /** End time, epoch ms. */
  time: number;
}

/** Failures of one error type on one model. */
export interface ErrorGroup {
  /** `error.type` of the span (its class name or code), `Error` when none. */
  type: string;
  /** Model, or `unknown`. */
  model: string;
  count: number;
  /** Epoch ms. */
  firstSeen: number;
  lastSeen: number;
  /** The most recent failures, newest first. */
  examples: ErrorExample[];
}

/** Folds failed spans into groups; spans that did not fail are ignored. */
export class ErrorGrouper {
  readonly #groups = new Map<string, ErrorGroup>();
  /** The names answered calls give their models, so a failure named by a deployment is grouped as `stats` counts it. */
  readonly #aliases = new ModelAliases();
  readonly #examples: number;

  /** @param examples examples kept per group. @default 3 (DEFAULT_ERROR_EXAMPLES) */
  constructor(examples = DEFAULT_ERROR_EXAMPLES) {
    this.#examples = examples;
  }

  /**
   * Counts one span when it is a call that failed on its own: not a scope (session, run, iteration,
   * request), and not a call that failed because a call below it did (`isOwnFailure`: a decorated
   * method passing on its SDK call's error, a chain its model's), which would count one failure
   * twice; `runs --status error` lists those.
   */
  add(span: SpanData): void {
    if (isModelCall(span)) this.#aliases.learn(span.attributes);
    if (!isOwnFailure(span) || !CALL_KINDS.has(span.kind)) return;
    const type = span.error?.type ?? 'Error';
    const model = spanModel(span) ?? 'unknown';
    const key = JSON.stringify([type, model]);
    let group = this.#groups.get(key);
    if (!group) {
      group = { type, model, count: 0, firstSeen: span.endTime, lastSeen: span.endTime, examples: [] };
      this.#groups.set(key, group);
    }
    group.count++;
    group.firstSeen = Math.min(group.firstSeen, span.endTime);
    group.lastSeen = Math.max(group.lastSeen, span.endTime);
    group.examples.push({ traceId: span.traceId, spanId: span.id, name: span.name, message: span.error?.message ?? '', time: span.endTime });
    if (group.examples.length > this.#examples) {
      group.examples.sort((a, b) => b.time - a.time);
      group.examples.length = this.#examples;
    }
  }

  /** The groups, most failures first; a model's failures under another name of it are its own. */
  groups(): ErrorGroup[] {
    const merged = new Map<string, ErrorGroup>();
    for (const g of this.#groups.values()) {
      const model = g.model === 'unknown' ? g.model : this.#aliases.countedName(g.model);
      const key = JSON.stringify([g.type, model]);
      const into = merged.get(key);
      if (!into) merged.set(key, { ...g, model, examples: [...g.examples] });
      else {
        into.count += g.count;
        into.firstSeen = Math.min(into.firstSeen, g.firstSeen);
        into.lastSeen = Math.max(into.lastSeen, g.lastSeen);
        into.examples = [...into.examples, ...g.examples].sort((a, b) => b.time - a.time).slice(0, this.#examples);
      }
    }
    return [...merged.values()]
      .map((g) => ({ ...g, examples: [...g.examples].sort((a, b) => b.time - a.time) }))
      .sort((a, b) => b.count - a.count || a.type.localeCompare(b.type) || a.model.localeCompare(b.model));
  }
}

/** Failed spans grouped by type and model, most failures first. */
export function groupErrors(spans: Iterable<SpanData>, examples = DEFAULT_ERROR_EXAMPLES): ErrorGroup[] {
  const grouper = new ErrorGrouper(examples);
  for (const span of spans) grouper.add(span);
  return grouper.groups();
}
