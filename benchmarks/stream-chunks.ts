/**
 * Stream chunk cost (issue 13, target: at most 0.5 µs a chunk beyond counting and timestamping). A
 * traced async generator yielding OpenAI chat-completion chunks (content deltas with `model` on
 * each, a last chunk with `finish_reason`, then a usage chunk, as `stream_options.include_usage`
 * gives), read to the end with `for await`. Per chunk, in the same interleaved rounds:
 *
 * - **bare**: the generator read directly;
 * - **floor**: the generator read through a forwarding async generator that counts chunks and takes
 *   a `performance.now()` per chunk (the work the target allows);
 * - **traced**: the same generator wrapped with `traced()` (defaults).
 *
 * `traced.per_chunk_ns` is traced minus floor, per chunk: llmtrace's own cost beyond the allowance.
 * Run alone: `npm run build && node --expose-gc dist/benchmarks/stream-chunks.js`
 */
import { configure, traced, TraceStore } from '../index.js';
import { measureInterleaved, overheadOver, round, runIfMain, type ScenarioResult } from './harness.js';

const CHUNKS = 200;
/** Issue 13: at most this much a chunk beyond counting and timestamping it. */
const TARGET_PER_CHUNK_NS = 500;
const MODEL = 'gpt-4o-mini-2024-07-18';

function contentChunk(i: number): unknown {
  return {
    id: 'chatcmpl-abc123',
    object: 'chat.completion.chunk',
    created: 1_733_000_000,
    model: MODEL,
    choices: [{ index: 0, delta: { content: `tok${i} ` }, finish_reason: null }],
  };
}

const CONTENT = Array.from({ length: CHUNKS - 2 }, (_, i) => contentChunk(i));
const LAST = { id: 'chatcmpl-abc123', object: 'chat.completion.chunk', created: 1_733_000_000, model: MODEL, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] };
const USAGE = {
  id: 'chatcmpl-abc123',
  object: 'chat.completion.chunk',
  created: 1_733_000_000,
  model: MODEL,
  choices: [],
  usage: { prompt_tokens: 40, completion_tokens: CHUNKS - 2, total_tokens: 38 + CHUNKS },
};

async function* completionStream(_model: string): AsyncGenerator<unknown> {
  for (const chunk of CONTENT) yield chunk;
  yield LAST;
  yield USAGE;
}

/** The allowance: forwarding each chunk with a count and a timestamp. */
async function* countedAndTimed(source: AsyncIterable<unknown>, tally: { chunks: number; last: number }): AsyncGenerator<unknown> {
  for await (const chunk of source) {
    tally.chunks++;
    tally.last = performance.now();
    yield chunk;
  }
}

/** Measures the per-chunk cost of a traced stream against the floor. */
export default async function streamChunks(): Promise<ScenarioResult> {
  const store = new TraceStore({ maxSpans: 10_000 });
  configure({ store });
  const tracedStream = traced(completionStream, { name: 'chat_stream' });
  let sink = 0;
  const tally = { chunks: 0, last: 0 };
  const stats = await measureInterleaved(
    [
      {
        name: 'bare',
        loop: async (calls) => {
          for (let i = 0; i < calls; i++) for await (const chunk of completionStream('gpt-4o-mini')) sink += chunk === USAGE ? 1 : 0;
        },
      },
      {
        name: 'floor',
        loop: async (calls) => {
          for (let i = 0; i < calls; i++) for await (const chunk of countedAndTimed(completionStream('gpt-4o-mini'), tally)) sink += chunk === USAGE ? 1 : 0;
        },
      },
      {
        name: 'traced',
        loop: async (calls) => {
          for (let i = 0; i < calls; i++) for await (const chunk of tracedStream('gpt-4o-mini')) sink += chunk === USAGE ? 1 : 0;
        },
      },
    ],
    { rounds: 20, callsPerRound: 50, warmupRounds: 5 },
  );
  const perChunk = (name: string, anchor: string): number => overheadOver(stats, name, anchor).median / CHUNKS;
  const span = store.getRecent(1)[0];
  return {
    name: `stream chunks: a traced OpenAI-shaped stream of ${CHUNKS} chunks`,
    results: {
      'bare.per_chunk_ns': round(stats.get('bare')!.median / CHUNKS),
      'floor.per_chunk_over_bare_ns': round(perChunk('floor', 'bare')),
      'traced.per_chunk_over_bare_ns': round(perChunk('traced', 'bare')),
      'traced.per_chunk_ns': round(perChunk('traced', 'floor')),
      'traced.per_chunk_target_ns': TARGET_PER_CHUNK_NS,
      'target.met': perChunk('traced', 'floor') <= TARGET_PER_CHUNK_NS ? 'yes' : 'no',
      'span.output_tokens': Number(span?.attributes['gen_ai.usage.output_tokens'] ?? -1),
      checksum: sink > 0 && tally.chunks > 0 ? 'ok' : 'none',
    },
    notes:
      'traced.per_chunk_ns = (traced - floor) / chunks per stream, from per-round differences; the floor forwards each chunk ' +
      'through an async generator with a count and a performance.now(). span.output_tokens checks the usage chunk was read.',
  };
}

runIfMain(import.meta.url, streamChunks);
