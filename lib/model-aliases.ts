/**
 * The other names of the models calls are counted under. A call names its model twice, as requested
 * and as answered; it counts under one (`callModelOf`), so the other is an alias: a dated snapshot
 * for the requested model (`gpt-4o-mini-2024-07-18` for `gpt-4o-mini`), or a deployment or a
 * client's default for the answered one (`prod-chat` for `gpt-4o-2024-08-06`). Learned from the calls
 * that were answered, the aliases put what names only one of them (a failed call: no answer; an
 * evaluation naming the answered model) with the calls of the same model.
 */
import { callModelOf, modelNamesOf } from './attributes.js';
import type { Attributes } from './span.js';

/** Aliases remembered at most (a store of many models still fits). */
const MAX_ALIASES = 10_000;

/** @internal Aliases of model names, learned from spans' attributes. */
export class ModelAliases {
  /** Alias -> the name it is counted under; undefined once answered calls gave it two (a router). */
  readonly #counted = new Map<string, string | undefined>();
  /** Names answered spans are counted under: never an alias of another. */
  readonly #names = new Set<string>();

  /**
   * Learns from a span's attributes (the name it is not counted under stands for the one it is) and
   * returns the name the span itself names its model by (`callModelOf`), or undefined without a model;
   * `countedName` of it is where its call counts, as far as the spans learned so far tell.
   */
  learn(a: Readonly<Attributes>): string | undefined {
    const counted = callModelOf(a);
    if (counted === undefined) return undefined;
    const [request, response] = modelNamesOf(a);
    if (request === undefined || response === undefined) return counted;
    if (this.#names.size < MAX_ALIASES) this.#names.add(counted);
    if (request === response) return counted;
    const other = counted === request ? response : request;
    if (!this.#counted.has(other)) {
      if (this.#counted.size < MAX_ALIASES) this.#counted.set(other, counted);
    } else if (this.#counted.get(other) !== counted) this.#counted.set(other, undefined); // answered by two models: no alias
    return counted;
  }

  /**
   * The name `name`'s calls count under: the one answered calls gave it, or `name` itself when it
   * is no alias, when answered calls gave it two models (a router: which one a failure was meant for
   * is not known), or when answered calls are counted under it too (a model requested by that name
   * and answered as itself or a snapshot: then it is no alias, whatever else answered to it).
   */
  countedName(name: string): string {
    if (this.#names.has(name)) return name;
    return this.#counted.get(name) ?? name;
  }
}
