/**
 * `GET /api/live`: server-sent events with spans as they happen. Each message is one JSON object
 * `{ "type": "start" | "end", "span": SpanData }`. Spans come from following the store directory
 * (lib/query followSpans, a poll every 500 ms) and, in-process, from the running program's
 * TraceStore: span starts (calls still in flight) and ends, at once. A span seen both ways is sent
 * once. A comment line every 15 s keeps proxies from closing the stream.
 */
import type { ServerResponse } from 'node:http';
import { followSpans } from '../../lib/query/index.js';
import type { Span, SpanData } from '../../lib/span.js';
import type { DashboardSource } from './dashboard-source.js';

/** Poll interval of the store directory, ms. */
export const LIVE_POLL_MS = 500;

/** Interval of the keep-alive comment, ms. */
export const LIVE_KEEPALIVE_MS = 15_000;

/** Span ids remembered per stream to send each end once (cleared when exceeded). */
const MAX_REMEMBERED = 20_000;

/** Streams live spans to `res` until the client goes away or `closed` resolves. */
export function streamLive(res: ServerResponse, source: DashboardSource, headers: Record<string, string>, closed: Promise<void>): void {
  res.writeHead(200, { ...headers, 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
  res.write(': llmtrace live\n\n');
  let ended = new Set<string>();
  const send = (type: 'start' | 'end', span: SpanData): void => {
    if (type === 'end') {
      if (ended.has(span.id)) return;
      if (ended.size >= MAX_REMEMBERED) ended = new Set();
      ended.add(span.id);
    }
    res.write(`data: ${JSON.stringify({ type, span })}\n\n`);
  };
  let stopNow!: () => void;
  const stop = new Promise<void>((resolve) => (stopNow = resolve));
  const unsubscribe: (() => void)[] = [];
  if (source.store) {
    unsubscribe.push(source.store.subscribeStarts((span: Span) => send('start', span.toJSON())));
    unsubscribe.push(source.store.subscribe((span: Span) => send('end', span.toJSON())));
  }
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), LIVE_KEEPALIVE_MS);
  keepAlive.unref();
  const finish = (): void => {
    clearInterval(keepAlive);
    for (const off of unsubscribe) off();
    stopNow();
  };
  res.on('close', finish);
  void closed.then(() => {
    finish();
    res.end();
  });
  void followDisk(source, send, stop);
}

async function followDisk(source: DashboardSource, send: (type: 'end', span: SpanData) => void, stop: Promise<void>): Promise<void> {
  if (source.dir === undefined) return;
  let stopped = false;
  void stop.then(() => {
    stopped = true;
  });
  const from = Date.now();
  while (!stopped) {
    const disk = await source.source();
    if (disk) {
      for await (const span of followSpans(disk, { from, pollMs: LIVE_POLL_MS, stop })) send('end', span);
      return;
    }
    await Promise.race([new Promise((r) => setTimeout(r, LIVE_POLL_MS).unref()), stop]);
  }
}
