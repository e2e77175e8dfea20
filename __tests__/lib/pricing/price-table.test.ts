import { calcPrice } from '@pydantic/genai-prices';
import { PRICE_SOURCE_VERSION } from '../../../index.js';
import { PriceTable } from '../../../lib/extend/index.js';
import { isLocalServer } from '../../../lib/pricing/local-models.js';

const table = new PriceTable();
const MILLION = { inputTokens: 1_000_000, outputTokens: 1_000_000 };

/** The source library's own answer for the same model and usage (it is a devDependency, never loaded at run time). */
function sourceCost(model: string, usage: Record<string, number | undefined>, providerId?: string): number | undefined {
  return calcPrice(usage, model, providerId === undefined ? undefined : { providerId })?.total_price;
}

describe('PriceTable', () => {
  it('names the version of @pydantic/genai-prices its prices come from', () => {
    expect(PRICE_SOURCE_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it.each([
    ['gpt-5.1'],
    ['gpt-5.2'],
    ['gpt-5.5'],
    ['gpt-4o-mini-2024-07-18'],
    ['gpt-4o-2024-05-13'],
    ['o4-mini-2025-04-16'],
    ['claude-opus-4-6'],
    ['claude-opus-4-7'],
    ['claude-sonnet-4-6'],
    ['claude-sonnet-4-5-20250929'],
    ['claude-3-5-haiku-latest'],
    ['gemini-3-pro-preview'],
    ['gemini-2.5-flash'],
    ['mistral-large-latest'],
    ['mistral-medium-latest'],
    ['deepseek-chat'],
    ['grok-4'],
    ['command-r-plus'],
  ])('prices %s as @pydantic/genai-prices does', (model) => {
    const price = table.lookup(model);
    expect(price).toBeDefined();
    for (const usage of [
      { input_tokens: 1_000_000, output_tokens: 1_000_000 },
      { input_tokens: 1_200, output_tokens: 80, cache_read_tokens: 1_000 },
      { input_tokens: 300_000, output_tokens: 2_000, cache_read_tokens: 100_000, cache_write_tokens: 50_000 },
    ]) {
      const ours = table.cost(price!, {
        inputTokens: usage.input_tokens,
        outputTokens: usage.output_tokens,
        cachedInputTokens: usage.cache_read_tokens,
        cacheWriteInputTokens: usage.cache_write_tokens,
      });
      expect(ours).toBeCloseTo(sourceCost(model, usage)!, 9);
    }
  });

  it('resolves moving aliases by the source rules, not by stripping suffixes', () => {
    // Stripping `-latest` priced mistral-large-latest 4x too high and mistral-medium-latest 3.75x too low.
    expect(table.cost(table.lookup('mistral-large-latest')!, MILLION)).toBeCloseTo(sourceCost('mistral-large-latest', { input_tokens: 1e6, output_tokens: 1e6 })!, 9);
    expect(table.cost(table.lookup('mistral-medium-latest')!, MILLION)).toBeCloseTo(sourceCost('mistral-medium-latest', { input_tokens: 1e6, output_tokens: 1e6 })!, 9);
  });

  it('applies long-context tiers to the whole call and cache writes at their own price', () => {
    const price = table.lookup('gemini-3-pro-preview')!;
    const short = table.cost(price, { inputTokens: 100_000, outputTokens: 0 });
    const long = table.cost(price, { inputTokens: 300_000, outputTokens: 0 });
    expect(long / 300_000).toBeGreaterThan(short / 100_000);
    const opus = table.lookup('claude-opus-4-6')!;
    const written = table.cost(opus, { inputTokens: 10_000, cacheWriteInputTokens: 10_000, outputTokens: 0 });
    const plain = table.cost(opus, { inputTokens: 10_000, outputTokens: 0 });
    expect(written).toBeGreaterThan(plain);
    expect(written).toBeCloseTo(sourceCost('claude-opus-4-6', { input_tokens: 10_000, cache_write_tokens: 10_000, output_tokens: 0 })!, 9);
  });

  it.each([
    ['openai/gpt-4o', undefined, 'gpt-4o', 'openai'],
    ['anthropic.claude-3-5-sonnet-20240620-v1:0', undefined, 'anthropic.claude-3-5-sonnet-20240620-v1:0', 'aws'],
    ['us.anthropic.claude-sonnet-4-20250514-v1:0', 'aws.bedrock', 'us.anthropic.claude-sonnet-4-20250514-v1:0', 'aws'],
    ['gpt-4o', 'azure.ai.openai', 'gpt-4o', 'azure'],
    ['text-embedding-3-small', 'openai', 'text-embedding-3-small', 'openai'],
    ['llama-3.3-70b-versatile', 'groq', 'llama-3.3-70b-versatile', 'groq'],
    ['meta-llama/llama-4-scout-17b-16e-instruct', 'groq', 'meta-llama/llama-4-scout-17b-16e-instruct', 'groq'],
    ['openai/gpt-oss-120b', 'groq', 'openai/gpt-oss-120b', 'groq'],
    ['meta-llama/Llama-3.3-70B-Instruct-Turbo', 'together', 'meta-llama/Llama-3.3-70B-Instruct-Turbo', 'together'],
    ['accounts/fireworks/models/llama-v3p1-8b-instruct', 'fireworks', 'accounts/fireworks/models/llama-v3p1-8b-instruct', 'fireworks'],
    ['GPT-4o', undefined, 'gpt-4o', undefined],
  ])('finds %s (provider %s) in the provider the name or gen_ai.provider.name points to', (model, provider, sourceName, sourceProvider) => {
    const price = table.lookup(model, provider);
    expect(price).toBeDefined();
    expect(table.cost(price!, MILLION)).toBeCloseTo(sourceCost(sourceName, { input_tokens: 1e6, output_tokens: 1e6 }, sourceProvider)!, 9);
  });

  it('computes cost from usage, cached input at its discounted price', () => {
    expect(table.cost({ input: 2.5, output: 10, cachedInput: 1.25 }, { inputTokens: 1_000, cachedInputTokens: 400, outputTokens: 200 })).toBeCloseTo(0.004, 12);
    expect(table.cost({ input: 1, output: 2 }, { inputTokens: 1_000_000, cachedInputTokens: 1_000_000 })).toBe(1);
  });

  it.each(['llama3', 'llama3.1:8b', 'mistral:latest', 'mistral', 'mixtral:8x7b', 'codestral:22b', 'qwen2.5-coder:7b', 'gemma2', 'phi3:mini', 'nomic-embed-text', 'deepseek-r1:14b', '/models/Meta-Llama-3-8B-Instruct.Q4_K_M.gguf', 'ggml-model-q4_0.gguf'])(
    'prices the local model %s at $0',
    (model) => {
      expect(table.lookup(model)).toEqual({ input: 0, output: 0, cachedInput: 0 });
    },
  );

  it('prices a local-family name no hosted price matched at $0 only when no hosted provider or public server served it', () => {
    const local = { input: 0, output: 0, cachedInput: 0 };
    // A hosted provider named: its own price, or none (never $0 for a model it bills).
    expect(table.lookup('llama-3.3-70b-versatile', 'groq')?.input).toBeGreaterThan(0);
    expect(table.lookup('llama-9-400b-versatile', 'groq')).toBeUndefined();
    expect(table.lookup('llama3', 'together')).toBeUndefined();
    expect(table.lookup('qwen3-coder', 'fireworks')).toBeUndefined();
    expect(table.lookup('llama3', 'groq', undefined, '127.0.0.1')).toBeUndefined();
    // OpenAI-compatible calls (`openai`, or a self-hosted server's name): the server decides.
    expect(table.lookup('llama3', 'openai', undefined, 'api.deepinfra.com')).toBeUndefined();
    expect(table.lookup('qwen2.5-7b', 'vllm', undefined, 'gpu.example.com')).toBeUndefined();
    expect(table.lookup('llama3', 'openai', undefined, '127.0.0.1')).toEqual(local);
    expect(table.lookup('llama3', 'openai', undefined, '192.168.1.20')).toEqual(local);
    expect(table.lookup('qwen2.5-7b', 'vllm', undefined, 'vllm')).toEqual(local);
    expect(table.lookup('llama3', 'openai')).toEqual(local);
    // Local providers and Ollama tags stay $0 wherever they run.
    expect(table.lookup('llama3', 'ollama', undefined, 'ollama.example.com')).toEqual(local);
    expect(table.lookup('llama3.1:8b', 'openai', undefined, 'gpu.example.com')).toEqual(local);
  });

  it.each([
    ['127.0.0.1', true],
    ['localhost', true],
    ['ollama', true],
    ['[::1]', true],
    ['::1', true],
    ['[fd12:3456::1]', true],
    ['fe80::1', true],
    ['10.0.0.7', true],
    ['172.20.1.2', true],
    ['192.168.1.20', true],
    ['100.101.102.103', true],
    ['host.docker.internal', true],
    ['gpu-box.local', true],
    ['api.groq.com', false],
    ['172.32.0.1', false],
    ['8.8.8.8', false],
    ['[2606:4700::1111]', false],
    ['llama.example.com', false],
  ])('tells a local server from a public one: %s is local: %s', (address, local) => {
    expect(isLocalServer(address)).toBe(local);
  });

  it('prices whatever a local provider serves at $0', () => {
    expect(table.lookup('my-own-model', 'ollama')?.input).toBe(0);
    expect(table.lookup('my-own-model', 'llama.cpp')?.output).toBe(0);
    expect(table.lookup('my-own-model')).toBeUndefined();
  });

  it.each(['gpt-9', 'my-gpt-4o-deployment', 'meta-llama/Llama-3-70b-chat-hf', 'ft:gpt-4o-mini-2024-07-18:org::abc', 'mistral-large-unknown-variant'])(
    'does not guess a price for %s',
    (model) => {
      expect(table.lookup(model)).toBeUndefined();
    },
  );

  it('computes cost from usage, cached input at its discounted price', () => {
    const price = table.lookup('gpt-4o')!;
    // 1000 prompt tokens of which 400 cached, 200 output: 600*2.5 + 400*1.25 + 200*10 per million.
    expect(table.cost(price, { inputTokens: 1_000, cachedInputTokens: 400, outputTokens: 200 })).toBeCloseTo(0.004, 12);
    expect(table.cost({ input: 1, output: 2 }, { inputTokens: 1_000_000, cachedInputTokens: 1_000_000 })).toBe(1);
  });

  it('lets users override and add models, per million or per thousand tokens', () => {
    const custom = new PriceTable({
      'gpt-4o': { input: 1, output: 2 },
      'my-finetune': { input: 0.003, output: 0.006, cachedInput: 0.001, per: '1K' },
      'acme-*': { input: 7, output: 7 },
    });
    expect(custom.lookup('gpt-4o-2024-08-06')).toEqual({ input: 1, output: 2 });
    expect(custom.lookup('my-finetune')).toEqual({ input: 3, output: 6, cachedInput: 1 });
    expect(custom.lookup('acme-large-v9')?.input).toBe(7);
    expect(custom.lookup('gpt-4o-mini')).toBe(table.lookup('gpt-4o-mini'));
    expect(custom.cost(custom.lookup('my-finetune')!, { inputTokens: 1_000, outputTokens: 1_000 })).toBeCloseTo(0.009, 12);
  });

  it('rejects bad overrides with precise TypeErrors', () => {
    expect(() => new PriceTable({ m: { input: -1, output: 1 } })).toThrow(
      'llmtrace: PriceTable: pricing["m"].input must be a non-negative number (USD per 1M tokens), got -1 (number)',
    );
    expect(() => new PriceTable({ m: { input: 1, output: '2' as never, per: '1K' } })).toThrow(
      'llmtrace: PriceTable: pricing["m"].output must be a non-negative number (USD per 1K tokens), got "2" (string)',
    );
    expect(() => new PriceTable({ m: { input: 1, output: 1, per: '1B' as never } })).toThrow(
      "llmtrace: PriceTable: pricing[\"m\"].per must be '1M' or '1K', got \"1B\" (string)",
    );
    expect(() => new PriceTable({ m: 3 as never })).toThrow(TypeError);
    expect(() => new PriceTable([] as never)).toThrow(TypeError);
  });
});
