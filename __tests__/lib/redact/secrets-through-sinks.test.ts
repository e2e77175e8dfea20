/**
 * The two secret shapes the final pass used to let through, fed through the public API into every
 * sink: keys right after an escape written out as text (an SDK error that embeds a JSON body, a
 * query string: `\nsk-...`, `%20sk-...`), and secrets inside array and object-valued attributes
 * (`[1, 'sk-...']`, `{ headers: { authorization } }`). `startTracing` writes the JSON file store,
 * the session files and the `LLM_CALL_ERROR` log line; OTLP/HTTP JSON and Zipkin export to
 * loopback receivers. No sink may hold any of the secrets.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { exportTo, exportToOtlp } from '../../../adapters/otel/index.js';
import { configure, getLogger, REDACTED, startTracing, traced, TraceStore, withSpan } from '../../../index.js';
import { startHttpReceiver } from '../../helpers/http-receiver.js';
import { ESCAPED_CONTEXTS, filler, SECRET_SAMPLES } from '../../helpers/secret-samples.js';
import { listFilesDeep, removeTempDirs, tempDir } from '../../helpers/temp-dir.js';

/** Key formats recognised at a word start, so an escape before them used to hide them. */
const KEYS = ['OpenAI key', 'Anthropic key', 'Google API key', 'GitHub classic token', 'Azure client secret'].map(
  (name) => SECRET_SAMPLES[name]!.text,
);
const BEARER = filler(40, 'Zy8Xw7Vu6Ts5Rq4Po3Nm2Lk1');
/** Keys set inside array and object-valued attributes. */
const IN_STRUCTURES = ['Stripe secret key', 'npm token', 'Groq key'].map((name) => SECRET_SAMPLES[name]!.text);
/** Values masked only because of the key they sit under. */
const UNDER_KEYS = { authorization: 'opaque-credential-0001', 'x-api-key': 'opaque-credential-0002', token: 'opaque-credential-0003' };

/** Each sink's full text, by sink name. */
let sinks: Record<string, string> = {};

async function feed(): Promise<void> {
  await withSpan('escapes session', { kind: 'session' }, async () => {
    for (const [context, wrap] of Object.entries(ESCAPED_CONTEXTS)) {
      for (const key of KEYS) {
        const call = traced(
          async () => {
            throw new Error(wrap(key));
          },
          { name: `chat ${context}`, kind: 'llm' },
        );
        await call().catch(() => undefined);
        await withSpan(`attribute ${context}`, { attributes: { 'app.body': wrap(key) } }, () => undefined);
        getLogger().log.warn(`upstream said ${wrap(key)}`);
      }
    }
    const call = traced(
      async () => {
        throw new Error(`401 {"error":"Bearer%20${BEARER}"}`);
      },
      { name: 'chat bearer', kind: 'llm' },
    );
    await call().catch(() => undefined);
    await withSpan('structured attributes', async (span) => {
      span.setAttribute('app.mixed', [1, IN_STRUCTURES[0]!] as never);
      span.setAttribute('app.request', { headers: { ...UNDER_KEYS, accept: 'application/json' }, note: `uses ${IN_STRUCTURES[1]!}` } as never);
      span.setAttribute('app.tuples', [['authorization', UNDER_KEYS.authorization]] as never);
      span.addEvent('retry', { 'app.sent': { headers: UNDER_KEYS, keys: [2, IN_STRUCTURES[2]!] } } as never);
    });
  });
}

beforeAll(async () => {
  const otlp = await startHttpReceiver();
  const zipkin = await startHttpReceiver();
  const stdout: string[] = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk));
    return true;
  });
  const store = new TraceStore({ maxSpans: 10_000 });
  const dir = tempDir();
  const tracing = await startTracing({
    store,
    logger: { format: 'json' },
    fileStore: { dir: `${dir}/store`, flushOnExit: false },
    sessionFiles: { dir: `${dir}/sessions`, flushOnExit: false },
    aggregation: false,
    logCalls: true,
    handleSignals: false,
  });
  const exports = [
    await exportToOtlp({ url: `${otlp.origin}/v1/traces`, protocol: 'http/json', store }),
    exportTo(new ZipkinExporter({ url: `${zipkin.origin}/api/v2/spans` }), { store }),
  ];
  try {
    await feed();
    await Promise.all(exports.map((e) => e.flush()));
    await tracing.shutdown();
    await Promise.all(exports.map((e) => e.shutdown()));
  } finally {
    jest.restoreAllMocks();
    configure({ logger: { format: 'hidden' } });
    await Promise.all([otlp.close(), zipkin.close()]);
  }
  const files = listFilesDeep(dir);
  const read = (part: string): string => files.filter((f) => f.includes(part)).map((f) => readFileSync(f, 'utf8')).join('\n');
  sinks = {
    'JSON file store': read('/store/'),
    'JSONL session files': read('/sessions/'),
    'log output': stdout.join(''),
    'OTLP http/json': otlp.requests.map((r) => r.body.toString('utf8')).join('\n'),
    Zipkin: zipkin.requests.map((r) => r.body.toString('utf8')).join('\n'),
    'in-memory store': JSON.stringify(store.getRecent(10_000)),
  };
}, 60_000);

afterAll(() => {
  configure({ logger: { format: 'hidden' }, redaction: {} });
  removeTempDirs();
});

/** Where `needle` sits in `text`, with some context, or undefined when it is not there. */
function found(text: string, needle: string): string | undefined {
  const at = text.indexOf(needle);
  return at < 0 ? undefined : text.slice(Math.max(0, at - 120), at + needle.length + 40);
}

describe('secrets after an escape and inside structured attributes', () => {
  it('reach every sink masked (the test feeds each sink)', () => {
    for (const [sink, text] of Object.entries(sinks)) {
      expect({ sink, redacted: text.includes(REDACTED) }).toEqual({ sink, redacted: true });
    }
    expect(sinks['log output']).toContain('LLM_CALL_ERROR');
    for (const sink of ['JSON file store', 'OTLP http/json', 'Zipkin']) expect({ sink, text: sinks[sink] }).toEqual({ sink, text: expect.stringContaining('structured attributes') });
  });

  it.each(KEYS.map((key) => [key.slice(0, 12), key]))('no sink holds the key %s… after any escape', (_head, key) => {
    for (const [sink, text] of Object.entries(sinks)) expect({ sink, leak: found(text, key) }).toEqual({ sink, leak: undefined });
  });

  it('no sink holds a Bearer credential whose space was percent-escaped', () => {
    for (const [sink, text] of Object.entries(sinks)) expect({ sink, leak: found(text, BEARER) }).toEqual({ sink, leak: undefined });
  });

  it.each(IN_STRUCTURES.map((key) => [key.slice(0, 8), key]))('no sink holds the key %s… set inside an array or object attribute', (_head, key) => {
    for (const [sink, text] of Object.entries(sinks)) expect({ sink, leak: found(text, key) }).toEqual({ sink, leak: undefined });
  });

  it.each(Object.entries(UNDER_KEYS))('no sink holds the value under %s inside an object or tuple attribute', (_key, value) => {
    for (const [sink, text] of Object.entries(sinks)) expect({ sink, leak: found(text, value) }).toEqual({ sink, leak: undefined });
  });
});
