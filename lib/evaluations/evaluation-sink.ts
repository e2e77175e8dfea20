/**
 * Where recorded evaluations go: always into the process's bounded in-memory list, and into every
 * attached sink (the JSON file store that `startTracing()` runs, or one attached by hand). The
 * registry lives in a global slot keyed by a versioned `Symbol.for`, created on first use, so two
 * copies of llmtrace in one process share it. Delivery never throws.
 */
import { reportInternalError } from '../internal/diagnostics.js';
import { checkEvaluationFilter, type EvaluationFilter } from './evaluation-filter.js';
import { MemoryEvaluations, type MemoryEvaluationStats } from './memory-evaluations.js';
import type { EvaluationRecord } from './types.js';

/**
 * Receives evaluation records (already validated and redacted). `FileStore` implements it; the
 * call must only queue (never block, never throw).
 */
export interface EvaluationSink {
  writeEvaluations(records: readonly EvaluationRecord[]): void;
}

interface EvaluationRegistry {
  readonly sinks: Set<EvaluationSink>;
  readonly memory: MemoryEvaluations;
}

const SLOT = Symbol.for('llmtrace.evaluations.v1');
type GlobalWithSlot = typeof globalThis & { [SLOT]?: EvaluationRegistry };

function registry(): EvaluationRegistry {
  const g = globalThis as GlobalWithSlot;
  g[SLOT] ??= { sinks: new Set(), memory: new MemoryEvaluations() };
  return g[SLOT];
}

/**
 * Sends every evaluation recorded from now on to `sink` as well (`startTracing()` does this with
 * its file store). Returns the function that detaches it.
 * @example
 * const fileStore = await openFileStore();
 * const detach = attachEvaluationSink(fileStore);
 */
export function attachEvaluationSink(sink: EvaluationSink): () => void {
  if (sink === null || typeof sink !== 'object' || typeof sink.writeEvaluations !== 'function') {
    throw new TypeError(`llmtrace: attachEvaluationSink needs an object with writeEvaluations(records), got ${String(sink)} (${typeof sink})`);
  }
  const { sinks } = registry();
  sinks.add(sink);
  return () => {
    sinks.delete(sink);
  };
}

/** @internal Hands `record` to the in-memory list and to every attached sink. Never throws. */
export function deliverEvaluation(record: EvaluationRecord): void {
  try {
    const { sinks, memory } = registry();
    for (const sink of sinks) {
      try {
        sink.writeEvaluations([record]);
      } catch (error) {
        reportInternalError('evaluations.sink', error);
      }
    }
    memory.add(record, sinks.size > 0);
  } catch (error) {
    reportInternalError('evaluations.deliver', error);
  }
}

/**
 * The evaluations recorded in this process that are still in memory (the most recent 10,000),
 * oldest first, matching `filter`. For what is on disk, use `readEvaluations(dir, filter)`.
 * @throws TypeError on a bad filter.
 */
export function getEvaluations(filter: EvaluationFilter = {}): EvaluationRecord[] {
  return registry().memory.query(checkEvaluationFilter(filter));
}

/** Counters of the in-memory evaluation list (held, evicted after storing, evicted unstored = lost). */
export function evaluationMemoryStats(): MemoryEvaluationStats {
  return registry().memory.stats();
}

/** @internal Forgets the in-memory evaluations (tests). Attached sinks stay. */
export function clearEvaluationMemory(): void {
  registry().memory.clear();
}
