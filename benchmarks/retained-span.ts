/**
 * Retained span (issue 13, point 2: "retained span at most 500 B"). The heap a kept span costs
 * while the TraceStore holds it: the realistic OpenAI-shaped call (`(model, messages)` resolving
 * to a chat completion, 100 B prompt) traced with `traced()` and default options, 10,000 calls into
 * a 10,000-span store (the default capacity), heap after a forced GC minus the heap of the same
 * store emptied, divided by the spans kept. The span holds what a call records by default: ids,
 * times, status, model, response id, tokens, finish reasons, request and response sizes, cost.
 *
 * For scale, the floor of benchmarks/realistic-call.ts: a plain object with two ids, two times,
 * request and response model, two token counts and a status, in a ring of the same capacity.
 *
 * Run alone: `npm run build && node --expose-gc dist/benchmarks/retained-span.js`
 */
import { configure, traced, TraceStore } from '../index.js';
import { heapAfterGc, round, runIfMain, type ScenarioResult } from './harness.js';

const SPANS = 10_000;
const MODEL = 'gpt-4o-mini-2024-07-18';
const MESSAGES = [
  { role: 'system', content: 'You are a concise assistant.' },
  { role: 'user', content: 'The quick brown fox jumps over the lazy dog while the model reads it.' },
];
const TARGET_BYTES = 500;

let counter = 0;

/** The traced body: a fresh chat completion per call, as a parsed response is. */
async function chatCompletion(model: string, messages: typeof MESSAGES) {
  counter++;
  return {
    id: `chatcmpl-${counter.toString(36).padStart(8, '0')}`,
    object: 'chat.completion',
    created: 1_764_000_000,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hello! How can I help?', refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: messages.length * 7 + 5, completion_tokens: 9, total_tokens: messages.length * 7 + 14 },
    system_fingerprint: 'fp_bench',
  };
}

/** Heap per kept span: `fill()` then the heap delta to `empty()`, over `SPANS`. */
async function bytesPerKept(fill: () => Promise<void>, empty: () => void): Promise<number> {
  await fill(); // warm: shapes settled, every lazy module loaded
  empty();
  const before = heapAfterGc();
  await fill();
  const after = heapAfterGc();
  return (after - before) / SPANS;
}

/** The scenario: see the module comment. */
export default async function retainedSpan(): Promise<ScenarioResult> {
  const store = new TraceStore({ maxSpans: SPANS });
  configure({ store });
  const call = traced(chatCompletion, { name: 'chat' });
  const traced100 = await bytesPerKept(
    async () => {
      for (let i = 0; i < SPANS; i++) await call(MODEL, MESSAGES);
    },
    () => store.clear(),
  );
  const kept = store.getRecent(SPANS).length;

  const ring: object[] = new Array<object>(SPANS);
  const floor = await bytesPerKept(
    async () => {
      for (let i = 0; i < SPANS; i++) {
        const start = performance.now();
        const r = await chatCompletion(MODEL, MESSAGES);
        ring[i] = {
          traceId: Math.random().toString(16).slice(2).padEnd(32, '0'),
          spanId: Math.random().toString(16).slice(2).padEnd(16, '0'),
          start,
          end: performance.now(),
          requestModel: MODEL,
          responseModel: r.model,
          inputTokens: r.usage.prompt_tokens,
          outputTokens: r.usage.completion_tokens,
          ok: true,
        };
      }
    },
    () => ring.fill(undefined as unknown as object),
  );

  const results: Record<string, number | string> = {
    'traced.bytes_per_span': round(traced100),
    'floor.bytes_per_span': round(floor),
    'traced.vs_floor': round(traced100 / floor, 2),
    'spans.kept': kept,
    'target.bytes': TARGET_BYTES,
    'target.met': kept === SPANS && traced100 <= TARGET_BYTES ? 'yes' : `no (${round(traced100)} B > ${TARGET_BYTES} B)`,
  };
  return {
    name: 'retained-span: heap per span kept in the TraceStore (realistic call, defaults)',
    results,
    notes: `heap after a forced GC with ${SPANS} spans kept minus the same store emptied, per span; floor = a 9-field plain object per call`,
  };
}

runIfMain(import.meta.url, retainedSpan);
