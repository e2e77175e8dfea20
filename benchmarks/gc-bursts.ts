/**
 * Calls in bursts after a full GC (issue 13; docs/performance.md, "Hidden classes across GCs"). A
 * program that traces in bursts (a batch job, an agent between user turns, a service between peaks)
 * gets a full GC from V8's memory reducer while no call is in flight. V8 then drops the hidden classes
 * no live object has, and the optimised code that embedded them is thrown away: if the record path's
 * per-call objects were the only holders of theirs, every burst would start by running it
 * unoptimised and compiling it again. This scenario measures `traced()` on the realistic call (100 B
 * prompt, an OpenAI chat completion) and the minimal-tracer floor in interleaved rounds of 2,000
 * calls, once with a forced full GC before every round (a burst after idle) and once without (steady
 * traffic). On Node 20 and 22, AsyncLocalStorage's promise hooks lose their optimised code at such a
 * GC whoever uses them (the floor too), so what is llmtrace's own is the burst cost beyond the floor's:
 * the target compares `traced()`'s burst/steady ratio with the floor's.
 * Run alone: `npm run build && node --expose-gc dist/benchmarks/gc-bursts.js`
 */
import { configure, traced, TraceStore } from '../index.js';
import { chatCompletion, makeMessages } from './_chat-completion.js';
import { FloorTracer, readChatCompletion } from './_floor-tracer.js';
import { measureInterleaved, overheadOver, round, runIfMain, type BenchCase, type ScenarioResult } from './harness.js';

const MODEL = 'gpt-4o-mini-2024-07-18';
/**
 * `traced()`'s burst/steady overhead ratio at most this times the floor's. Without the recorder's
 * last ended call it is 1.49-1.57 (ours 2.9-3.0x, the floor's 1.9x, Node 20); with it 0.84-1.04.
 */
const TARGET_VS_FLOOR = 1.25;
const MESSAGES = makeMessages(100);

/** The overhead of `traced()` over the bare call, with and without a full GC before every round. */
export default async function gcBursts(): Promise<ScenarioResult> {
  configure({ store: new TraceStore({ maxSpans: 10_000 }) });
  const tracedCompletion = traced(chatCompletion, { name: 'chat' });
  const floorCompletion = new FloorTracer(10_000).wrap(chatCompletion, 'chat', readChatCompletion);
  let sink = 0;
  const cases: BenchCase[] = [
    { name: 'bare', loop: async (n) => { for (let i = 0; i < n; i++) sink += (await chatCompletion(MODEL, MESSAGES)).usage.completion_tokens; } },
    { name: 'traced', loop: async (n) => { for (let i = 0; i < n; i++) sink += (await tracedCompletion(MODEL, MESSAGES)).usage.completion_tokens; } },
    { name: 'floor', loop: async (n) => { for (let i = 0; i < n; i++) sink += (await floorCompletion(MODEL, MESSAGES)).usage.completion_tokens; } },
  ];
  const options = { rounds: 20, callsPerRound: 2_000, warmupRounds: 3, clock: 'cpu', minorGcBetweenCases: true } as const;
  const burstStats = await measureInterleaved(cases, { ...options, gcBetweenRounds: true });
  const steadyStats = await measureInterleaved(cases, { ...options, gcBetweenRounds: false });
  const results: Record<string, number | string> = {};
  const ratios: Record<string, number> = {};
  for (const name of ['traced', 'floor']) {
    const burst = overheadOver(burstStats, name, 'bare');
    const steady = overheadOver(steadyStats, name, 'bare');
    ratios[name] = burst.median / steady.median;
    results[`${name}.burst.overhead_ns`] = round(burst.median);
    results[`${name}.burst.overhead_iqr_ns`] = `${round(burst.p25)}..${round(burst.p75)}`;
    results[`${name}.steady.overhead_ns`] = round(steady.median);
    results[`${name}.steady.overhead_iqr_ns`] = `${round(steady.p25)}..${round(steady.p75)}`;
    results[`${name}.burst_over_steady`] = round(ratios[name], 2);
  }
  const vsFloor = round(ratios.traced! / ratios.floor!, 2);
  results['traced.burst_over_steady.vs_floor'] = vsFloor;
  results['target.vs_floor'] = TARGET_VS_FLOOR;
  results['target.met'] = vsFloor <= TARGET_VS_FLOOR ? 'yes' : `no (${vsFloor} > ${TARGET_VS_FLOOR})`;
  results.sink = sink > 0 ? 'ok' : 'unused';
  return {
    name: 'gc-bursts: traced() and the floor on the realistic call, in bursts after a full GC vs steady',
    results,
    notes:
      'CPU time per call; overhead = case minus bare in the same round, median over 20 rounds of 2,000 calls; burst: a forced ' +
      'full GC (outside the timed region) before every round; steady: none (the GCs the calls cause still run); ' +
      'vs_floor = traced burst/steady over the floor\'s.',
  };
}

runIfMain(import.meta.url, gcBursts);
