/**
 * The price of one model and the cost of one call at that price. A price is in USD per million
 * tokens, flat or tiered by the call's total input tokens (the whole call is billed at the tier its
 * prompt reaches, as Google, Anthropic and OpenAI bill long-context prompts). Pure functions.
 */
import type { TokenPrice } from './price-source.js';

export type { TokenPrice };

/** Price of one model, USD per million tokens. */
export interface ModelPrice {
  /** Prompt tokens neither read from nor written to the provider's prompt cache. */
  readonly input: TokenPrice;
  /** Generated tokens (reasoning tokens included). */
  readonly output: TokenPrice;
  /** Prompt tokens read from the provider's prompt cache. @default the input price */
  readonly cachedInput?: TokenPrice;
  /** Prompt tokens written to the provider's prompt cache. @default the input price */
  readonly cacheWrite?: TokenPrice;
}

/** Token counts of one call. `inputTokens` includes cache reads and writes, as the extractors report it. */
export interface TokenUsage {
  inputTokens?: number;
  outputTokens?: number;
  cachedInputTokens?: number;
  cacheWriteInputTokens?: number;
}

function perMillion(price: TokenPrice, inputTokens: number): number {
  if (typeof price === 'number') return price;
  let applies = price.base;
  for (const tier of price.tiers) if (inputTokens > tier.start) applies = tier.price;
  return applies;
}

/** The cost in USD of a call with `usage` at `price` (missing counts are 0; cache counts are capped at the input). */
export function costOf(price: ModelPrice, usage: TokenUsage): number {
  return costOfCounts(price, usage.inputTokens, usage.outputTokens, usage.cachedInputTokens, usage.cacheWriteInputTokens);
}

/**
 * `costOf` with the counts as arguments: the recorder prices every model call, and a usage object
 * per call was 56 B of its allocation (benchmarks/realistic-call.ts, bytes per call).
 */
export function costOfCounts(
  price: ModelPrice,
  inputTokens: number | undefined,
  outputTokens: number | undefined,
  cachedInputTokens: number | undefined,
  cacheWriteInputTokens: number | undefined,
): number {
  const input = inputTokens ?? 0;
  const read = Math.min(cachedInputTokens ?? 0, input);
  const written = Math.min(cacheWriteInputTokens ?? 0, input - read);
  const output = outputTokens ?? 0;
  const inputPrice = perMillion(price.input, input);
  const usdTimesMillion =
    (input - read - written) * inputPrice +
    read * (price.cachedInput === undefined ? inputPrice : perMillion(price.cachedInput, input)) +
    written * (price.cacheWrite === undefined ? inputPrice : perMillion(price.cacheWrite, input)) +
    output * perMillion(price.output, input);
  return usdTimesMillion / 1_000_000;
}
