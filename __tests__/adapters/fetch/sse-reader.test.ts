/**
 * Server-sent events read by the WHATWG rules: multi-line `data:` joined with "\n", CR-only, LF and
 * CRLF line endings (also split across chunks), comments and other fields ignored, `[DONE]` as the
 * end of the stream; and tracedFetch following such a stream from a loopback server.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { tracedFetch } from '../../../adapters/fetch/index.js';
import { createSseReader } from '../../../adapters/fetch/sse-reader.js';
import { freshStore } from '../../helpers/fresh-store.js';

function read(pieces: string[]): { items: unknown[]; done: number } {
  const items: unknown[] = [];
  let done = 0;
  const reader = createSseReader((item) => items.push(item), () => done++);
  for (const piece of pieces) reader.feed(piece);
  reader.end();
  return { items, done };
}

/** Every way of cutting `text` in two. */
function splits(text: string): string[][] {
  return Array.from({ length: text.length + 1 }, (_, i) => [text.slice(0, i), text.slice(i)]);
}

describe('createSseReader', () => {
  it('joins multi-line data fields with a newline before parsing', () => {
    const body = 'data: {"a":\ndata: 1}\n\ndata: {"b":2}\n\n';
    expect(read([body]).items).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR only', '\r'],
  ])('reads %s line endings, however the body is split', (_name, eol) => {
    const body = `: keep-alive${eol}event: message${eol}id: 7${eol}data: {"n":1}${eol}${eol}data: {"n":${eol}data: 2}${eol}${eol}data: [DONE]${eol}${eol}`;
    for (const pieces of splits(body)) {
      expect(read(pieces)).toEqual({ items: [{ n: 1 }, { n: 2 }], done: 1 });
    }
  });

  it('ignores comments, unknown fields, retry and non-JSON data; strips one leading space only', () => {
    const body = ':comment\nretry: 1000\nfoo: bar\ndata: not json\n\ndata:{"tight":true}\n\ndata:  {"spaced":true}\n\n';
    expect(read([body]).items).toEqual([{ tight: true }, { spaced: true }]);
  });

  it('dispatches a last event the server did not close with a blank line', () => {
    expect(read(['data: {"usage":{"completion_tokens":3}}']).items).toEqual([{ usage: { completion_tokens: 3 } }]);
    expect(read(['data: {"x":1}\r']).items).toEqual([{ x: 1 }]);
  });
});

describe('tracedFetch over an SSE stream with CR-only endings and multi-line data', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = (content: string) => JSON.stringify({ object: 'chat.completion.chunk', model: 'sse-model', choices: [{ delta: { content } }] });
      const usage = JSON.stringify({ object: 'chat.completion.chunk', model: 'sse-model', choices: [], usage: { prompt_tokens: 4, completion_tokens: 2 } });
      // A multi-line data field (split where JSON allows a newline), CR-only endings, a comment.
      const [head, tail] = [usage.slice(0, usage.indexOf('"usage"')), usage.slice(usage.indexOf('"usage"'))];
      res.write(`: ping\rdata: ${chunk('He')}\r\rdata: ${chunk('llo')}\r\r`);
      res.write(`data: ${head}\rdata: ${tail}\r\rdata: [DONE]\r\r`);
      setTimeout(() => res.end(), 200);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const post = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', stream: true }) };

  it('records the content chunks and the usage the server sent', async () => {
    const store = freshStore();
    const response = await tracedFetch()(url, post);
    await response.text();
    const span = store.getRecent(1)[0]!;
    expect(span.attributes['llmtrace.stream.end']).toBe('completed');
    expect(span.attributes['llmtrace.stream.chunks']).toBe(2);
    expect(span.attributes['gen_ai.usage.input_tokens']).toBe(4);
    expect(span.attributes['gen_ai.usage.output_tokens']).toBe(2);
    expect(span.attributes['llmtrace.usage.estimated']).toBeUndefined();
  });

  it('a stream that sent [DONE] has completed, even when the caller cancels the body after it', async () => {
    const store = freshStore();
    const response = await tracedFetch()(url, post);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('[DONE]')) text += decoder.decode((await reader.read()).value, { stream: true });
    await reader.cancel();
    const span = store.getRecent(1)[0]!;
    expect(span.status).toBe('success');
    expect(span.attributes['llmtrace.stream.end']).toBe('completed');
    expect(span.attributes['gen_ai.usage.output_tokens']).toBe(2);
  });
});
