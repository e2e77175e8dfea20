/**
 * Test helper: the source of a small traced program, run from a packed install to fill a store
 * the way a user's program would: `node program.mjs <dir> <seed> <runs> [sessions-dir]` records <runs> `run`
 * scopes of four model calls each (two models, seeded sleeps as latency, about 15% failing with
 * RateLimitError) and one arbiter decision between the two models' answers per run, through `startTracing()` with the JSON file store and the aggregator; with a
 * fourth argument, inside a session scope (NO_EVALUATION_TEXT=1 records decisions without texts) whose JSONL session file goes to that folder.
 * CACHE_HITS=1 adds two calls per run served from the program's own cache (`markCacheHit()`): one of
 * gpt-4o-mini, one of a model (`cache-only`) that is never called otherwise, and its failures carry a
 * message over several lines (a bare LF, a bare CR).
 */

/** The program's text. */
export const TRACED_PROGRAM = `import { markCacheHit, recordEvaluation, startTracing, traced, withSpan } from 'llmtrace';

const [dir, seedText, runsText, sessionsDir] = process.argv.slice(2);
const withText = process.env.NO_EVALUATION_TEXT !== '1';
let state = Number(seedText) >>> 0;
function random() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
class RateLimitError extends Error {}

const tracing = await startTracing({ logger: { format: 'hidden' }, fileStore: { dir }, aggregation: { intervalMs: 60_000 },
  ...(sessionsDir ? { sessionFiles: { dir: sessionsDir } } : {}) });
const chat = traced(
  async (prompt, model, ms, fail) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    if (fail) throw new RateLimitError(process.env.CACHE_HITS === '1' ? '429: slow down\\nretry in 2 s\\ror later' : '429: slow down');
    return {
      object: 'chat.completion',
      id: 'c1',
      model,
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'ok' } }],
      usage: { prompt_tokens: 10 + Math.floor(random() * 20), completion_tokens: 5 + Math.floor(random() * 10) },
    };
  },
  { name: 'chat', kind: 'llm', modelParam: 1 },
);
const cached = traced(
  async (prompt, model) => {
    markCacheHit();
    return { object: 'chat.completion', id: 'cached', model, choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'ok' } }] };
  },
  { name: 'chat', kind: 'llm', modelParam: 1 },
);
async function runs() {
  for (let r = 0; r < Number(runsText); r++) {
    await withSpan('agent_run', { kind: 'run' }, async () => {
      for (let i = 0; i < 4; i++) {
        const model = i % 2 === 0 ? 'gpt-4o-mini' : 'claude-haiku-4-5';
        const ms = 2 + Math.floor(random() * 15) + (model === 'claude-haiku-4-5' ? 25 : 0);
        await chat('question ' + i, model, ms, random() < 0.15).catch(() => undefined);
      }
      if (process.env.CACHE_HITS === '1') {
        for (const model of ['gpt-4o-mini', 'cache-only']) await cached('question 0', model);
      }
      const gptWins = random() < 0.7;
      recordEvaluation({
        evaluator: 'arbiter',
        ...(withText ? { prompt: 'question ' + r } : {}),
        candidates: [
          { model: 'gpt-4o-mini', ...(withText ? { response: 'answer from gpt ' + r } : {}) },
          { model: 'claude-haiku-4-5', ...(withText ? { response: 'answer from claude ' + r } : {}) },
        ],
        chosen: gptWins ? 'gpt-4o-mini' : 'claude-haiku-4-5',
        scores: { 'gpt-4o-mini': gptWins ? 0.9 : 0.4, 'claude-haiku-4-5': gptWins ? 0.5 : 0.85 },
        analysis: gptWins ? 'gpt is more precise' : 'claude is clearer',
      });
    });
  }
}
if (sessionsDir) await withSpan('night', { kind: 'session' }, runs);
else await runs();
await tracing.shutdown();
`;
