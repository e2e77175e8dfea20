/**
 * PriceTable: finds the price of a model (the user's overrides first, then the bundled table, then
 * the local-model families at $0) and computes the cost of a call from its token usage. Lookups are
 * memoised per model name (bounded), so pricing a span costs one map lookup once a model was seen.
 */
import {
  BUNDLED_PRICES,
  LOCAL_MODEL_FAMILIES,
  LOCAL_PRICE,
  LOCAL_PROVIDERS,
  TAG_ONLY_LOCAL_FAMILIES,
  type ModelPrice,
} from './bundled-prices.js';
import { findKey, longestFirst, parseModelName, type ModelName } from './model-match.js';
import { checkPriceOverrides } from '../internal/option-schemas.js';

/**
 * A user price for one model. Keys of `PriceOverrides` are model names matched like the bundled
 * ones (dated snapshots and provider prefixes included); a key ending in `*` matches every model
 * starting with it (`my-finetune-*`).
 */
export interface PriceOverride {
  /** USD per `per` prompt tokens (not read from cache). */
  input: number;
  /** USD per `per` generated tokens. */
  output: number;
  /** USD per `per` cached prompt tokens. @default the input price */
  cachedInput?: number;
  /**
   * The token count the prices are for.
   * @default '1M'
   */
  per?: '1M' | '1K';
}

/** User prices by model name (`configure({ pricing })`). They win over the bundled table. */
export type PriceOverrides = Readonly<Record<string, PriceOverride>>;

/** Token counts of one call. `inputTokens` includes cached ones, as the extractors report it. */
export interface TokenUsage {
  inputTokens?: number;
  outputTokens?: number;
  cachedInputTokens?: number;
}

/** Most distinct model names whose lookup is memoised (the memo is cleared when full). */
export const MAX_MEMOISED_MODELS = 1024;

const TOKENS_PER_UNIT = { '1M': 1_000_000, '1K': 1_000 } as const;

let bundledKeys: string[] | undefined;
let localFamilies: string[] | undefined;
let tagOnlyFamilies: string[] | undefined;

function isPrice(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function checkOverride(model: string, override: unknown): ModelPrice {
  const at = `pricing[${JSON.stringify(model)}]`;
  if (override === null || typeof override !== 'object') {
    throw new TypeError(`llmtrace: ${at} must be an object { input, output, cachedInput?, per? }, got ${String(override)} (${typeof override})`);
  }
  const { input, output, cachedInput, per = '1M' } = override as Record<string, unknown>;
  if (per !== '1M' && per !== '1K') {
    throw new TypeError(`llmtrace: ${at}.per must be '1M' or '1K', got ${String(per)} (${typeof per})`);
  }
  for (const [field, value] of [['input', input], ['output', output], ['cachedInput', cachedInput]] as const) {
    if (field === 'cachedInput' && value === undefined) continue;
    if (!isPrice(value)) {
      throw new TypeError(
        `llmtrace: ${at}.${field} must be a non-negative number (USD per ${per} tokens), got ${String(value)} (${typeof value})`,
      );
    }
  }
  const scale = TOKENS_PER_UNIT['1M'] / TOKENS_PER_UNIT[per];
  const price = { input: (input as number) * scale, output: (output as number) * scale };
  return Object.freeze(cachedInput === undefined ? price : { ...price, cachedInput: (cachedInput as number) * scale });
}

/** Prices models: user overrides, then the bundled table, then local families at $0. */
export class PriceTable {
  readonly #user = new Map<string, ModelPrice>();
  readonly #userKeys: string[];
  readonly #memo = new Map<string, ModelPrice | null>();

  /**
   * @param overrides User prices, per million tokens unless `per: '1K'`.
   * @throws TypeError naming the model and field when a price is invalid.
   */
  constructor(overrides: PriceOverrides = {}) {
    checkPriceOverrides(overrides);
    if (overrides === null || typeof overrides !== 'object' || Array.isArray(overrides)) {
      throw new TypeError(`llmtrace: pricing must be an object of model name to price, got ${String(overrides)} (${typeof overrides})`);
    }
    for (const [model, override] of Object.entries(overrides)) {
      if (model.trim() === '') throw new TypeError('llmtrace: pricing keys must be non-empty model names, got an empty string');
      this.#user.set(parseModelName(model).name, checkOverride(model, override));
    }
    this.#userKeys = longestFirst(this.#user.keys());
  }

  /**
   * The price of `model` in USD per million tokens, or undefined when it is unknown.
   * `provider` (`gen_ai.provider.name`) prices `ollama` and `llama.cpp` models at $0.
   */
  lookup(model: string, provider?: string): ModelPrice | undefined {
    const local = provider !== undefined && LOCAL_PROVIDERS.has(provider);
    const memoKey = local ? `local:${model}` : model;
    let price = this.#memo.get(memoKey);
    if (price === undefined) {
      price = this.#resolve(parseModelName(model), local) ?? null;
      if (this.#memo.size >= MAX_MEMOISED_MODELS) this.#memo.clear();
      this.#memo.set(memoKey, price);
    }
    return price ?? undefined;
  }

  /** The cost in USD of a call with `usage` at `price` (missing counts are 0). */
  cost(price: ModelPrice, usage: TokenUsage): number {
    const input = usage.inputTokens ?? 0;
    const cached = Math.min(usage.cachedInputTokens ?? 0, input);
    const output = usage.outputTokens ?? 0;
    const usdTimesMillion = (input - cached) * price.input + cached * (price.cachedInput ?? price.input) + output * price.output;
    return usdTimesMillion / TOKENS_PER_UNIT['1M'];
  }

  #resolve(model: ModelName, localProvider: boolean): ModelPrice | undefined {
    const user = findKey(this.#userKeys, model.name) ?? (model.tagged ? findKey(this.#userKeys, model.base) : undefined);
    if (user !== undefined) return this.#user.get(user);
    if (model.fineTune) return undefined;
    localFamilies ??= longestFirst(LOCAL_MODEL_FAMILIES.map((family) => `${family}*`));
    tagOnlyFamilies ??= longestFirst(TAG_ONLY_LOCAL_FAMILIES.map((family) => `${family}*`));
    if (localProvider || model.gguf) return LOCAL_PRICE;
    if (model.tagged && (findKey(localFamilies, model.base) || findKey(tagOnlyFamilies, model.base))) return LOCAL_PRICE;
    bundledKeys ??= longestFirst(Object.keys(BUNDLED_PRICES));
    const bundled = findKey(bundledKeys, model.name);
    if (bundled !== undefined) return BUNDLED_PRICES[bundled];
    if (model.prefixed) return undefined;
    if (findKey(localFamilies, model.name) || TAG_ONLY_LOCAL_FAMILIES.includes(model.name)) return LOCAL_PRICE;
    return undefined;
  }
}
