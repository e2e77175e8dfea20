/**
 * The in-process side of the evaluation store: a bounded list of the most recent evaluation
 * records, queryable with `getEvaluations(filter)` whether or not a file store runs. When it is
 * full the oldest record is evicted; an evicted record that no sink had received is counted as
 * lost and warned about once, so evaluations are never lost silently.
 */
import { warnOnce } from '../internal/diagnostics.js';
import { matchesEvaluation, type EvaluationFilter } from './evaluation-filter.js';
import type { EvaluationRecord } from './types.js';

/** Most evaluation records kept in memory before the oldest is evicted. */
export const DEFAULT_MAX_EVALUATIONS_IN_MEMORY = 10_000;

/** Counters of the in-memory evaluation list. */
export interface MemoryEvaluationStats {
  /** Records held now. */
  held: number;
  /** Records evicted that a sink (a file store) had received: still on disk. */
  evictedStored: number;
  /** Records evicted that no sink had received: lost. */
  evictedUnstored: number;
}

interface Entry {
  readonly record: EvaluationRecord;
  readonly stored: boolean;
}

/** A bounded ring of evaluation records, oldest first. */
export class MemoryEvaluations {
  readonly #max: number;
  readonly #ring: (Entry | undefined)[];
  #next = 0;
  #size = 0;
  #evictedStored = 0;
  #evictedUnstored = 0;

  /** @param max most records held (a positive integer). */
  constructor(max: number = DEFAULT_MAX_EVALUATIONS_IN_MEMORY) {
    this.#max = max;
    this.#ring = new Array<Entry | undefined>(max);
  }

  /** Adds `record`; `stored` says whether a sink received it (then evicting it loses nothing). */
  add(record: EvaluationRecord, stored: boolean): void {
    const evicted = this.#ring[this.#next];
    if (evicted) {
      if (evicted.stored) this.#evictedStored++;
      else {
        this.#evictedUnstored++;
        warnOnce('evaluations.memory-full', 'llmtrace: in-memory evaluation list full and no file store attached: oldest evaluations lost (start a file store with startTracing())', {
          maxEvaluationsInMemory: this.#max,
        });
      }
    }
    this.#ring[this.#next] = { record, stored };
    this.#next = (this.#next + 1) % this.#max;
    if (this.#size < this.#max) this.#size++;
  }

  /** Records matching `filter`, oldest first. */
  query(filter: EvaluationFilter = {}): EvaluationRecord[] {
    const out: EvaluationRecord[] = [];
    const start = (this.#next - this.#size + this.#max) % this.#max;
    for (let i = 0; i < this.#size; i++) {
      const entry = this.#ring[(start + i) % this.#max]!;
      if (matchesEvaluation(entry.record, filter)) out.push(entry.record);
    }
    return out;
  }

  /** Counters. */
  stats(): MemoryEvaluationStats {
    return { held: this.#size, evictedStored: this.#evictedStored, evictedUnstored: this.#evictedUnstored };
  }

  /** Forgets every record and counter. */
  clear(): void {
    this.#ring.fill(undefined);
    this.#next = 0;
    this.#size = 0;
    this.#evictedStored = 0;
    this.#evictedUnstored = 0;
  }
}
