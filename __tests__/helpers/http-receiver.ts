/**
 * Test helper: a loopback HTTP receiver (127.0.0.1, port 0) standing in for an OTLP/HTTP collector
 * or a Zipkin server. It records every request, decodes OTLP bodies by content type, and can be told
 * to answer with an error status or to answer late.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJson, decodeProtobuf, type ReceivedTrace } from './otlp-decode.js';

/** One request the receiver got. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** How the receiver answers; change it between requests. */
export interface ReceiverBehaviour {
  /** HTTP status to answer with. @default 200 */
  status: number;
  /** Wait this long before answering, in ms. @default 0 */
  delayMs: number;
  /** Headers to answer with (`retry-after`), besides the content type. @default none */
  headers?: Record<string, string>;
}

/** A running loopback receiver. */
export interface HttpReceiver {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  requests: ReceivedRequest[];
  behaviour: ReceiverBehaviour;
  /** Every OTLP trace request decoded (protobuf or JSON by content type), in arrival order. */
  traces(): ReceivedTrace[];
  /** Resolves once at least `count` requests have arrived (rejects after `timeoutMs`). */
  waitForRequests(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts a receiver on 127.0.0.1, port 0. */
export async function startHttpReceiver(): Promise<HttpReceiver> {
  const requests: ReceivedRequest[] = [];
  const behaviour: ReceiverBehaviour = { status: 200, delayMs: 0 };
  const waiters: (() => void)[] = [];
  const pending = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      waiters.splice(0).forEach((w) => w());
      const answer = (): void => {
        res.statusCode = behaviour.status;
        res.setHeader('content-type', 'application/json');
        for (const [name, value] of Object.entries(behaviour.headers ?? {})) res.setHeader(name, value);
        res.end(behaviour.status < 300 ? '{}' : '{"error":"receiver told to fail"}');
      };
      if (behaviour.delayMs > 0) {
        const t = setTimeout(() => {
          pending.delete(t);
          answer();
        }, behaviour.delayMs);
        pending.add(t);
      } else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    behaviour,
    traces: () =>
      requests.flatMap((r) =>
        String(r.headers['content-type']).includes('protobuf') ? decodeProtobuf(r.body) : decodeJson(r.body),
      ),
    waitForRequests: (count, timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`receiver got ${requests.length} of ${count} requests`)), timeoutMs);
        const check = (): void => {
          if (requests.length >= count) {
            clearTimeout(timer);
            resolve();
          } else waiters.push(check);
        };
        check();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        pending.forEach((t) => clearTimeout(t));
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
