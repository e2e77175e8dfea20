/**
 * The bundled price table: list prices of widely used hosted models in USD per million tokens
 * (input, output, and cached input where the provider discounts prompt-cache reads), as published
 * by each provider on PRICE_TABLE_DATE, plus the families of open models that people run locally
 * (Ollama, llama.cpp) at $0. Standard (non-batch) tier; Google's prices are the prompt <= 128k/200k
 * tier; Anthropic's cache writes (1.25x input) are not modelled. Prices change: users override or
 * add models with `configure({ pricing })` (see docs/cost.md).
 *
 * Keys are base model names; dated snapshots and aliases (`gpt-4o-2024-08-06`,
 * `claude-3-5-sonnet-20241022`, `mistral-large-latest`) match their base (see `model-match.ts`). A
 * snapshot priced differently from its base gets its own key (`gpt-4o-2024-05-13`).
 */

/** Price of one model, USD per million tokens. */
export interface ModelPrice {
  /** Prompt tokens not read from the provider's cache. */
  readonly input: number;
  /** Generated tokens. */
  readonly output: number;
  /** Prompt tokens read from the provider's prompt cache. @default the input price */
  readonly cachedInput?: number;
}

/** The day the bundled prices were taken from the providers' price pages (ISO date). */
export const PRICE_TABLE_DATE = '2025-11-24';

/** The price of a model run locally: nothing. */
export const LOCAL_PRICE: ModelPrice = Object.freeze({ input: 0, output: 0, cachedInput: 0 });

const p = (input: number, output: number, cachedInput?: number): ModelPrice =>
  Object.freeze(cachedInput === undefined ? { input, output } : { input, output, cachedInput });

/** Bundled prices of hosted models, USD per million tokens, keyed by base model name. */
export const BUNDLED_PRICES: Readonly<Record<string, ModelPrice>> = Object.freeze({
  // OpenAI
  'gpt-5': p(1.25, 10, 0.125),
  'gpt-5-chat': p(1.25, 10, 0.125),
  'gpt-5-mini': p(0.25, 2, 0.025),
  'gpt-5-nano': p(0.05, 0.4, 0.005),
  'gpt-4.1': p(2, 8, 0.5),
  'gpt-4.1-mini': p(0.4, 1.6, 0.1),
  'gpt-4.1-nano': p(0.1, 0.4, 0.025),
  'gpt-4o': p(2.5, 10, 1.25),
  'gpt-4o-2024-05-13': p(5, 15),
  'chatgpt-4o': p(5, 15),
  'gpt-4o-mini': p(0.15, 0.6, 0.075),
  'gpt-4-turbo': p(10, 30),
  'gpt-4': p(30, 60),
  'gpt-3.5-turbo': p(0.5, 1.5),
  'o1': p(15, 60, 7.5),
  'o1-mini': p(1.1, 4.4, 0.55),
  'o1-pro': p(150, 600),
  'o3': p(2, 8, 0.5),
  'o3-mini': p(1.1, 4.4, 0.55),
  'o3-pro': p(20, 80),
  'o4-mini': p(1.1, 4.4, 0.275),
  'text-embedding-3-small': p(0.02, 0),
  'text-embedding-3-large': p(0.13, 0),
  'text-embedding-ada-002': p(0.1, 0),

  // Anthropic (cache reads at 0.1x input)
  'claude-opus-4-5': p(5, 25, 0.5),
  'claude-opus-4-1': p(15, 75, 1.5),
  'claude-opus-4-0': p(15, 75, 1.5),
  'claude-opus-4': p(15, 75, 1.5),
  'claude-sonnet-4-5': p(3, 15, 0.3),
  'claude-sonnet-4-0': p(3, 15, 0.3),
  'claude-sonnet-4': p(3, 15, 0.3),
  'claude-haiku-4-5': p(1, 5, 0.1),
  'claude-3-7-sonnet': p(3, 15, 0.3),
  'claude-3-5-sonnet': p(3, 15, 0.3),
  'claude-3-5-haiku': p(0.8, 4, 0.08),
  'claude-3-opus': p(15, 75, 1.5),
  'claude-3-sonnet': p(3, 15, 0.3),
  'claude-3-haiku': p(0.25, 1.25, 0.03),

  // Google Gemini (prompts up to 200k tokens for 2.5 Pro, 128k for 1.5)
  'gemini-2.5-pro': p(1.25, 10, 0.125),
  'gemini-2.5-flash': p(0.3, 2.5, 0.03),
  'gemini-2.5-flash-lite': p(0.1, 0.4, 0.01),
  'gemini-2.0-flash': p(0.1, 0.4, 0.025),
  'gemini-2.0-flash-lite': p(0.075, 0.3),
  'gemini-1.5-pro': p(1.25, 5, 0.3125),
  'gemini-1.5-flash': p(0.075, 0.3, 0.01875),
  'gemini-1.5-flash-8b': p(0.0375, 0.15, 0.01),

  // Mistral (La Plateforme)
  'mistral-large': p(2, 6),
  'mistral-medium': p(0.4, 2),
  'mistral-small': p(0.1, 0.3),
  'magistral-medium': p(2, 5),
  'magistral-small': p(0.5, 1.5),
  'codestral': p(0.3, 0.9),
  'devstral-small': p(0.1, 0.3),
  'devstral-medium': p(0.4, 2),
  'pixtral-large': p(2, 6),
  'pixtral-12b': p(0.15, 0.15),
  'ministral-8b': p(0.1, 0.1),
  'ministral-3b': p(0.04, 0.04),
  'open-mistral-nemo': p(0.15, 0.15),
  'open-mistral-7b': p(0.25, 0.25),
  'open-mixtral-8x7b': p(0.7, 0.7),
  'open-mixtral-8x22b': p(2, 6),
  'mistral-embed': p(0.1, 0),
});

/**
 * Open-model families served locally (Ollama, llama.cpp): a model whose name starts with one of
 * these is priced $0 when it carries an Ollama `:tag`, is a `.gguf` file, or has no provider prefix
 * and no hosted price matched (`llama3.1`, `qwen2.5-coder:7b`, `phi4`, `nomic-embed-text`).
 */
export const LOCAL_MODEL_FAMILIES: readonly string[] = Object.freeze([
  'llama',
  'meta-llama',
  'codellama',
  'tinyllama',
  'llava',
  'qwen',
  'qwq',
  'gemma',
  'codegemma',
  'phi',
  'deepseek-r1',
  'deepseek-coder',
  'deepseek-v2',
  'gpt-oss',
  'starcoder',
  'smollm',
  'granite',
  'olmo',
  'nomic-embed-text',
  'mxbai-embed-large',
  'all-minilm',
  'snowflake-arctic-embed',
  'bge-m3',
]);

/**
 * Local families whose names clash with hosted models (`mistral:7b` runs locally, `mistral-large`
 * is Mistral's API): priced $0 only with an Ollama `:tag`, as a `.gguf` file, or as the bare name.
 */
export const TAG_ONLY_LOCAL_FAMILIES: readonly string[] = Object.freeze(['mistral', 'mixtral', 'codestral', 'mistral-nemo']);

/** Providers (`gen_ai.provider.name`) that serve models locally, priced $0 unless overridden. */
export const LOCAL_PROVIDERS: ReadonlySet<string> = new Set(['ollama', 'llama.cpp']);
