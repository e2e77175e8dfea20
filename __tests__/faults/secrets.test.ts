/**
 * Secrets never leave (issue 8, point 7). Every covered secret format is fed through every path a
 * value can take into a span or a log line, with capture `full`: request and response content, error
 * messages (short, past the 1,000-character cut, and echoed in an SDK error body), user attributes
 * and events (by value and under secret keys), header objects, header tuples, `Headers` and `Map`s,
 * URL query parameters, SDK client options, and log lines. Then every sink is grepped: the JSON
 * file store directory, JSONL session files, the log output (stdout and the log buffer), OTLP/HTTP
 * exports in JSON and protobuf (raw bytes and decoded), and the in-memory store. Ordinary text sent
 * the same way arrives unchanged.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import OpenAI, { APIError } from 'openai';
import { exportToOtlp, type ExportHandle } from '../../adapters/otel/index.js';
import { instrumentOpenAI } from '../../adapters/openai/index.js';
import { configure, getLogger, openFileStore, REDACTED, traced, TraceStore, withSpan } from '../../index.js';
import { BatchSpanProcessor, createSessionFileExporter } from '../../lib/extend/index.js';
import { startOfflineModelServer, type OfflineModelServer } from '../../lib/offline-model/index.js';
import { startHttpReceiver } from '../helpers/http-receiver.js';
import { SECRET_SAMPLES } from '../helpers/secret-samples.js';
import { listFilesDeep, removeTempDirs, tempDir } from '../helpers/temp-dir.js';

const FORMATS = Object.entries(SECRET_SAMPLES);

/** Text that must arrive unchanged, through the same paths. */
const ORDINARY = [
  'The tokenizer splits this sentence into 12 tokens, and max_tokens: 1024 caps the answer.',
  'request 3f2b8a4e-9c1d-4e5f-a6b7-c8d9e0f1a2b3 took 812 ms',
  'commit 9fceb02d0ae598e95dc970b74767f19372d61af8',
  'sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  'https://example.com/search?q=llm+tracing&page=2',
  'model gpt-4o-mini-2024-07-18 on 2024-01-15T10:20:30Z',
  'Remember the password policy: twelve characters minimum.',
];

/** Each sink's full text, by sink name. */
type Sinks = Record<string, string>;

let sinks: Sinks = {};
let piiSinks: Sinks = {};
let server: OfflineModelServer;

/** Every path one value can take. `T` is the secret (or ordinary text); `tag` names the call. */
async function feed(T: string, tag: string): Promise<void> {
  const content = traced(
    async (_request: unknown) => ({ answer: `echo ${T}`, links: [`https://api.example.com/v1/chat?key=${T}&alt=sse`] }),
    { name: `content ${tag}`, kind: 'llm', capture: 'full' },
  );
  await content({
    prompt: `please use ${T} now`,
    url: `https://api.example.com/v1/search?api_key=${T}&q=x`,
    headers: { 'x-api-key': T, 'X-Debug': T, Authorization: `Bearer ${T}` },
    tuples: [['x-api-key', T], ['authorization', T], ['x-trace', T]],
    live: new Headers({ 'x-api-key': 'placeholder', 'x-trace': 'placeholder' }),
    map: new Map([['token', T], ['note', T]]),
    clientOptions: { apiKey: T, baseURL: 'https://api.example.com/v1', defaultHeaders: { 'x-api-key': T } },
  });

  const failing = (message: string | (() => Error)) =>
    traced(
      async () => {
        throw typeof message === 'string' ? new Error(message) : message();
      },
      { name: `error ${tag}`, capture: 'full' },
    )().catch(() => undefined);
  await failing(`request failed for ${T}`);
  await failing(`${'E'.repeat(Math.max(0, 1000 - Math.floor(T.length / 2)))} ${T} tail`); // straddles the 1,000-char cut
  await failing(`${'F'.repeat(1200)} ${T} past the cut`);
  await failing(() => new APIError(401, { code: 'invalid_api_key', detail: `key ${T} was rejected` }, undefined, new Headers()));

  await withSpan(`attributes ${tag}`, { attributes: { 'app.note': `note ${T}`, 'app.list': ['a', T], 'url.full': `https://h.example/p?token=${T}&x=1` } }, (span) => {
    span.setAttribute('app.later', T);
    span.setAttributes({ apiKey: T, 'x-api-key': T, authorization: T, token: T, password: T, Cookie: T, client_secret: T });
    span.addEvent('event', { detail: `detail ${T}`, api_key: T, 'app.url': `https://h.example/?sig=${T}` });
    span.addEvent(`event named ${T}`);
    getLogger().log.info(`log line ${T}`, { apiKey: T, detail: `detail ${T}` });
    getLogger().log.warn(new Error(`logged error ${T}`));
  });
}

/** The OpenAI SDK with the value as its API key, default header and request header (SDK client options). */
async function feedSdk(T: string): Promise<void> {
  const client = instrumentOpenAI(
    new OpenAI({ apiKey: T.replace(/\n/g, ' '), baseURL: `${server.url}/v1`, maxRetries: 0, defaultHeaders: { 'x-api-key': T.replace(/\n/g, ' ') } }),
    { capture: 'full' },
  );
  await client.chat.completions
    .create({ model: 'gpt-offline', messages: [{ role: 'user', content: `hi ${T}` }] }, { headers: { 'x-extra-key': T.replace(/\n/g, ' ') } })
    .catch(() => undefined);
}

/**
 * Sets up every sink on a fresh store (file store, session files, JSON logs on stdout, OTLP/HTTP JSON
 * and protobuf receivers), feeds each value through every path, flushes, and returns what each sink holds.
 */
async function throughEverySink(values: readonly string[], ordinary: readonly string[], redaction: { pii?: boolean }): Promise<Sinks> {
  const json = await startHttpReceiver();
  const protobuf = await startHttpReceiver();
  const store = new TraceStore({ maxSpans: 100_000 });
  const stdout: string[] = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk));
    return true;
  });
  configure({ store, logger: { format: 'json', bufferSize: 100_000 }, enabled: true, capture: 'metadata', redaction });
  const logBuffer = getLogger().buffer;
  const dir = tempDir();
  const fileStore = await openFileStore({ dir: `${dir}/store`, flushOnExit: false });
  const sessions = createSessionFileExporter({ dir: `${dir}/sessions`, flushOnExit: false });
  const toFiles = new BatchSpanProcessor(fileStore, { flushOnExit: false, maxQueueSize: 100_000 }).attach(store);
  const toSessions = new BatchSpanProcessor(sessions, { flushOnExit: false, maxQueueSize: 100_000 }).attach(store);
  const otlp: ExportHandle[] = [
    await exportToOtlp({ url: `${json.origin}/v1/traces`, protocol: 'http/json', store, maxQueueSize: 100_000 }),
    await exportToOtlp({ url: `${protobuf.origin}/v1/traces`, protocol: 'http/protobuf', store, maxQueueSize: 100_000 }),
  ];
  try {
    await withSpan('secrets session', { kind: 'session' }, async () => {
      for (const [i, text] of values.entries()) {
        await feed(text, `value ${i}`);
        await feedSdk(text);
      }
      for (const [i, text] of ordinary.entries()) await feed(text, `ordinary ${i}`);
    });
    await new Promise((resolve) => setTimeout(resolve, 50)); // streamed SDK answers end on their last read
    await Promise.all(otlp.map((h) => h.flush()));
    await toFiles.shutdown();
    await toSessions.shutdown();
    await Promise.all(otlp.map((h) => h.shutdown()));
  } finally {
    jest.restoreAllMocks();
    configure({ logger: { format: 'hidden' }, redaction: {} });
    await Promise.all([json.close(), protobuf.close()]);
  }
  const files = listFilesDeep(dir);
  const read = (filter: (f: string) => boolean): string => files.filter(filter).map((f) => readFileSync(f, 'utf8')).join('\n');
  return {
    'JSON file store': read((f) => f.includes('/store/')),
    'JSONL session files': read((f) => f.includes('/sessions/')),
    'log output': `${stdout.join('')}\n${JSON.stringify(logBuffer.query({}))}`,
    'OTLP http/json': json.requests.map((r) => r.body.toString('utf8')).join('\n'),
    'OTLP http/protobuf (raw)': protobuf.requests.map((r) => r.body.toString('latin1')).join('\n'),
    'OTLP http/protobuf (decoded)': JSON.stringify(protobuf.traces()),
    'in-memory store': JSON.stringify(store.getRecent(100_000)),
  };
}

/** Personal data the PII preset masks, and the part of each that must not be kept. */
const PII = {
  'e-mail address': 'ann.lee+work@mail.example.co.uk',
  'phone number': '+44 20 7946 0958',
  'card number (Luhn)': '4111 1111 1111 1111',
  'IBAN (mod 97)': 'DE89 3704 0044 0532 0130 00',
};

beforeAll(async () => {
  server = await startOfflineModelServer({ seed: 1, latencyMs: 1, ttftMs: 1, tokensPerSecond: 10_000, outputTokens: [2, 3] });
  sinks = await throughEverySink(FORMATS.map(([, sample]) => sample.text), ORDINARY, {});
  piiSinks = await throughEverySink(Object.values(PII), ORDINARY, { pii: true });
}, 180_000);

afterAll(async () => {
  configure({ logger: { format: 'hidden' }, capture: 'metadata', redaction: {} });
  await server?.close();
  removeTempDirs();
});

/** Where `needle` sits in `text`, with some context, or undefined when it is not there. */
function found(text: string, needle: string): string | undefined {
  const at = text.indexOf(needle);
  return at < 0 ? undefined : text.slice(Math.max(0, at - 120), at + needle.length + 40);
}

describe('every sink', () => {
  it('received every path (the test reaches each sink, with content masked)', () => {
    for (const [sink, text] of Object.entries(sinks)) {
      expect({ sink, redacted: text.includes(REDACTED) }).toEqual({ sink, redacted: true });
      for (const tag of ['content value 0', 'error value 0', 'attributes value 0']) {
        if (sink === 'log output') continue;
        expect({ sink, tag, present: text.includes(tag) }).toEqual({ sink, tag, present: true });
      }
    }
    expect(sinks['log output']).toContain('log line ');
    expect(sinks['JSON file store']).toContain('openai.chat.completions.create');
  });

  it.each(FORMATS)('holds no %s, whatever path it took', (_name, { needle }) => {
    for (const [sink, text] of Object.entries(sinks)) {
      expect({ sink, leak: found(text, needle) }).toEqual({ sink, leak: undefined });
    }
  });

  it('keeps ordinary text (prose, ids, hashes, URLs, dates) unchanged', () => {
    for (const sink of ['JSON file store', 'OTLP http/json', 'OTLP http/protobuf (decoded)', 'in-memory store']) {
      for (const text of ORDINARY) {
        expect({ sink, text, kept: sinks[sink]!.includes(text) }).toEqual({ sink, text, kept: true });
      }
    }
  });
});

describe('with the PII preset', () => {
  it.each(Object.entries(PII))('no sink holds the %s, whatever path it took', (_name, value) => {
    for (const [sink, text] of Object.entries(piiSinks)) {
      expect({ sink, leak: found(text, value) }).toEqual({ sink, leak: undefined });
    }
  });

  it('still keeps ordinary text, ids and dates unchanged', () => {
    for (const text of ORDINARY) expect({ text, kept: piiSinks['JSON file store']!.includes(text) }).toEqual({ text, kept: true });
  });

  it('masks personal data by kind', () => {
    for (const mask of ['[EMAIL]', '[PHONE]', '[CARD]', '[IBAN]']) expect(piiSinks['OTLP http/json']).toContain(mask);
  });
});
