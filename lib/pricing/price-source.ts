/**
 * Finding a hosted model in the bundled price source (`genai-prices-data.ts`, generated from
 * `@pydantic/genai-prices`) by that source's own rules: a provider is picked by id (or its
 * `provider_match`), else by which provider's `model_match` the name satisfies; within the provider
 * the first model whose `match` rule holds wins, then the name with its `-YYYYMMDD` date rewritten
 * as `-YYYY-MM-DD`, then the provider's fallback providers. The rules are the source's, ported so
 * that a lookup costs microseconds once and nothing after memoisation (the package itself takes
 * ~470 ms to load and ~400 µs per `calcPrice`; see docs/dependencies.md). Pure functions.
 */

/** A price in USD per million tokens: flat, or tiered by the call's total input tokens. */
export type TokenPrice = number | { readonly base: number; readonly tiers: readonly { readonly start: number; readonly price: number }[] };

/** The token prices of one model, as the source writes them (USD per million tokens). */
export interface SourcePrices {
  readonly input_mtok?: TokenPrice;
  readonly output_mtok?: TokenPrice;
  readonly cache_read_mtok?: TokenPrice;
  readonly cache_write_mtok?: TokenPrice;
}

/** A condition under which a dated or time-of-day price applies. */
export type PriceConstraint =
  | { readonly type: 'start_date'; readonly start_date: string }
  | { readonly type: 'time_of_date'; readonly start_time: string; readonly end_time: string };

/** The source's rule for matching a model or provider name (case-insensitive). */
export type MatchRule =
  | { readonly or: readonly MatchRule[] }
  | { readonly and: readonly MatchRule[] }
  | { readonly equals: string }
  | { readonly starts_with: string }
  | { readonly ends_with: string }
  | { readonly contains: string }
  | { readonly regex: string };

/** One model of the source. */
export interface SourceModel {
  readonly id: string;
  readonly match: MatchRule;
  readonly prices: SourcePrices | readonly { readonly constraint?: PriceConstraint; readonly prices: SourcePrices }[];
}

/** One provider of the source. */
export interface SourceProvider {
  readonly id: string;
  readonly provider_match?: MatchRule;
  readonly model_match?: MatchRule;
  readonly fallback_model_providers?: readonly string[];
  readonly models: readonly SourceModel[];
}

const regexes = new Map<string, RegExp>();

/** True when `name` (lower-cased) satisfies `rule`. */
export function matches(rule: MatchRule, name: string): boolean {
  if ('or' in rule) return rule.or.some((r) => matches(r, name));
  if ('and' in rule) return rule.and.every((r) => matches(r, name));
  if ('equals' in rule) return name === rule.equals.toLowerCase();
  if ('starts_with' in rule) return name.startsWith(rule.starts_with.toLowerCase());
  if ('ends_with' in rule) return name.endsWith(rule.ends_with.toLowerCase());
  if ('contains' in rule) return name.includes(rule.contains.toLowerCase());
  let re = regexes.get(rule.regex);
  if (re === undefined) regexes.set(rule.regex, (re = new RegExp(rule.regex)));
  return re.test(name);
}

/** OpenTelemetry `gen_ai.provider.name` values whose source provider has another id. */
const SEMCONV_PROVIDERS: Readonly<Record<string, string>> = {
  'gcp.gemini': 'google',
  'gcp.vertex_ai': 'google',
  'gcp.gen_ai': 'google',
  'aws.bedrock': 'aws',
  'azure.ai.openai': 'azure',
  'azure.ai.inference': 'azure',
  mistral_ai: 'mistral',
  x_ai: 'x-ai',
  xai: 'x-ai',
};

/** The source provider named `id` (an OpenTelemetry provider name or the source's own id), if any. */
export function providerById(source: readonly SourceProvider[], id: string): SourceProvider | undefined {
  const wanted = SEMCONV_PROVIDERS[id] ?? id.trim().toLowerCase();
  return source.find((p) => p.id === wanted) ?? source.find((p) => p.provider_match !== undefined && matches(p.provider_match, wanted));
}

/** The first source provider whose `model_match` rule holds for `name`, if any. */
export function providerOfModel(source: readonly SourceProvider[], name: string): SourceProvider | undefined {
  return source.find((p) => p.model_match !== undefined && matches(p.model_match, name));
}

const COMPACT_DATE = /-(20\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=-|:|$)/g;

function findIn(source: readonly SourceProvider[], provider: SourceProvider, name: string, depth = 0): SourceModel | undefined {
  const model = provider.models.find((m) => matches(m.match, name));
  if (model !== undefined || depth > 0) return model;
  for (const id of provider.fallback_model_providers ?? []) {
    const fallback = source.find((p) => p.id === id);
    const found = fallback && findIn(source, fallback, name, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** The model `name` (lower-cased, no provider prefix) of `provider` in the source, if any. */
export function findModel(source: readonly SourceProvider[], provider: SourceProvider, name: string): SourceModel | undefined {
  const found = findIn(source, provider, name);
  if (found !== undefined) return found;
  const dashed = name.replace(COMPACT_DATE, '-$1-$2-$3');
  return dashed === name ? undefined : findIn(source, provider, dashed);
}

function secondsOfDay(time: string): number {
  const m = /^(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|([+-])(\d{2}):(\d{2}))$/.exec(time);
  if (!m) return 0;
  const offset = m[4] === 'Z' ? 0 : (m[5] === '+' ? 1 : -1) * (Number(m[6]) * 3600 + Number(m[7]) * 60);
  return (Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) - offset + 86_400) % 86_400;
}

function holds(constraint: PriceConstraint, at: Date): boolean {
  if (constraint.type === 'start_date') return at >= new Date(constraint.start_date);
  const now = at.getUTCHours() * 3600 + at.getUTCMinutes() * 60 + at.getUTCSeconds();
  const start = secondsOfDay(constraint.start_time);
  const end = secondsOfDay(constraint.end_time);
  return end < start ? now >= start || now < end : now >= start && now < end;
}

/** True when `model`'s price depends on the date or time of the call. */
export function isTimeDependent(model: SourceModel): boolean {
  return Array.isArray(model.prices);
}

/** The prices of `model` that apply at `at` (the last variant whose constraint holds). */
export function pricesAt(model: SourceModel, at: Date): SourcePrices {
  const prices = model.prices;
  if (!Array.isArray(prices)) return prices as SourcePrices;
  const variants = prices as readonly { readonly constraint?: PriceConstraint; readonly prices: SourcePrices }[];
  for (let i = variants.length - 1; i >= 0; i--) {
    const variant = variants[i]!;
    if (variant.constraint === undefined || holds(variant.constraint, at)) return variant.prices;
  }
  return variants[0]!.prices;
}
