/**
 * Shared sets of model names, for the per-trace rows of a listing: every row whose trace called
 * the same models holds the same frozen, sorted array, so 200,000 rows of traces calling two models
 * hold one array and two strings between them instead of a Set and two strings each
 * (benchmarks/query-scan.ts, `runs.peak_rss_mib`). A set with one more model is found from the
 * set and the model (one lookup once the pair was seen), so adding costs no sort and no garbage.
 */

/** The set of no models (every row starts from it). */
export const NO_MODELS: readonly string[] = Object.freeze([]);

/** The sets of models seen by one listing. */
export class ModelSets {
  /** Set -> model -> the set with that model added. */
  readonly #added = new Map<readonly string[], Map<string, readonly string[]>>();
  /** The shared sets, by their models as JSON text. */
  readonly #sets = new Map<string, readonly string[]>();

  /** The shared set holding the models of `set` (a set from this object, or NO_MODELS) and `model`. */
  with(set: readonly string[], model: string): readonly string[] {
    if (set.includes(model)) return set;
    let added = this.#added.get(set);
    if (!added) {
      added = new Map();
      this.#added.set(set, added);
    }
    let out = added.get(model);
    if (!out) {
      const sorted = [...set, model].sort();
      const key = JSON.stringify(sorted);
      out = this.#sets.get(key) ?? Object.freeze(sorted);
      this.#sets.set(key, out);
      added.set(model, out);
    }
    return out;
  }

  /** The shared set holding the models of both `a` and `b` (sets from this object, or NO_MODELS). */
  union(a: readonly string[], b: readonly string[]): readonly string[] {
    let out = a;
    for (const model of b) out = this.with(out, model);
    return out;
  }
}
