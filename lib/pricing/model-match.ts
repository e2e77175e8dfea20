/**
 * Model-name matching for pricing: how a model name as providers report it (`gpt-4o-2024-08-06`,
 * `openai/gpt-4o`, `anthropic.claude-3-5-sonnet-20240620-v1:0`, `llama3.1:8b`,
 * `/models/Meta-Llama-3-8B.Q4_K_M.gguf`) is taken apart, and how a user's price key matches it.
 * Hosted models are found by the price source's own rules (`price-source.ts`); these rules serve the
 * user's overrides and the local-model families. Pure functions.
 *
 * A user key matches a name when the name equals it, or is the key followed only by snapshot suffixes
 * (dates `-2024-08-06`, `-20241022`, `-2407`, versions `-001`, `-latest`, `-preview…`, `-exp…`,
 * Bedrock `-v1:0`, Vertex `@20241022`). Anything else (`gpt-4o-audio-preview`) does not match, so a
 * new variant priced differently is reported as unpriced instead of being priced wrongly.
 */

/** A model name taken apart for lookup. */
export interface ModelName {
  /** Lower-cased name without provider prefix, Bedrock prefix or `.gguf` (Ollama tag kept). */
  readonly name: string;
  /** The name without its Ollama `:tag` (equal to `name` when there is none). */
  readonly base: string;
  /** True when the name carried an Ollama-style `:tag` (`llama3:8b`, `mistral:latest`). */
  readonly tagged: boolean;
  /** True for a `.gguf` file name (llama.cpp). */
  readonly gguf: boolean;
  /** True when the name had a `provider/` or `org/` prefix (`openai/gpt-4o`, `meta-llama/…`). */
  readonly prefixed: boolean;
  /** True for an OpenAI fine-tune (`ft:gpt-4o-mini:org::id`): only user prices apply. */
  readonly fineTune: boolean;
  /** The `provider/` or `org/` prefix, lower-cased, when there was one (`openai`, `meta-llama`). */
  readonly prefix?: string;
  /** The Bedrock model id, region and vendor prefix kept (`us.anthropic.claude-…-v1:0`), for a Bedrock name. */
  readonly bedrockId?: string;
}

const BEDROCK_PREFIX = /^(?:(?:us|eu|apac|global)\.)?(?:anthropic|meta|mistral|amazon|cohere|ai21|deepseek)\./;
const BEDROCK_VERSION = /-v\d+:\d+$/;

/** Suffixes that name a snapshot or alias of the same model (and price). */
export const SNAPSHOT_SUFFIX =
  /^(?:[-@](?:\d{4}-\d{2}-\d{2}|\d{8}|\d{4}|\d{3}|latest|preview(?:-[a-z0-9-]+)?|exp(?:-[a-z0-9-]+)?|v\d+(?::\d+)?))+$/;

/** Takes `model` apart for lookup. */
export function parseModelName(model: string): ModelName {
  let name = model.trim().toLowerCase();
  const fineTune = name.startsWith('ft:');
  const slash = name.lastIndexOf('/');
  const prefixed = slash >= 0 && !name.startsWith('/') && !name.startsWith('.');
  const prefix = prefixed ? name.slice(0, slash) : undefined;
  if (slash >= 0) name = name.slice(slash + 1);
  const gguf = name.endsWith('.gguf');
  if (gguf) name = name.slice(0, -'.gguf'.length);
  const bedrockId = BEDROCK_PREFIX.test(name) ? name : undefined;
  if (bedrockId !== undefined) name = name.replace(BEDROCK_PREFIX, '');
  const colon = name.indexOf(':');
  const tagged = !fineTune && bedrockId === undefined && colon > 0 && !BEDROCK_VERSION.test(name);
  const parsed: { -readonly [K in keyof ModelName]: ModelName[K] } = {
    name,
    base: tagged ? name.slice(0, colon) : name,
    tagged,
    gguf,
    prefixed: prefixed && !gguf,
    fineTune,
  };
  if (prefix !== undefined && !gguf) parsed.prefix = prefix;
  if (bedrockId !== undefined) parsed.bedrockId = bedrockId;
  return parsed;
}

/** True when table key `key` matches the (parsed) `name`: equal, a `family*` prefix, or key + snapshot suffixes. */
export function keyMatches(key: string, name: string): boolean {
  if (key.endsWith('*')) return name.startsWith(key.slice(0, -1));
  if (name === key) return true;
  return name.startsWith(key) && SNAPSHOT_SUFFIX.test(name.slice(key.length));
}

/** The first of `keys` (ordered longest first) that matches `name`, or undefined. */
export function findKey(keys: readonly string[], name: string): string | undefined {
  for (const key of keys) if (keyMatches(key, name)) return key;
  return undefined;
}

/** `keys` ordered longest first, so the most specific key wins (`gpt-4o-mini` before `gpt-4o`). */
export function longestFirst(keys: Iterable<string>): string[] {
  return [...keys].sort((a, b) => b.length - a.length || a.localeCompare(b));
}
