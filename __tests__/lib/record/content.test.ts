/**
 * Content capture of large values: `full` mode copies only what the byte cap can show, masks secrets
 * before any cut, and says the text was truncated; sizes stay right. Values without a message shape
 * (or of spans that are not model calls) are captured raw.
 */
import { captureContent } from '../../../lib/record/content.js';
import { createRedactor, DEFAULT_REDACTOR } from '../../../lib/redact.js';

const embeddings = {
  object: 'list',
  data: Array.from({ length: 100 }, (_, i) => ({ object: 'embedding', index: i, embedding: Array.from({ length: 1536 }, (_, j) => (i + j) / 7) })),
  model: 'text-embedding-3-small',
};

describe('captureContent of large values', () => {
  it('keeps a capped, marked excerpt of a multi-megabyte response, with its full size', () => {
    const captured = captureContent(embeddings, 'response', 'full', 8192, DEFAULT_REDACTOR, false)!;
    const real = Buffer.byteLength(JSON.stringify(embeddings), 'utf8');
    const text = captured.attributes!['llmtrace.response.content'] as string;
    expect(Buffer.byteLength(text, 'utf8')).toBeLessThanOrEqual(8192);
    expect(captured.attributes!['llmtrace.response.truncated']).toBe(true);
    expect(text.startsWith('{"object":"list","data":[{"object":"embedding"')).toBe(true);
    expect(Math.abs(captured.bytes! - real) / real).toBeLessThan(0.02);
  });

  it('lists the items it left out of a long array', () => {
    const captured = captureContent([{ items: Array.from({ length: 100 }, (_, i) => i) }], 'request', 'full', 8192, DEFAULT_REDACTOR, true)!;
    expect(captured.attributes!['gen_ai.input.messages']).toBeUndefined(); // no prompt in it: raw
    expect(captured.attributes!['llmtrace.request.content']).toContain('"… 36 more items"');
    expect(captured.attributes!['llmtrace.request.truncated']).toBe(true);
  });

  it('masks a secret that sits across the point where a long string is cut', () => {
    const key = 'sk-proj-' + 'A1b2C3d4E5f6G7h8'.repeat(3);
    const prompt = 'x'.repeat(8180) + key + ' tail';
    for (const asMessages of [true, false]) {
      const captured = captureContent([{ prompt }], 'request', 'full', 8192, DEFAULT_REDACTOR, asMessages)!;
      const text = JSON.stringify(captured.attributes);
      expect(text).toContain('xxxx');
      expect(text).not.toContain('sk-proj-A1b2');
      expect(text).not.toContain('A1b2C3d4');
      expect(captured.attributes!['llmtrace.request.truncated']).toBe(true);
    }
  });

  it('measures sizes only, exactly, in metadata mode', () => {
    const request = { model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] };
    expect(captureContent(request, 'request', 'metadata', 8192, DEFAULT_REDACTOR, true)).toEqual({
      bytes: Buffer.byteLength(JSON.stringify(request), 'utf8'),
    });
  });
});

describe('captureContent in the message schema', () => {
  it('gives the mask the path of each string within the messages, and keeps what it returns', () => {
    const paths: string[] = [];
    const redactor = createRedactor({ mask: (value, path) => (paths.push(path), path.endsWith('.email') ? '<email>' : value) });
    const request = {
      model: 'gpt-4o-mini',
      messages: [
        { role: 'user', content: 'Book it' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'book', arguments: '{"email":"a@b.c"}' } }] },
      ],
    };
    const captured = captureContent([request], 'request', 'full', 8192, redactor, true, 'gpt-4o-mini')!;
    expect(paths).toEqual(expect.arrayContaining(['input.0.parts.0.content', 'input.1.parts.0.arguments.email']));
    expect(JSON.parse(captured.attributes!['gen_ai.input.messages'] as string)[1].parts[0].arguments).toEqual({ email: '<email>' });
    expect(captured.attributes!['llmtrace.request.truncated']).toBe(false);
  });
});
