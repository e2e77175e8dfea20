/**
 * The offline model server: a Node `http` server on 127.0.0.1 that answers enough of the OpenAI,
 * Anthropic, Ollama and Gemini HTTP APIs for the SDKs to work against it, with settable latency, time to
 * first token, token pace, token counts and injected faults, all drawn from a seeded generator so
 * runs repeat. Per-request overrides come in headers (`x-offline-fault: 429`, ...), so a test can
 * make one request fail without touching the others.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveOfflineOptions, type OfflineFault, type OfflineModelOptions, type ResolvedOfflineOptions } from './options.js';
import {
  anthropicMessage,
  anthropicStream,
  errorBody,
  geminiEmbed,
  geminiResponse,
  geminiStream,
  ollamaAnswer,
  ollamaEmbed,
  ollamaStream,
  openAIChat,
  openAIChatStream,
  openAIEmbeddings,
  openAIResponse,
  openAIResponseStream,
  vectors,
  type Answer,
  type StreamPlan,
} from './payloads.js';
import { createPrng, type Prng } from './prng.js';
import { checkOptions } from '../internal/option-schemas.js';

/** Counters of what the server did, updated live. */
export interface OfflineModelStats {
  /** Requests received. */
  requests: number;
  /** Requests per route (`POST /v1/chat/completions`). */
  byRoute: Record<string, number>;
  /** Faults injected, by kind. */
  faults: Record<OfflineFault, number>;
  /** Output tokens sent in successful answers (streamed ones count when the stream was written in full). */
  outputTokens: number;
}

/** A running offline model server. */
export interface OfflineModelServer {
  /** Base URL, `http://127.0.0.1:<port>` (OpenAI clients use `${url}/v1`). */
  readonly url: string;
  /** Live counters. */
  readonly stats: OfflineModelStats;
  /** Stops listening, cuts open connections and pending streams. Idempotent. */
  close(): Promise<void>;
}

/**
 * Request headers that override the server's settings for one request:
 * `x-offline-fault` (`429` | `500` | `drop` | `none`), `x-offline-fault-times` (fault only the first
 * N requests carrying the same `x-offline-fault-key`, so an SDK retry then succeeds),
 * `x-offline-ttft-ms`, `x-offline-latency-ms`, `x-offline-output-tokens`, `x-offline-tokens-per-second`.
 */
export const OFFLINE_HEADERS = {
  FAULT: 'x-offline-fault',
  FAULT_TIMES: 'x-offline-fault-times',
  FAULT_KEY: 'x-offline-fault-key',
  TTFT_MS: 'x-offline-ttft-ms',
  LATENCY_MS: 'x-offline-latency-ms',
  OUTPUT_TOKENS: 'x-offline-output-tokens',
  TOKENS_PER_SECOND: 'x-offline-tokens-per-second',
} as const;

type Api = 'openai' | 'anthropic' | 'ollama' | 'gemini';
type RouteKind =
  | 'chat'
  | 'responses'
  | 'embeddings'
  | 'messages'
  | 'ollama-chat'
  | 'ollama-generate'
  | 'ollama-embed'
  | 'gemini-generate'
  | 'gemini-stream'
  | 'gemini-embed';

const ROUTES: Readonly<Record<string, { api: Api; kind: RouteKind }>> = {
  '/v1/chat/completions': { api: 'openai', kind: 'chat' },
  '/v1/responses': { api: 'openai', kind: 'responses' },
  '/v1/embeddings': { api: 'openai', kind: 'embeddings' },
  '/v1/messages': { api: 'anthropic', kind: 'messages' },
  '/api/chat': { api: 'ollama', kind: 'ollama-chat' },
  '/api/generate': { api: 'ollama', kind: 'ollama-generate' },
  '/api/embed': { api: 'ollama', kind: 'ollama-embed' },
};

/** Gemini REST paths name the model: `/v1beta/models/{model}:{method}`. */
const GEMINI_ROUTE = /^\/v1(?:beta|alpha)?\/models\/([^/:]+):(generateContent|streamGenerateContent|batchEmbedContents)$/;
const GEMINI_KINDS = {
  generateContent: 'gemini-generate',
  streamGenerateContent: 'gemini-stream',
  batchEmbedContents: 'gemini-embed',
} as const;

/** The route of `path`, and the model a Gemini path names. */
function routeOf(path: string): { api: Api; kind: RouteKind; model?: string } | undefined {
  const fixed = ROUTES[path];
  if (fixed) return fixed;
  const gemini = GEMINI_ROUTE.exec(path);
  if (!gemini) return undefined;
  return { api: 'gemini', kind: GEMINI_KINDS[gemini[2] as keyof typeof GEMINI_KINDS], model: decodeURIComponent(gemini[1]!) };
}

const WORDS = [
  'the', 'model', 'answers', 'quickly', 'with', 'a', 'short', 'and', 'helpful', 'reply', 'about', 'tracing',
  'latency', 'tokens', 'streams', 'spans', 'every', 'call', 'is', 'observable', 'offline', 'today',
];

/** Per-request settings after header overrides. */
interface RequestSettings {
  fault: OfflineFault | undefined;
  ttftMs: number;
  latencyMs: number;
  tokensPerSecond: number;
  outputTokens: number | undefined;
}

function headerNumber(req: IncomingMessage, name: string): number | undefined {
  const raw = req.headers[name];
  const value = Number(Array.isArray(raw) ? raw[0] : raw);
  return raw === undefined || !Number.isFinite(value) || value < 0 ? undefined : value;
}

function headerText(req: IncomingMessage, name: string): string | undefined {
  const raw = req.headers[name];
  return Array.isArray(raw) ? raw[0] : raw;
}

/** All string content under the request's prompt-bearing fields, to size its input tokens. */
function promptText(value: unknown, depth = 0): string {
  if (typeof value === 'string') return value;
  if (depth > 6 || value === null || typeof value !== 'object') return '';
  return Object.values(value as Record<string, unknown>).map((v) => promptText(v, depth + 1)).join(' ');
}

function inputTokensOf(body: Record<string, unknown>): number {
  const text = ['system', 'messages', 'prompt', 'input', 'instructions', 'contents', 'systemInstruction']
    .map((k) => promptText(body[k]))
    .join(' ');
  return Math.max(1, Math.ceil(text.trim().length / 4));
}

function inputCount(input: unknown): number {
  return Array.isArray(input) ? Math.max(1, input.length) : 1;
}

class OfflineModel {
  readonly stats: OfflineModelStats = { requests: 0, byRoute: {}, faults: { '429': 0, '500': 0, drop: 0 }, outputTokens: 0 };
  readonly #options: ResolvedOfflineOptions;
  readonly #prng: Prng;
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #faultCounts = new Map<string, number>();
  #ids = 0;

  constructor(options: ResolvedOfflineOptions) {
    this.#options = options;
    this.#prng = createPrng(options.seed);
  }

  /** Handles one request. Never throws: trouble becomes a 4xx/5xx answer. */
  handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        this.#route(req, res, Buffer.concat(chunks).toString('utf8'));
      } catch (error) {
        this.#json(res, 500, errorBody('openai', 500, `offline model server error: ${String(error)}`));
      }
    });
  }

  /** Cancels pending timers (close). */
  cancelTimers(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  #route(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const path = (req.url ?? '/').split('?')[0]!.replace(/\/+$/, '');
    const route = routeOf(path);
    const key = `${req.method} ${path}`;
    this.stats.requests++;
    this.stats.byRoute[key] = (this.stats.byRoute[key] ?? 0) + 1;
    if (!route || req.method !== 'POST') {
      this.#json(res, 404, errorBody(route?.api ?? 'openai', 404, `no route ${key}`));
      return;
    }
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(raw || '{}');
      body = parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
    } catch {
      this.#json(res, 400, errorBody(route.api, 400, 'request body is not JSON'));
      return;
    }
    const settings = this.#settings(req);
    const requestId = `req_${this.#options.seed}_${++this.#ids}`;
    res.setHeader('x-request-id', requestId);
    res.setHeader('request-id', requestId);
    if (settings.fault === '429' || settings.fault === '500') {
      this.#fail(res, route.api, settings);
      return;
    }
    this.#answer(res, route.kind, route.model === undefined ? body : { ...body, model: route.model }, settings);
  }

  #settings(req: IncomingMessage): RequestSettings {
    const o = this.#options;
    return {
      fault: this.#fault(req),
      ttftMs: headerNumber(req, OFFLINE_HEADERS.TTFT_MS) ?? o.ttftMs,
      latencyMs: headerNumber(req, OFFLINE_HEADERS.LATENCY_MS) ?? o.latencyMs,
      tokensPerSecond: headerNumber(req, OFFLINE_HEADERS.TOKENS_PER_SECOND) || o.tokensPerSecond,
      outputTokens: headerNumber(req, OFFLINE_HEADERS.OUTPUT_TOKENS),
    };
  }

  #fault(req: IncomingMessage): OfflineFault | undefined {
    const asked = headerText(req, OFFLINE_HEADERS.FAULT);
    if (asked === 'none') return undefined;
    if (asked === '429' || asked === '500' || asked === 'drop') {
      const times = headerNumber(req, OFFLINE_HEADERS.FAULT_TIMES);
      if (times === undefined) return asked;
      const key = `${asked}:${headerText(req, OFFLINE_HEADERS.FAULT_KEY) ?? ''}`;
      const seen = this.#faultCounts.get(key) ?? 0;
      this.#faultCounts.set(key, seen + 1);
      return seen < times ? asked : undefined;
    }
    const o = this.#options;
    if (o.errorRate > 0 && this.#prng.next() < o.errorRate) return o.faults[this.#prng.int(0, o.faults.length - 1)];
    return undefined;
  }

  #answerFor(body: Record<string, unknown>, settings: RequestSettings, prefix: string): Answer {
    const [min, max] = this.#options.outputTokens;
    const count = settings.outputTokens !== undefined ? Math.max(1, Math.round(settings.outputTokens)) : this.#prng.int(min, max);
    const tokens = Array.from({ length: count }, (_, i) => `${i === 0 ? '' : ' '}${WORDS[this.#prng.int(0, WORDS.length - 1)]}`);
    return {
      id: `${prefix}${this.#options.seed}${String(this.#ids).padStart(6, '0')}`,
      model: typeof body.model === 'string' && body.model !== '' ? body.model : 'offline-model',
      tokens,
      inputTokens: inputTokensOf(body),
      created: Math.floor(Date.now() / 1000),
    };
  }

  #answer(res: ServerResponse, kind: RouteKind, body: Record<string, unknown>, settings: RequestSettings): void {
    if (kind === 'gemini-embed') {
      const requests = Array.isArray(body.requests) ? body.requests : [];
      const vecs = vectors(Math.max(1, requests.length), this.#options.embeddingDimensions, this.#prng.next);
      this.#later(res, settings, () => geminiEmbed(vecs));
      return;
    }
    if (kind === 'embeddings' || kind === 'ollama-embed') {
      const model = typeof body.model === 'string' ? body.model : 'offline-embedding';
      const vecs = vectors(inputCount(body.input), this.#options.embeddingDimensions, this.#prng.next);
      const tokens = inputTokensOf(body);
      this.#later(res, settings, () =>
        kind === 'embeddings'
          ? openAIEmbeddings(model, vecs, tokens, body.encoding_format === 'base64')
          : ollamaEmbed(model, vecs, tokens),
      );
      return;
    }
    const streamed = kind.startsWith('ollama') ? body.stream !== false : kind === 'gemini-stream' || body.stream === true;
    const answer = this.#answerFor(body, settings, kind === 'messages' ? 'msg_' : kind === 'responses' ? 'resp_' : 'chatcmpl-');
    if (streamed) {
      this.#stream(res, this.#streamPlan(kind, answer, body), settings, answer.tokens.length);
      return;
    }
    this.#later(res, settings, () => {
      this.stats.outputTokens += answer.tokens.length;
      switch (kind) {
        case 'chat': return openAIChat(answer);
        case 'responses': return openAIResponse(answer);
        case 'messages': return anthropicMessage(answer);
        case 'ollama-chat': return ollamaAnswer(answer, 'chat');
        case 'gemini-generate': return geminiResponse(answer);
        default: return ollamaAnswer(answer, 'generate');
      }
    });
  }

  #streamPlan(kind: RouteKind, answer: Answer, body: Record<string, unknown>): StreamPlan {
    if (kind === 'messages') return anthropicStream(answer);
    if (kind === 'ollama-chat') return ollamaStream(answer, 'chat');
    if (kind === 'ollama-generate') return ollamaStream(answer, 'generate');
    if (kind === 'responses') return openAIResponseStream(answer);
    if (kind === 'gemini-stream') return geminiStream(answer);
    const options = body.stream_options as { include_usage?: unknown } | undefined;
    return openAIChatStream(answer, options?.include_usage === true);
  }

  #timer(fn: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, ms);
    timer.unref();
    this.#timers.add(timer);
  }

  /** Sends a JSON answer after the latency, or drops the connection when that fault was drawn. */
  #later(res: ServerResponse, settings: RequestSettings, build: () => object): void {
    this.#timer(() => {
      if (settings.fault === 'drop') {
        this.stats.faults.drop++;
        res.socket?.destroy();
        return;
      }
      this.#json(res, 200, build());
    }, settings.latencyMs);
  }

  #fail(res: ServerResponse, api: Api, settings: RequestSettings): void {
    const status = settings.fault === '429' ? 429 : 500;
    this.stats.faults[settings.fault!]++;
    this.#timer(() => {
      if (status === 429) {
        res.setHeader('retry-after', String(Math.ceil(this.#options.retryAfterMs / 1000)));
        res.setHeader('retry-after-ms', String(this.#options.retryAfterMs));
      }
      const message = status === 429 ? 'Rate limit reached (offline model server)' : 'Internal server error (offline model server)';
      this.#json(res, status, errorBody(api, status, message));
    }, settings.latencyMs);
  }

  /** Writes a stream: head frames at once, the first token after the TTFT, the rest at the token pace. */
  #stream(res: ServerResponse, plan: StreamPlan, settings: RequestSettings, tokenCount: number): void {
    res.writeHead(200, { 'content-type': plan.contentType, 'cache-control': 'no-cache', connection: 'keep-alive' });
    for (const frame of plan.head) res.write(frame);
    const dropAt = settings.fault === 'drop' ? Math.max(1, Math.floor(plan.tokens.length / 2)) : -1;
    const interval = 1000 / settings.tokensPerSecond;
    let closed = false;
    res.on('close', () => (closed = true));
    const send = (i: number): void => {
      if (closed) return;
      if (i === dropAt) {
        this.stats.faults.drop++;
        res.socket?.destroy();
        return;
      }
      if (i === plan.tokens.length) {
        for (const frame of plan.tail) res.write(frame);
        this.stats.outputTokens += tokenCount;
        res.end();
        return;
      }
      res.write(plan.tokens[i]);
      this.#timer(() => send(i + 1), interval);
    };
    this.#timer(() => send(0), settings.ttftMs);
  }

  #json(res: ServerResponse, status: number, body: object): void {
    if (res.headersSent || res.destroyed) return;
    const payload = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
    res.end(payload);
  }
}

/**
 * Starts the offline model server on 127.0.0.1. Throws a TypeError naming the option when an option
 * is invalid.
 * @example
 * const server = await startOfflineModelServer({ seed: 7, ttftMs: 150 });
 * const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'offline' });
 * // ...
 * await server.close();
 */
export async function startOfflineModelServer(options: OfflineModelOptions = {}): Promise<OfflineModelServer> {
  checkOptions('startOfflineModelServer', options);
  const resolved = resolveOfflineOptions(options);
  const model = new OfflineModel(resolved);
  const server = createServer((req, res) => model.handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    stats: model.stats,
    close() {
      closing ??= new Promise<void>((resolve) => {
        model.cancelTimers();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
