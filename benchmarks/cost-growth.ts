/**
 * Cost as the work grows (issue 13, point 6): the per-call overhead of `traced()` on the realistic
 * OpenAI-shaped call (`(model, messages)` resolving to a chat completion, 100 B prompt), over the bare
 * call, as one thing grows at a time, in interleaved rounds:
 *
 * - **functions**: 1 traced function called every time, against 50 distinct traced functions called
 *   in turn (one shared wrapper core: its call sites must not go megamorphic);
 * - **concurrency**: calls in flight at once (1, 100, 10,000, issued together and awaited together);
 * - **store size**: the TraceStore's capacity (1,000 against 100,000 retained spans).
 *
 * Figures are ns of overhead per call (traced minus bare, per round) and the ratio to the baseline
 * row of each table. Run alone: `npm run build && node --expose-gc dist/benchmarks/cost-growth.js`
 */
import { configure, traced, TraceStore } from '../index.js';
import { measureInterleaved, overheadOver, round, runIfMain, type BenchCase, type ScenarioResult } from './harness.js';

const MODEL = 'gpt-4o-mini-2024-07-18';
const MESSAGES = [{ role: 'user', content: 'Summarise the following in one sentence: tracing makes every LLM call observable.' }];

type Call = (model: string, messages: typeof MESSAGES) => Promise<unknown>;

function completion(): unknown {
  return {
    id: 'chatcmpl-abc123',
    object: 'chat.completion',
    created: 1_733_000_000,
    model: MODEL,
    choices: [{ index: 0, message: { role: 'assistant', content: 'Tracing shows what each call did.' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 24, completion_tokens: 8, total_tokens: 32 },
  };
}

/** A fresh async function (its own closure), as each of a program's traced functions is. */
function makeBare(): Call {
  return async (_model, _messages) => completion();
}

/** Issues `calls` calls, `inFlight` at a time, and waits for all. */
async function run(fn: Call, calls: number, inFlight: number): Promise<void> {
  if (inFlight === 1) {
    for (let i = 0; i < calls; i++) await fn('gpt-4o-mini', MESSAGES);
    return;
  }
  const batch = new Array<Promise<unknown>>(inFlight);
  for (let done = 0; done < calls; done += inFlight) {
    for (let i = 0; i < inFlight; i++) batch[i] = fn('gpt-4o-mini', MESSAGES);
    await Promise.all(batch);
  }
}

/** Measures traced functions against bare ones. */
export default async function costGrowth(): Promise<ScenarioResult> {
  const smallStore = new TraceStore({ maxSpans: 1_000 });
  // The byte bound raised too, so the ring really holds 100,000 spans (the default 16 MiB would hold ~16,000).
  const largeStore = new TraceStore({ maxSpans: 100_000, maxBytes: 256 * 1024 * 1024 });
  configure({ store: smallStore });
  const bare = makeBare();
  const one = traced(makeBare(), { name: 'chat' });
  const many = Array.from({ length: 50 }, (_, i) => traced(makeBare(), { name: `chat_${i}` }));
  const bareMany = Array.from({ length: 50 }, () => makeBare());
  const intoLarge = traced(makeBare(), { name: 'chat_large', store: largeStore });
  let turn = 0;
  const cases: BenchCase[] = [
    { name: 'bare', loop: (calls) => run(bare, calls, 1) },
    { name: 'traced.1fn', loop: (calls) => run(one, calls, 1) },
    { name: 'bare.50fn', loop: (calls) => run((m, x) => bareMany[turn++ % 50]!(m, x), calls, 1) },
    { name: 'traced.50fn', loop: (calls) => run((m, x) => many[turn++ % 50]!(m, x), calls, 1) },
    { name: 'bare.100inflight', loop: (calls) => run(bare, calls, 100) },
    { name: 'traced.100inflight', loop: (calls) => run(one, calls, 100) },
    { name: 'bare.10000inflight', loop: (calls) => run(bare, calls, 10_000) },
    { name: 'traced.10000inflight', loop: (calls) => run(one, calls, 10_000) },
    { name: 'traced.store100k', loop: (calls) => run(intoLarge, calls, 1) },
  ];
  // Fill the large store first, so its figure is that of a full 100,000-span ring.
  await run(intoLarge, 100_000, 100);
  const stats = await measureInterleaved(cases, { rounds: 15, callsPerRound: 10_000, warmupRounds: 3 });
  const over = (name: string, anchor: string): number => overheadOver(stats, name, anchor).median;
  const base = over('traced.1fn', 'bare');
  const rows: Record<string, number> = {
    'functions.1.overhead_ns': over('traced.1fn', 'bare'),
    'functions.50.overhead_ns': over('traced.50fn', 'bare.50fn'),
    'inflight.1.overhead_ns': base,
    'inflight.100.overhead_ns': over('traced.100inflight', 'bare.100inflight'),
    'inflight.10000.overhead_ns': over('traced.10000inflight', 'bare.10000inflight'),
    'store.1000.overhead_ns': base,
    'store.100000.overhead_ns': over('traced.store100k', 'bare'),
  };
  const results: Record<string, number | string> = {};
  for (const [key, value] of Object.entries(rows)) {
    results[key] = round(value);
    results[key.replace('overhead_ns', 'vs_baseline')] = round(value / base, 2);
  }
  results.checksum = smallStore.stats().added > 0 && largeStore.stats().size === 100_000 ? 'ok' : 'none';
  return {
    name: 'cost growth: traced() overhead per call as functions, concurrency and store size grow',
    results,
    notes:
      'overhead_ns = traced minus the bare call doing the same (per round); vs_baseline = over one function, one call in flight, a 1,000-span store. ' +
      'In-flight calls are issued together and awaited with Promise.all.',
  };
}

runIfMain(import.meta.url, costGrowth);
