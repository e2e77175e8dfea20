/**
 * PriceTable: finds the price of a model (the user's overrides first, then local models at $0, then
 * the bundled price source generated from `@pydantic/genai-prices`, then bare local-family names at
 * $0 unless the call was hosted) and computes the cost of a call from its token usage. Lookups are
 * memoised per (provider, model) name (bounded), so pricing a span costs one map lookup once a model
 * was seen.
 */
import { PRICE_SOURCE } from './genai-prices-data.js';
import { isLocalServer, LOCAL_MODEL_FAMILIES, LOCAL_PRICE, LOCAL_PROVIDERS, TAG_ONLY_LOCAL_FAMILIES } from './local-models.js';
import { costOf, type ModelPrice, type TokenUsage } from './model-price.js';
import { findKey, longestFirst, parseModelName, type ModelName } from './model-match.js';
import { checkPriceOverrides } from '../internal/option-schemas.js';
import { findModel, isTimeDependent, pricesAt, providerById, providerOfModel, type SourceModel, type SourcePrices } from './price-source.js';

export type { ModelPrice, TokenUsage };

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
  /** USD per `per` prompt tokens read from the provider's cache. @default the input price */
  cachedInput?: number;
  /** USD per `per` prompt tokens written to the provider's cache. @default the input price */
  cacheWrite?: number;
  /**
   * The token count the prices are for.
   * @default '1M'
   */
  per?: '1M' | '1K';
}

/** User prices by model name (`configure({ pricing })`). They win over the bundled table. */
export type PriceOverrides = Readonly<Record<string, PriceOverride>>;

/** Most distinct model names whose lookup is memoised (the memo is cleared when full). */
export const MAX_MEMOISED_MODELS = 1024;

const TOKENS_PER_UNIT = { '1M': 1_000_000, '1K': 1_000 } as const;

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
  const { input, output, cachedInput, cacheWrite, per = '1M' } = override as Record<string, unknown>;
  if (per !== '1M' && per !== '1K') {
    throw new TypeError(`llmtrace: ${at}.per must be '1M' or '1K', got ${String(per)} (${typeof per})`);
  }
  for (const [field, value] of [['input', input], ['output', output], ['cachedInput', cachedInput], ['cacheWrite', cacheWrite]] as const) {
    if ((field === 'cachedInput' || field === 'cacheWrite') && value === undefined) continue;
    if (!isPrice(value)) {
      throw new TypeError(
        `llmtrace: ${at}.${field} must be a non-negative number (USD per ${per} tokens), got ${String(value)} (${typeof value})`,
      );
    }
  }
  const scale = TOKENS_PER_UNIT['1M'] / TOKENS_PER_UNIT[per];
  const price: { input: number; output: number; cachedInput?: number; cacheWrite?: number } = {
    input: (input as number) * scale,
    output: (output as number) * scale,
  };
  if (cachedInput !== undefined) price.cachedInput = (cachedInput as number) * scale;
  if (cacheWrite !== undefined) price.cacheWrite = (cacheWrite as number) * scale;
  return Object.freeze(price);
}

/**
 * A bare local-family name (`llama3`) no hosted rule priced: $0 when the call may be local, none when
 * its server is a public host (the memo is per provider, the server per call).
 */
const LOCAL_FAMILY = Symbol('local family');

/**
 * A memoised lookup: a fixed price, a price that depends on the time of the call, a local-family
 * name, or none.
 */
type Resolved = ModelPrice | SourceModel | typeof LOCAL_FAMILY | null;

const converted = new WeakMap<SourcePrices, ModelPrice | null>();

/** The source's token prices as a ModelPrice, or null when the model has no token prices. */
function toModelPrice(prices: SourcePrices): ModelPrice | null {
  let price = converted.get(prices);
  if (price === undefined) {
    const { input_mtok: input, output_mtok: output, cache_read_mtok: cachedInput, cache_write_mtok: cacheWrite } = prices;
    if (input === undefined && output === undefined) {
      price = null;
    } else {
      const p: { -readonly [K in keyof ModelPrice]: ModelPrice[K] } = { input: input ?? 0, output: output ?? 0 };
      if (cachedInput !== undefined) p.cachedInput = cachedInput;
      if (cacheWrite !== undefined) p.cacheWrite = cacheWrite;
      price = Object.freeze(p);
    }
    converted.set(prices, price);
  }
  return price;
}

/**
 * The hosted model `model` names, found by the price source's rules, with `provider` as a hint. The
 * hinted provider is also searched under the name's `org/` prefix, which hosts of open models keep
 * in their ids (Groq's `meta-llama/llama-4-scout-17b-16e-instruct`, Together's `meta-llama/...`).
 */
function sourceModel(model: ModelName, provider: string | undefined): SourceModel | undefined {
  const hint = model.bedrockId !== undefined ? 'aws' : (provider ?? model.prefix);
  const name = model.bedrockId ?? model.name;
  const hinted = hint === undefined ? undefined : providerById(PRICE_SOURCE, hint);
  const fullName = model.prefix === undefined ? undefined : `${model.prefix}/${name}`;
  const found = hinted && (findModel(PRICE_SOURCE, hinted, name) ?? (fullName === undefined ? undefined : findModel(PRICE_SOURCE, hinted, fullName)));
  if (found !== undefined) return found;
  const byName = providerOfModel(PRICE_SOURCE, name);
  return byName && byName !== hinted ? findModel(PRICE_SOURCE, byName, name) : undefined;
}

/**
 * Whether `provider` names a hosted provider of the price source (`groq`, `together`, `fireworks`,
 * `azure.ai.openai`, …): its calls are never priced as local models by family name. `openai` is
 * left out: it is also what OpenAI-compatible shapes and adapters say of any server, local ones
 * included, so for it the server address decides.
 */
function isHostedProvider(provider: string | undefined): boolean {
  return provider !== undefined && provider !== 'openai' && providerById(PRICE_SOURCE, provider) !== undefined;
}

/** Prices models: user overrides, then local models at $0, then the bundled price source. */
export class PriceTable {
  readonly #user = new Map<string, ModelPrice>();
  readonly #userKeys: string[];
  /** Resolved prices per provider (undefined: none given), then per model name: no key is built per call. */
  readonly #memo = new Map<string | undefined, Map<string, Resolved>>();
  #memoised = 0;

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
   * `provider` (`gen_ai.provider.name`) picks the provider's price list (`azure.ai.openai`,
   * `aws.bedrock`, `groq`, …) and prices `ollama` and `llama.cpp` models at $0. `at` (epoch ms,
   * default now) picks dated and time-of-day prices. `server` (`server.address`) tells a hosted call
   * from a local one: a bare local-family name (`llama3`) that no hosted price matched is $0 only
   * when neither a hosted provider nor a public server (see `isLocalServer`) served it.
   * @example
   * table.lookup('llama-3.3-70b-versatile', 'groq'); // Groq's price
   * table.lookup('llama3', 'openai', undefined, '127.0.0.1'); // $0: a local server
   * table.lookup('llama3', 'openai', undefined, 'api.example.com'); // undefined: hosted, unpriced
   */
  lookup(model: string, provider?: string, at?: number, server?: string): ModelPrice | undefined {
    let models = this.#memo.get(provider);
    let resolved = models?.get(model);
    if (resolved === undefined) {
      resolved = this.#resolve(parseModelName(model), provider) ?? null;
      if (this.#memoised >= MAX_MEMOISED_MODELS) {
        this.#memo.clear();
        this.#memoised = 0;
        models = undefined;
      }
      if (models === undefined) this.#memo.set(provider, (models = new Map()));
      models.set(model, resolved);
      this.#memoised++;
    }
    if (resolved === null) return undefined;
    if (resolved === LOCAL_FAMILY) return server === undefined || isLocalServer(server) ? LOCAL_PRICE : undefined;
    if (!('match' in resolved)) return resolved;
    return toModelPrice(pricesAt(resolved, at === undefined ? new Date() : new Date(at))) ?? undefined;
  }

  /** The cost in USD of a call with `usage` at `price` (missing counts are 0). */
  cost(price: ModelPrice, usage: TokenUsage): number {
    return costOf(price, usage);
  }

  #resolve(model: ModelName, provider: string | undefined): Resolved | undefined {
    const user = findKey(this.#userKeys, model.name) ?? (model.tagged ? findKey(this.#userKeys, model.base) : undefined);
    if (user !== undefined) return this.#user.get(user);
    if (model.fineTune) return undefined;
    localFamilies ??= longestFirst(LOCAL_MODEL_FAMILIES.map((family) => `${family}*`));
    tagOnlyFamilies ??= longestFirst(TAG_ONLY_LOCAL_FAMILIES.map((family) => `${family}*`));
    if ((provider !== undefined && LOCAL_PROVIDERS.has(provider)) || model.gguf) return LOCAL_PRICE;
    if (model.tagged && (findKey(localFamilies, model.base) || findKey(tagOnlyFamilies, model.base))) return LOCAL_PRICE;
    const hosted = sourceModel(model, provider);
    if (hosted !== undefined) return isTimeDependent(hosted) ? hosted : toModelPrice(hosted.prices as SourcePrices);
    if (model.prefixed || model.bedrockId !== undefined) return undefined;
    if (isHostedProvider(provider)) return undefined;
    if (findKey(localFamilies, model.name) || TAG_ONLY_LOCAL_FAMILIES.includes(model.name)) return LOCAL_FAMILY;
    return undefined;
  }
}
