import { configure, currentSpan, REDACTED, traced, withSpan } from '../../../index.js';
import { freshStore } from '../../helpers/fresh-store.js';
import { SECRET_SAMPLES } from '../../helpers/secret-samples.js';
import { MAX_ATTRIBUTE_CHARS } from '../../../lib/redact/redact-span.js';

const OPENAI = SECRET_SAMPLES['OpenAI key']!.text;
const JWT = SECRET_SAMPLES.JWT!.text;

afterEach(() => configure({ redaction: {}, capture: 'metadata' }));

describe('the final redaction pass', () => {
  it('masks attributes by key and by value, whoever set them', async () => {
    const store = freshStore();
    await withSpan('job', { attributes: { 'app.apiKey': 'plain-value', 'app.note': `uses ${OPENAI}` } }, async (span) => {
      span.setAttribute('Authorization', 'anything');
      span.setAttribute('app.token', 42);
      span.setAttributes({ 'app.urls': [`https://x.example/?key=abcdef123`, 'ok'], 'app.count': 3 });
    });
    const [span] = store.getRecent(1);
    expect(span!.attributes).toMatchObject({
      'app.apiKey': REDACTED,
      'app.note': `uses ${REDACTED}`,
      Authorization: REDACTED,
      'app.token': REDACTED,
      'app.urls': [`https://x.example/?key=${REDACTED}`, 'ok'],
      'app.count': 3,
    });
  });

  it('masks a secret used as an attribute or event attribute name, keeping the value under the masked name', async () => {
    const store = freshStore();
    const mine = { [OPENAI]: 'seen' };
    await withSpan('job', async (span) => {
      span.setAttribute(`app.by_key.${OPENAI}`, 7);
      span.addEvent('lookup', mine);
    });
    const [span] = store.getRecent(1);
    expect(JSON.stringify(span)).not.toContain(OPENAI);
    expect(span!.attributes[`app.by_key.${REDACTED}`]).toBe(7);
    expect(span!.events[0]!.attributes).toEqual({ [REDACTED]: 'seen' });
    expect(mine).toEqual({ [OPENAI]: 'seen' }); // the caller's object is not changed
  });

  it('masks events by key and value without changing the caller’s objects', async () => {
    const store = freshStore();
    const mine = { password: 'hunter22', detail: `token ${JWT}` };
    await withSpan('login', async () => {
      currentSpan()!.addEvent('auth', mine);
      currentSpan()!.addEvent(`retry with ${OPENAI}`);
      currentSpan()!.addEvent('plain', { step: 1 });
    });
    const [span] = store.getRecent(1);
    expect(span!.events.map((e) => [e.name, e.attributes])).toEqual([
      ['auth', { password: REDACTED, detail: `token ${REDACTED}` }],
      [`retry with ${REDACTED}`, {}],
      ['plain', { step: 1 }],
    ]);
    expect(mine).toEqual({ password: 'hunter22', detail: `token ${JWT}` });
  });

  it('masks the span name and what an attributes hook returns', async () => {
    const store = freshStore();
    const call = traced(async () => 'ok', { name: `fetch ${OPENAI}`, attributes: () => ({ 'app.header': `Bearer ${JWT}`, secret: 'x' }) });
    await call();
    const [span] = store.getRecent(1);
    expect(span!.name).toBe(`fetch ${REDACTED}`);
    expect(span!.attributes['app.header']).toBe(`Bearer ${REDACTED}`);
    expect(span!.attributes.secret).toBe(REDACTED);
  });

  it('applies user patterns and the PII preset to attributes as well', async () => {
    const store = freshStore();
    configure({ redaction: { pii: true, patterns: [/\bEMP-\d{6}\b/g] } });
    await withSpan('x', { attributes: { 'app.user': 'ann@example.com', 'app.emp': 'EMP-123456' } }, () => undefined);
    expect(store.getRecent(1)[0]!.attributes).toMatchObject({ 'app.user': '[EMAIL]', 'app.emp': REDACTED });
  });

  it('leaves ordinary attributes exactly as they were', async () => {
    const store = freshStore();
    const attributes = {
      'app.model': 'gpt-4o-mini',
      'app.id': '3f2b8a4e-9c1d-4e5f-a6b7-c8d9e0f1a2b3',
      'app.sha': '9fceb02d0ae598e95dc970b74767f19372d61af8',
      'app.prose': 'The tokenizer counts 3 tokens; max_tokens: 1024.',
      'app.flags': [true, false] as never,
    };
    await withSpan('plain', { attributes }, () => undefined);
    expect(store.getRecent(1)[0]!.attributes).toMatchObject(attributes);
  });
});

describe('the final pass on arrays and object-valued attributes', () => {
  it('masks every element of an array attribute, whatever its first element', async () => {
    const store = freshStore();
    await withSpan('mixed', async (span) => {
      span.setAttribute('app.mixed', [1, OPENAI] as never);
      span.setAttribute('app.flags', [true, null, `Bearer ${JWT}`] as never);
      span.setAttribute('app.numbers', [1, 2, 3]);
    });
    expect(store.getRecent(1)[0]!.attributes).toMatchObject({
      'app.mixed': [1, REDACTED],
      'app.flags': [true, null, `Bearer ${REDACTED}`],
      'app.numbers': [1, 2, 3],
    });
  });

  it('masks secret keys and secrets in strings inside an object-valued attribute, without changing the caller’s object', async () => {
    const store = freshStore();
    const request = {
      headers: { authorization: 'opaque-credential-value', 'X-Api-Key': 'another-opaque-value', accept: 'application/json' },
      url: 'https://api.example.com/v1/search?api_key=abcdef123456&q=cats',
      attempts: [{ note: `retried with ${OPENAI}`, status: 401 }],
      retries: 2,
    };
    const copy = structuredClone(request);
    await withSpan('structured', { attributes: { 'app.request': request as never } }, (span) => {
      span.addEvent('sent', { 'app.body': { token: 'event-token-value', text: `key ${OPENAI}` } as never });
    });
    const [span] = store.getRecent(1);
    expect(span!.attributes['app.request']).toEqual({
      headers: { authorization: REDACTED, 'X-Api-Key': REDACTED, accept: 'application/json' },
      url: `https://api.example.com/v1/search?api_key=${REDACTED}&q=cats`,
      attempts: [{ note: `retried with ${REDACTED}`, status: 401 }],
      retries: 2,
    });
    expect(span!.events[0]!.attributes['app.body']).toEqual({ token: REDACTED, text: `key ${REDACTED}` });
    expect(request).toEqual(copy);
  });

  it('masks header tuples and objects inside an array attribute by their keys', async () => {
    const store = freshStore();
    const tuples = [['authorization', 'opaque-credential-value'], ['accept', 'text/plain']];
    await withSpan('tuples', { attributes: { 'app.headers': tuples as never, 'app.items': [1, { api_key: 'opaque-key-value' }] as never } }, () => undefined);
    expect(store.getRecent(1)[0]!.attributes).toMatchObject({
      'app.headers': [['authorization', REDACTED], ['accept', 'text/plain']],
      'app.items': [1, { api_key: REDACTED }],
    });
  });

  it('stores a cyclic object-valued attribute with the cycle cut instead of failing', async () => {
    const store = freshStore();
    const cyclic: Record<string, unknown> = { note: `uses ${OPENAI}` };
    cyclic.self = cyclic;
    await withSpan('cyclic', { attributes: { 'app.cyclic': cyclic as never } }, () => undefined);
    expect(store.getRecent(1)[0]!.attributes['app.cyclic']).toEqual({ note: `uses ${REDACTED}`, self: '[Circular]' });
  });

  it('leaves ordinary arrays and objects as they were', async () => {
    const store = freshStore();
    const attributes = {
      'app.reasons': ['stop', 'length'],
      'app.vector': [0.1, -0.2, 0.3],
      'app.mixed': [1, 'gpt-4o-mini', true],
      'app.config': { model: 'gpt-4o-mini', max_tokens: 1024, tags: ['task-force', 'desk-top'] },
    };
    await withSpan('plain', { attributes: attributes as never }, () => undefined);
    const kept = store.getRecent(1)[0]!.attributes;
    expect(kept).toEqual(expect.objectContaining(attributes));
    expect(kept['app.vector']).toBe(attributes['app.vector']);
  });
});

describe('the final pass on huge values', () => {
  it('cuts a string attribute past MAX_ATTRIBUTE_CHARS before redacting it, keeping no secret head', async () => {
    const store = freshStore();
    const huge = `${'word '.repeat(MAX_ATTRIBUTE_CHARS / 5 - 3)}x ${OPENAI}${' tail'.repeat(100_000)}`;
    await withSpan('big', { attributes: { 'app.blob': huge } }, () => undefined);
    const kept = store.getRecent(1)[0]!.attributes['app.blob'] as string;
    expect(kept.length).toBeLessThanOrEqual(MAX_ATTRIBUTE_CHARS + 1);
    expect(kept.endsWith('…')).toBe(true);
    expect(kept).not.toContain('sk-proj');
  });
});
