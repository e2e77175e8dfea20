/**
 * Test helper: a loopback fake of Groq's OpenAI-compatible API (127.0.0.1, port 0). `POST
 * .../chat/completions` answers as Groq does: a JSON `chat.completion` with `x_groq: { id }` and
 * Groq's timing fields in `usage`, or, for `stream: true`, an SSE stream whose usage comes only in
 * the last chunk's `x_groq.usage` (never in a top-level `usage`), then `data: [DONE]`. A request
 * with `x-fake-fault: 429`, or to any other path, gets a 429 with Groq's error body.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The counts every answer reports. */
export const GROQ_USAGE = { prompt_tokens: 18, completion_tokens: 5 } as const;

/** The content chunks of a streamed answer (one per token). */
const TOKENS = ['Fast', ' ', 'and', ' ', 'cheap.'];

/** How the fake ends a stream. */
export interface GroqServerOptions {
  /**
   * `true`: `x_groq.usage` rides on the chunk with `finish_reason` (what Groq sends); `false`: a chunk
   * of its own after it, with `choices: []`.
   * @default true
   */
  usageWithFinish?: boolean;
}

/** A running fake Groq server. */
export interface GroqServer {
  /** `http://127.0.0.1:<port>/openai/v1`, Groq's OpenAI-compatible base URL on loopback. */
  baseURL: string;
  /** Stops the server. */
  close(): Promise<void>;
}

function usage(): Record<string, number> {
  const { prompt_tokens, completion_tokens } = GROQ_USAGE;
  return {
    queue_time: 0.0375,
    prompt_tokens,
    prompt_time: 0.0007,
    completion_tokens,
    completion_time: 0.0042,
    total_tokens: prompt_tokens + completion_tokens,
    total_time: 0.0049,
  };
}

function completion(model: string): unknown {
  return {
    id: 'chatcmpl-f51b2cd2',
    object: 'chat.completion',
    created: 1_730_241_104,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: TOKENS.join('') }, logprobs: null, finish_reason: 'stop' }],
    usage: usage(),
    system_fingerprint: 'fp_179b0f92c9',
    x_groq: { id: 'req_01jbd6g2qd' },
  };
}

function chunks(model: string, usageWithFinish: boolean): unknown[] {
  const base = { id: 'chatcmpl-f51b2cd2', object: 'chat.completion.chunk', created: 1_730_241_104, model, system_fingerprint: 'fp_179b0f92c9' };
  const choice = (delta: Record<string, string>, finish: string | null) => [{ index: 0, delta, logprobs: null, finish_reason: finish }];
  const done = { id: 'req_01jbd6g2qd', usage: usage() };
  return [
    { ...base, choices: choice({ role: 'assistant', content: '' }, null), x_groq: { id: 'req_01jbd6g2qd' } },
    ...TOKENS.map((content) => ({ ...base, choices: choice({ content }, null) })),
    ...(usageWithFinish
      ? [{ ...base, choices: choice({}, 'stop'), x_groq: done }]
      : [{ ...base, choices: choice({}, 'stop') }, { ...base, choices: [], x_groq: done }]),
  ];
}

/** Starts the fake on 127.0.0.1, port 0. */
export async function startGroqServer(options: GroqServerOptions = {}): Promise<GroqServer> {
  const server: Server = createServer((req, res) => {
    const body: Buffer[] = [];
    req.on('data', (c: Buffer) => body.push(c));
    req.on('end', () => {
      if (req.headers['x-fake-fault'] === '429' || req.method !== 'POST' || !(req.url ?? '').endsWith('/chat/completions')) {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
        res.end(JSON.stringify({ error: { message: 'Rate limit reached', type: 'tokens', code: 'rate_limit_exceeded' } }));
        return;
      }
      const params = JSON.parse(Buffer.concat(body).toString('utf8')) as { model: string; stream?: boolean };
      if (!params.stream) {
        res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_01jbd6g2qd' });
        res.end(JSON.stringify(completion(params.model)));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': 'req_01jbd6g2qd' });
      for (const chunk of chunks(params.model, options.usageWithFinish ?? true)) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/openai/v1`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
