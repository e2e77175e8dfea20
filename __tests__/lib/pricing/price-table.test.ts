import { BUNDLED_PRICES, PRICE_TABLE_DATE, PriceTable } from '../../../index.js';

const table = new PriceTable();

describe('PriceTable', () => {
  it('is dated', () => {
    expect(PRICE_TABLE_DATE).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it.each([
    ['gpt-4o', 'gpt-4o'],
    ['gpt-4o-2024-08-06', 'gpt-4o'],
    ['gpt-4o-mini-2024-07-18', 'gpt-4o-mini'],
    ['gpt-4.1-nano-2025-04-14', 'gpt-4.1-nano'],
    ['o4-mini-2025-04-16', 'o4-mini'],
    ['gpt-3.5-turbo-0125', 'gpt-3.5-turbo'],
    ['text-embedding-3-small', 'text-embedding-3-small'],
    ['claude-3-5-sonnet-20241022', 'claude-3-5-sonnet'],
    ['claude-3-5-haiku-latest', 'claude-3-5-haiku'],
    ['claude-sonnet-4-20250514', 'claude-sonnet-4'],
    ['claude-opus-4-5-20251101', 'claude-opus-4-5'],
    ['anthropic.claude-3-5-sonnet-20240620-v1:0', 'claude-3-5-sonnet'],
    ['us.anthropic.claude-3-7-sonnet-20250219-v1:0', 'claude-3-7-sonnet'],
    ['claude-3-5-sonnet-v2@20241022', 'claude-3-5-sonnet'],
    ['openai/gpt-4o', 'gpt-4o'],
    ['models/gemini-1.5-pro-002', 'gemini-1.5-pro'],
    ['gemini-2.5-flash-lite-preview-06-17', 'gemini-2.5-flash-lite'],
    ['gemini-2.0-flash-001', 'gemini-2.0-flash'],
    ['mistral-large-2411', 'mistral-large'],
    ['mistral-small-latest', 'mistral-small'],
    ['codestral-2501', 'codestral'],
    ['GPT-4o', 'gpt-4o'],
  ])('prices %s as %s', (model, key) => {
    expect(table.lookup(model)).toBe(BUNDLED_PRICES[key]);
  });

  it('prices a snapshot with its own price over its base', () => {
    expect(table.lookup('gpt-4o-2024-05-13')).toEqual({ input: 5, output: 15 });
  });

  it.each(['llama3', 'llama3.1:8b', 'mistral:latest', 'mistral', 'mixtral:8x7b', 'codestral:22b', 'qwen2.5-coder:7b', 'gemma2', 'phi3:mini', 'nomic-embed-text', 'deepseek-r1:14b', '/models/Meta-Llama-3-8B-Instruct.Q4_K_M.gguf', 'ggml-model-q4_0.gguf'])(
    'prices the local model %s at $0',
    (model) => {
      expect(table.lookup(model)).toEqual({ input: 0, output: 0, cachedInput: 0 });
    },
  );

  it('prices whatever a local provider serves at $0', () => {
    expect(table.lookup('my-own-model', 'ollama')?.input).toBe(0);
    expect(table.lookup('my-own-model', 'llama.cpp')?.output).toBe(0);
    expect(table.lookup('my-own-model')).toBeUndefined();
  });

  it.each(['gpt-4o-audio-preview', 'gpt-9', 'meta-llama/Llama-3-70b-chat-hf', 'ft:gpt-4o-mini-2024-07-18:org::abc', 'mistral-large-unknown-variant'])(
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
    expect(custom.lookup('gpt-4o-mini')).toBe(BUNDLED_PRICES['gpt-4o-mini']);
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
