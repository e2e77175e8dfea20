/** W3C trace context: formatting, parsing, injecting and continuing `traceparent`. */
import {
  continueTrace,
  currentSpan,
  formatTraceparent,
  injectTraceContext,
  parseTraceparent,
  traced,
  withSpan,
} from '../../index.js';
import { freshStore } from '../helpers/fresh-store.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';
const VALID = `00-${TRACE}-${PARENT}-01`;

describe('formatTraceparent / parseTraceparent', () => {
  it('formats version 00 with the sampled flag', () => {
    expect(formatTraceparent({ traceId: TRACE, id: PARENT, sampled: true })).toBe(VALID);
    expect(formatTraceparent({ traceId: TRACE, id: PARENT, sampled: false })).toBe(`00-${TRACE}-${PARENT}-00`);
  });

  it('parses a valid header, sampled or not, and round-trips', () => {
    expect(parseTraceparent(VALID)).toEqual({ traceId: TRACE, id: PARENT, sampled: true, scopes: {} });
    expect(parseTraceparent(`00-${TRACE}-${PARENT}-00`)?.sampled).toBe(false);
    expect(parseTraceparent(` ${VALID} `)?.traceId).toBe(TRACE);
    const parsed = parseTraceparent(VALID)!;
    expect(formatTraceparent(parsed)).toBe(VALID);
  });

  it('accepts a future version with extra fields', () => {
    expect(parseTraceparent(`01-${TRACE}-${PARENT}-01-extra`)?.id).toBe(PARENT);
  });

  it.each([
    ['version ff', `ff-${TRACE}-${PARENT}-01`],
    ['all-zero trace id', `00-${'0'.repeat(32)}-${PARENT}-01`],
    ['all-zero parent id', `00-${TRACE}-${'0'.repeat(16)}-01`],
    ['short trace id', `00-${TRACE.slice(1)}-${PARENT}-01`],
    ['long parent id', `00-${TRACE}-${PARENT}0-01`],
    ['uppercase hex', `00-${TRACE.toUpperCase()}-${PARENT}-01`],
    ['version 00 with extra fields', `${VALID}-extra`],
    ['non-hex', `00-${TRACE.replace('a', 'g')}-${PARENT}-01`],
    ['empty', ''],
    ['missing', undefined],
  ])('rejects %s', (_label, header) => {
    expect(parseTraceparent(header)).toBeUndefined();
  });
});

describe('injectTraceContext', () => {
  it('sets traceparent for the current span on a Headers object and on a plain object', async () => {
    freshStore();
    await traced(async () => {
      const span = currentSpan()!;
      const headers = new Headers({ accept: 'application/json' });
      expect(injectTraceContext(headers)).toBe(headers);
      expect(headers.get('traceparent')).toBe(`00-${span.traceId}-${span.id}-01`);
      const plain: Record<string, string> = { accept: 'application/json' };
      injectTraceContext(plain);
      expect(plain.traceparent).toBe(`00-${span.traceId}-${span.id}-01`);
      expect(plain.accept).toBe('application/json');
    }, { name: 'outgoing' })();
  });

  it('does nothing outside a span', () => {
    const plain: Record<string, string> = {};
    injectTraceContext(plain);
    expect(plain).toEqual({});
  });
});

describe('continueTrace', () => {
  it("continues the caller's trace id as a request span, and children join it", async () => {
    const store = freshStore();
    const call = traced(async () => 'ok', { name: 'model_call' });
    const result = await continueTrace({ traceparent: VALID }, async (span) => {
      expect(span.traceId).toBe(TRACE);
      expect(span.parentId).toBe(PARENT);
      return call();
    });
    expect(result).toBe('ok');
    const spans = store.getTrace(TRACE);
    expect(spans.map((s) => s.name)).toEqual(['model_call', 'request']);
    const [child, request] = spans;
    expect(request!.kind).toBe('request');
    expect(request!.parentId).toBe(PARENT);
    expect(child!.parentId).toBe(request!.id);
    expect(child!.scopes.request).toBe(request!.id);
  });

  it('reads the header from a Headers object and case-insensitively from a record, and takes a name', () => {
    const store = freshStore();
    continueTrace(new Headers({ traceparent: VALID }), () => undefined, { name: 'POST /chat' });
    continueTrace({ TraceParent: [VALID] }, () => undefined);
    const [second, first] = store.getRecent(2);
    expect(first!.name).toBe('POST /chat');
    expect(first!.traceId).toBe(TRACE);
    expect(second!.traceId).toBe(TRACE);
  });

  it('starts a new trace when the header is missing or invalid, even inside another span', async () => {
    const store = freshStore();
    continueTrace({ traceparent: `ff-${TRACE}-${PARENT}-01` }, () => undefined);
    const span = store.getRecent(1)[0]!;
    expect(span.traceId).not.toBe(TRACE);
    expect(span.parentId).toBeUndefined();
    await withSpan('outer', async () => {
      continueTrace({}, () => undefined);
    });
    const [outer, inner] = store.getRecent(2);
    expect(inner!.parentId).toBe(outer!.id);
  });
});
