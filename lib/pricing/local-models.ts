/**
 * Models people run on their own machines (Ollama, llama.cpp): the open-model families, local
 * providers and server addresses that llmtrace prices at $0 unless the user overrides them. Hosted
 * models are priced from the bundled price source (`genai-prices-data.ts`).
 */
import type { ModelPrice } from './model-price.js';

/** The price of a model run locally: nothing. */
export const LOCAL_PRICE: ModelPrice = Object.freeze({ input: 0, output: 0, cachedInput: 0 });

/**
 * Open-model families served locally (Ollama, llama.cpp): a model whose name starts with one of
 * these is priced $0 when it carries an Ollama `:tag`, is a `.gguf` file, or has no provider prefix,
 * no hosted price matched and the call was not shown to be hosted (`llama3.1`, `qwen2.5-coder:7b`,
 * `phi4`, `nomic-embed-text`; see `isLocalServer`).
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

/** IPv4 loopback, private (RFC 1918), link-local and shared (RFC 6598, Tailscale's) ranges, and 0.0.0.0. */
const LOCAL_IPV4 = /^(?:127\.|10\.|192\.168\.|169\.254\.|172\.(?:1[6-9]|2\d|3[01])\.|100\.(?:6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.|0\.0\.0\.0$)/;

/** IPv6 loopback, unique-local (fc00::/7) and link-local (fe80::/10) addresses. */
const LOCAL_IPV6 = /^(?:::1?|f[cd][0-9a-f]{0,2}:.*|fe[89ab][0-9a-f]:.*)$/;

/** Names that only resolve on a machine or its network (`localhost`, mDNS `.local`, `.internal`, `.lan`, `home.arpa`). */
const LOCAL_NAME = /(?:^|\.)(?:localhost|local|internal|lan|home\.arpa)$/;

/**
 * Whether a server (`server.address`) is on the caller's machine or network: a loopback, private or
 * link-local address, a local-only name, or a name without a dot (a container or LAN host such as
 * `ollama`). A local-family model on any other server is hosted, so it is not priced $0.
 */
export function isLocalServer(address: string): boolean {
  let host = address.trim().toLowerCase();
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (host.includes(':')) return LOCAL_IPV6.test(host);
  return !host.includes('.') || LOCAL_IPV4.test(host) || LOCAL_NAME.test(host);
}
