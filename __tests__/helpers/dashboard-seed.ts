/**
 * Test helper: a seeded run for the dashboard tests, written by the real FileStore. Each trace is
 * a `run` span with one to three model calls under it (two models, seeded latencies, tokens, cost,
 * some failures, streamed calls with a time to first token) and a tool call; captured prompts and
 * answers are in the `gen_ai.request` / `gen_ai.response` events. One trace's prompt carries an
 * XSS payload. Times are fixed relative to `now`, so the same seed writes the same store.
 */
import { openFileStore, Span, type SpanError } from '../../index.js';
import type { SpanData } from '../../lib/span.js';
import { seededUniform } from './seeded-random.js';

/** The prompt of the trace the XSS test opens: markup that must stay text. */
export const XSS_PROMPT = `<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">`;

/** Models of the seeded run. */
export const SEED_MODELS = ['gpt-4o-mini', 'claude-haiku-4-5'] as const;

/** Options of `seedStore`. */
export interface SeedOptions {
  traces: number;
  seed?: number;
  /** The end of the run, epoch ms. @default Date.now() */
  now?: number;
  /** The run spreads over this many ms before `now`. @default 20 minutes */
  spreadMs?: number;
}

function hex(random: () => number, length: number): string {
  let out = '';
  while (out.length < length) out += Math.floor(random() * 16).toString(16);
  return out;
}

function timed(span: Span, start: number, duration: number, error?: SpanError): Span {
  span.finish(error);
  Object.assign(span, { startTime: start, endTime: start + duration, duration });
  for (const event of span.events) Object.assign(event, { time: start + duration / 2 });
  return span;
}

/** The spans of the seeded run (not written). */
export function seededSpans(options: SeedOptions): Span[] {
  const random = seededUniform(options.seed ?? 7);
  const now = options.now ?? Date.now();
  const spread = options.spreadMs ?? 20 * 60_000;
  const out: Span[] = [];
  for (let t = 0; t < options.traces; t++) {
    const traceId = hex(random, 32);
    const start = now - spread + Math.floor((t / options.traces) * (spread - 10_000));
    const root = new Span(`agent_turn`, 'run', undefined, { 'app.turn': t }, traceId, hex(random, 16), true);
    let at = start + 1;
    const calls = 1 + Math.floor(random() * 3);
    const children: Span[] = [];
    for (let c = 0; c < calls; c++) {
      const model = SEED_MODELS[Math.floor(random() * SEED_MODELS.length)]!;
      const duration = Math.round(80 + random() * random() * 4_000);
      const failed = random() < 0.12;
      const input = 20 + Math.floor(random() * 400);
      const output = failed ? 0 : 5 + Math.floor(random() * 200);
      const streamed = random() < 0.4;
      const span = new Span('chat', 'llm', root, {
        'llmtrace.function': c % 2 === 0 ? 'answer' : 'summarise',
        'gen_ai.provider.name': model.startsWith('gpt') ? 'openai' : 'anthropic',
        'gen_ai.request.model': model,
        'gen_ai.response.model': model,
        'gen_ai.usage.input_tokens': input,
        'gen_ai.usage.output_tokens': output,
        'llmtrace.cost_usd': Math.round((input * 0.15 + output * 0.6) * 1000) / 1e9,
        ...(streamed ? { 'llmtrace.time_to_first_token_ms': Math.round(duration * 0.3) } : {}),
      }, traceId, hex(random, 16), true);
      const prompt = t === 3 && c === 0 ? XSS_PROMPT : `question ${t}.${c}`;
      // What capture 'full' records: the GenAI message schema as JSON text.
      span.attributes['gen_ai.input.messages'] = JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: prompt }] }]);
      if (!failed) {
        span.attributes['gen_ai.output.messages'] = JSON.stringify([
          { role: 'assistant', parts: [{ type: 'text', content: `answer ${t}.${c}` }], finish_reason: 'stop' },
        ]);
      }
      children.push(timed(span, at, duration, failed ? { type: 'RateLimitError', message: `429 rate limited (turn ${t})` } : undefined));
      at += duration + 2;
    }
    const tool = new Span('lookup', 'tool', root, { 'llmtrace.function': 'lookup' }, traceId, hex(random, 16), true);
    const toolDuration = 5 + Math.floor(random() * 50);
    children.push(timed(tool, at, toolDuration));
    at += toolDuration + 1;
    out.push(...children, timed(root, start, at - start));
  }
  return out;
}

/** Writes the seeded run to a store at `dir` with the real FileStore; returns what was written. */
export async function seedStore(dir: string, options: SeedOptions): Promise<SpanData[]> {
  const spans = seededSpans(options);
  const fileStore = await openFileStore({ dir, flushOnExit: false });
  for (let i = 0; i < spans.length; i += 500) await fileStore.export(spans.slice(i, i + 500));
  await fileStore.shutdown();
  return spans.map((s) => s.toJSON());
}
