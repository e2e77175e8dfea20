/**
 * Reading a response body as the caller reads it. `observeBody` returns a new body stream that
 * pulls from the original only when its own reader asks (high-water mark 0), so nothing is read that
 * the caller did not read, and hands each piece to a parser: SSE events (WHATWG rules, see
 * sse-reader.ts) and NDJSON lines become stream items; a JSON body is parsed once complete (up to a
 * byte cap). An SSE stream that sent `[DONE]` has completed, even if the caller cancels the body after it.
 */
import { reportInternalError } from '../../lib/internal/diagnostics.js';
import { createSseReader } from './sse-reader.js';

/** Most bytes of a JSON body kept for reading usage; larger bodies end the span without it. */
export const MAX_JSON_BODY_BYTES = 4 * 1024 * 1024;

/** @internal What happens as the body is read. */
export interface BodyEvents {
  /** A parsed SSE `data:` or NDJSON item (streamed bodies). */
  item(value: unknown): void;
  /** The whole body was read; `json` is the parsed JSON body (JSON bodies within the cap). */
  done(json: unknown): void;
  /** The caller cancelled the body before its end. */
  cancelled(): void;
  /** Reading failed (a dropped connection, say). */
  failed(error: unknown): void;
}

/** @internal How to read a body of this content type. */
export type BodyFormat = 'sse' | 'ndjson' | 'json' | 'other';

/** @internal The body format of a `content-type` header. */
export function bodyFormatOf(contentType: string | null): BodyFormat {
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('text/event-stream')) return 'sse';
  if (type.includes('ndjson') || type.includes('jsonl')) return 'ndjson';
  if (type.includes('json')) return 'json';
  return 'other';
}

function parseNdjsonLine(line: string): unknown {
  const data = line.trim();
  if (!data) return undefined;
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

/** @internal A body stream that reads `body` only as it is read, reporting to `events`. */
export function observeBody(body: ReadableStream<Uint8Array>, format: BodyFormat, events: BodyEvents): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let pending = '';
  let jsonText = '';
  let jsonBytes = 0;
  let sawDone = false;
  const sse = format === 'sse' ? createSseReader(events.item, () => (sawDone = true)) : undefined;
  const take = (bytes: Uint8Array | undefined, final: boolean): void => {
    try {
      const text = bytes ? decoder.decode(bytes, { stream: !final }) : final ? decoder.decode() : '';
      if (format === 'json') {
        jsonBytes += bytes?.byteLength ?? 0;
        if (jsonBytes <= MAX_JSON_BODY_BYTES) jsonText += text;
        return;
      }
      if (format === 'other') return;
      if (sse) {
        if (text !== '') sse.feed(text);
        if (final) sse.end();
        return;
      }
      pending += text;
      const lines = pending.split('\n');
      pending = final ? '' : (lines.pop() ?? '');
      for (const line of lines) {
        const item = parseNdjsonLine(line);
        if (item !== undefined) events.item(item);
      }
    } catch (error) {
      reportInternalError('adapter.fetch-body', error);
    }
  };
  const finish = (): void => {
    take(undefined, true);
    let json: unknown;
    if (format === 'json' && jsonBytes <= MAX_JSON_BODY_BYTES) {
      try {
        json = JSON.parse(jsonText);
      } catch {
        json = undefined;
      }
    }
    events.done(json);
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let step: Awaited<ReturnType<typeof reader.read>>;
        try {
          step = await reader.read();
        } catch (error) {
          events.failed(error);
          throw error;
        }
        if (step.done) {
          finish();
          controller.close();
          return;
        }
        take(step.value, false);
        controller.enqueue(step.value);
      },
      cancel(reason) {
        // What the caller read may end in a line ending the parser holds back (a CR that a LF may
        // follow): read it out, so a `[DONE]` the caller saw counts.
        try {
          sse?.end();
        } catch (error) {
          reportInternalError('adapter.fetch-body', error);
        }
        if (sawDone) events.done(undefined);
        else events.cancelled();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
