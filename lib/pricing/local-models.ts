/**
 * Models people run on their own machines (Ollama, llama.cpp): the open-model families and local
 * providers that llmtrace prices at $0 unless the user overrides them. Hosted models are priced
 * from the bundled price source (`genai-prices-data.ts`).
 */
import type { ModelPrice } from './model-price.js';

/** The price of a model run locally: nothing. */
export const LOCAL_PRICE: ModelPrice = Object.freeze({ input: 0, output: 0, cachedInput: 0 });

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
