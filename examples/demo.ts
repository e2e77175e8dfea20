/**
 * `npm run demo`: traces a small LLM workload end to end and prints what llmtrace saw.
 *
 * It starts the offline model server (seeded, with injected latency, time to first token and a few
 * faults), builds real `openai`, `@anthropic-ai/sdk` and `ollama` clients against it, instruments
 * them, and runs a decorated sample client class, the Vercel AI SDK (`llmtraceMiddleware`) and
 * LangChain (`langchainCallbacks()`) next to them, streaming included, inside `run` and
 * `iteration` scopes. With OPENAI_BASE_URL/OPENAI_API_KEY, ANTHROPIC_BASE_URL/ANTHROPIC_API_KEY or
 * OLLAMA_HOST set, those clients talk to the real endpoint instead (OPENAI_MODEL / ANTHROPIC_MODEL /
 * OLLAMA_MODEL pick the model) and the demo says so. It ends by running `llmtrace runs` and
 * `llmtrace stats` on the store it just wrote.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Anthropic from '@anthropic-ai/sdk';
import { createOpenAI } from '@ai-sdk/openai';
import { ChatOpenAI } from '@langchain/openai';
import { generateText, wrapLanguageModel } from 'ai';
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import { llmtraceMiddleware } from '../adapters/ai-sdk/index.js';
import { instrumentAnthropic } from '../adapters/anthropic/index.js';
import { langchainCallbacks } from '../adapters/langchain/index.js';
import { tracedFetch } from '../adapters/fetch/index.js';
import { instrumentOllama } from '../adapters/ollama/index.js';
import { instrumentOpenAI } from '../adapters/openai/index.js';
import { createLogger, fileStoreOptionsFromEnv, markCacheHit, monitorLLM, startTracing, traceModelCall, TraceStore, withSpan } from '../index.js';
import { openFileStoreReader } from '../lib/extend/index.js';
import { startOfflineModelServer } from '../lib/offline-model/index.js';
import { modelTable, spanListing } from './demo-report.js';

const ITERATIONS = 3;
const SLOW_MS = 400;

/** A hand-written client, traced with the decorators: plain fetch to an Ollama-style endpoint. */
class SampleLLMClient {
  readonly #host: string;
  readonly #cache = new Map<string, unknown>();
  constructor(host: string) {
    this.#host = host;
  }

  @traceModelCall({ modelParam: 'model', context: 'sample_client' })
  async generateText(prompt: string, model = 'mistral:7b'): Promise<unknown> {
    const cached = this.#cache.get(prompt);
    markCacheHit(cached !== undefined);
    if (cached !== undefined) return cached;
    const response = await fetch(`${this.#host}/api/generate`, {
      method: 'POST',
      body: JSON.stringify({ model, prompt, stream: false }),
    });
    if (!response.ok) throw new Error(`generate failed: HTTP ${response.status}`);
    const answer: unknown = await response.json();
    this.#cache.set(prompt, answer);
    return answer;
  }

  @monitorLLM({ kind: 'embedding', modelParam: 'model' })
  async embed(text: string, model = 'nomic-embed-text'): Promise<unknown> {
    const response = await fetch(`${this.#host}/api/embed`, { method: 'POST', body: JSON.stringify({ model, input: text }) });
    return response.json();
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  // Spans go to a fresh store, the aggregator's summary lines to stdout as JSON (the rest of the log is
  // hidden to keep the demo readable), spans and summaries to the JSON file store (LLMTRACE_DIR or ./.llmtrace).
  const summaryLog = createLogger({ format: 'json', name: 'llmtrace' });
  const tracing = await startTracing({
    store: new TraceStore(),
    logger: { format: 'hidden' },
    fileStore: fileStoreOptionsFromEnv(),
    aggregation: { logger: summaryLog, intervalMs: 60_000 },
  });
  const server = await startOfflineModelServer({
    seed: 42,
    latencyMs: 120,
    ttftMs: 150,
    tokensPerSecond: 120,
    outputTokens: [10, 30],
    errorRate: 0.1,
    retryAfterMs: 100,
  });

  const realOpenAI = Boolean(process.env.OPENAI_BASE_URL || process.env.OPENAI_API_KEY);
  const realOllama = Boolean(process.env.OLLAMA_HOST);
  const openaiModel = realOpenAI ? (process.env.OPENAI_MODEL ?? 'gpt-4o-mini') : 'gpt-4o-mini';
  const ollamaModel = realOllama ? (process.env.OLLAMA_MODEL ?? 'llama3.2') : 'llama3.2:3b';
  const openai = instrumentOpenAI(
    new OpenAI({
      baseURL: realOpenAI ? process.env.OPENAI_BASE_URL : `${server.url}/v1`,
      apiKey: realOpenAI ? process.env.OPENAI_API_KEY ?? 'none' : 'offline',
      maxRetries: 1,
      fetch: tracedFetch(),
    }),
    { context: 'assistant' },
  );
  const realAnthropic = Boolean(process.env.ANTHROPIC_BASE_URL || process.env.ANTHROPIC_API_KEY);
  const anthropicModel = realAnthropic ? (process.env.ANTHROPIC_MODEL ?? 'claude-haiku-4-5') : 'claude-haiku-4-5';
  const anthropic = instrumentAnthropic(
    new Anthropic({
      baseURL: realAnthropic ? process.env.ANTHROPIC_BASE_URL : server.url,
      apiKey: realAnthropic ? (process.env.ANTHROPIC_API_KEY ?? 'none') : 'offline',
      maxRetries: 0,
    }),
    { context: 'assistant' },
  );
  const ollama = instrumentOllama(new Ollama({ host: realOllama ? process.env.OLLAMA_HOST : server.url }), { context: 'rag' });
  const sample = new SampleLLMClient(server.url);
  // The two frameworks, each with its one-line setup, against the same server (offline model names).
  const aiSdkModel = wrapLanguageModel({
    model: createOpenAI({ baseURL: `${server.url}/v1`, apiKey: 'offline' }).chat('gpt-4o-mini'),
    middleware: llmtraceMiddleware(),
  });
  const langchainModel = new ChatOpenAI({ model: 'gpt-4o-mini', apiKey: 'offline', maxRetries: 0, configuration: { baseURL: `${server.url}/v1` } });
  const callbacks = langchainCallbacks();

  process.stdout.write(
    `llmtrace demo\n` +
      `  openai    -> ${realOpenAI ? `REAL endpoint ${process.env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1'}` : `offline model server ${server.url}/v1`}\n` +
      `  anthropic -> ${realAnthropic ? `REAL endpoint ${process.env.ANTHROPIC_BASE_URL ?? 'https://api.anthropic.com'}` : `offline model server ${server.url}`}\n` +
      `  ollama    -> ${realOllama ? `REAL endpoint ${process.env.OLLAMA_HOST}` : `offline model server ${server.url}`}\n\n`,
  );

  const messages = [{ role: 'user' as const, content: 'Explain in one sentence why tracing LLM calls helps.' }];
  let failures = 0;
  const attempt = async (work: () => Promise<unknown>): Promise<void> => {
    try {
      await work();
    } catch {
      failures++;
    }
  };

  await withSpan('demo_run', { kind: 'run' }, async () => {
    for (let i = 0; i < ITERATIONS; i++) {
      await withSpan(`iteration_${i}`, { kind: 'iteration', attributes: { iteration: i } }, () =>
        Promise.all([
          attempt(() => openai.chat.completions.create({ model: openaiModel, messages, max_tokens: 64 })),
          attempt(async () => {
            const stream = await openai.chat.completions.create({
              model: openaiModel,
              messages,
              stream: true,
              stream_options: { include_usage: true },
            });
            for await (const _ of stream) void _;
          }),
          attempt(() => anthropic.messages.create({ model: anthropicModel, max_tokens: 128, messages })),
          attempt(() => anthropic.messages.stream({ model: anthropicModel, max_tokens: 128, messages }).finalMessage()),
          attempt(async () => {
            let parts = 0;
            for await (const _ of await ollama.chat({ model: ollamaModel, messages, stream: true })) if (++parts === 8 && i === 1) break;
          }),
          attempt(() => ollama.embed({ model: 'nomic-embed-text', input: ['tracing', 'latency'] })),
          attempt(() => sample.generateText('What is a span?')),
          attempt(() => generateText({ model: aiSdkModel, prompt: messages[0]!.content, maxRetries: 0 })),
          attempt(() => langchainModel.invoke(messages[0]!.content, { callbacks })),
          attempt(() => sample.embed('What is a span?')),
        ]),
      );
    }
  });

  // Shutting down ends what is still open (a failed AI SDK attempt the middleware holds for a retry
  // that will not come), writes every span and the last summaries, and logs the summary lines.
  process.stdout.write('Aggregated summary lines, as the log shows them (one per function and model per window):\n');
  await tracing.shutdown();
  await summaryLog.log.flush();

  const store = tracing.store;
  const spans = store.getRecent(10_000).reverse();
  process.stdout.write(`\nPer model (${spans.length} spans, ${failures} calls failed as injected by the server)\n`);
  process.stdout.write(`${modelTable(spans)}\n\n`);
  const slow = store.getSlow(SLOW_MS).filter((s) => s.kind === 'llm' || s.kind === 'embedding');
  process.stdout.write(`store.getSlow(${SLOW_MS}): ${slow.length} model calls, slowest first\n${spanListing(slow, 5)}\n\n`);
  const errors = store.getErrors();
  process.stdout.write(`store.getErrors(): ${errors.length} failed spans, newest first\n${spanListing(errors, 8)}\n`);

  const reader = openFileStoreReader({ dir: tracing.fileStore!.stats().dir });
  const segments = await reader.listSegments();
  let storedSpans = 0;
  for await (const _ of reader.readSpans()) storedSpans++;
  const storedSummaries = (await reader.readSummaries()).length;
  process.stdout.write(`\nOn disk in ${reader.dir} (JSON file store): ${storedSpans} spans, ${storedSummaries} summaries\n`);
  for (const segment of segments) process.stdout.write(`  ${segment.path}  ${segment.bytes} bytes\n`);
  process.stdout.write(`  try: jq '.records[] | {name, duration, status}' '${segments[0]?.path ?? reader.dir}'\n\n`);
  process.stdout.write(
    `offline server: ${server.stats.requests} requests, faults ${JSON.stringify(server.stats.faults)}; ` +
      `demo took ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
  await server.close();

  // The same store, read back by the `llmtrace` command (npx llmtrace ... in a project).
  const cli = fileURLToPath(new URL('../cli/main.js', import.meta.url));
  for (const args of [['runs'], ['stats', '--by', 'model']]) {
    process.stdout.write(`\n$ npx llmtrace ${args.join(' ')} --dir ${reader.dir}\n`);
    spawnSync(process.execPath, [cli, ...args, '--dir', reader.dir], { stdio: 'inherit' });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
