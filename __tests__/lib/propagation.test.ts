/** W3C trace context: formatting, parsing, injecting and continuing `traceparent`. */
import { continueTrace, currentSpan, formatTraceparent, injectTraceContext, parseTraceparent, traced, withSpan } from '../../index.js';
import { MAX_TRACESTATE_MEMBERS, parseTracestate } from '../../lib/extend/index.js';
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
    expect(parseTraceparent(VALID)).toEqual({ traceId: TRACE, id: PARENT, sampled: true, scopes: {}, remote: true });
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

describe('parseTracestate', () => {
  it('keeps a valid list in order, without optional whitespace or empty members', () => {
    expect(parseTracestate('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE')).toBe('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
    expect(parseTracestate(' rojo=1 ,\tcongo=2 , ,')).toBe('rojo=1,congo=2');
    expect(parseTracestate(['rojo=1', 'congo=2'])).toBe('rojo=1,congo=2'); // several header lines are one list
    expect(parseTracestate('fw529a3039@dt=ab,a1-b_c*d/e=x y')).toBe('fw529a3039@dt=ab,a1-b_c*d/e=x y');
  });

  it(`accepts ${MAX_TRACESTATE_MEMBERS} members and drops a header with one more`, () => {
    const members = Array.from({ length: MAX_TRACESTATE_MEMBERS + 1 }, (_, i) => `k${i}=v${i}`);
    expect(parseTracestate(members.slice(0, MAX_TRACESTATE_MEMBERS).join(','))).toBe(members.slice(0, 32).join(','));
    expect(parseTracestate(members.join(','))).toBeUndefined();
  });

  it('accepts the longest keys and values the grammar allows', () => {
    const key = `a${'b'.repeat(255)}`;
    const value = 'v'.repeat(256);
    expect(parseTracestate(`${key}=${value}`)).toBe(`${key}=${value}`);
    expect(parseTracestate(`${key}b=1`)).toBeUndefined();
    expect(parseTracestate(`k=${value}v`)).toBeUndefined();
    expect(parseTracestate(`${'t'.repeat(241)}@${'s'.repeat(14)}=1`)).toBeDefined();
    expect(parseTracestate(`t@${'s'.repeat(15)}=1`)).toBeUndefined();
  });

  it.each([
    ['an uppercase key', 'Rojo=1'],
    ['a key starting with a digit', '1abc=1'],
    ['a missing value', 'rojo='],
    ['a missing =', 'rojo'],
    ['a missing key', '=1'],
    ['a value with =', 'rojo=a=b'],
    ['a control character in the value', 'rojo=a\u0001b'],
    ['a non-ASCII value', 'rojo=caf\u00e9'],
    ['a duplicate key', 'rojo=1,congo=2,rojo=3'],
    ['an empty header', ''],
    ['only separators', ' , ,'],
    ['no header', undefined],
  ])('drops a header with %s', (_label, header) => {
    expect(parseTracestate(header)).toBeUndefined();
  });
});

describe('tracestate propagation', () => {
  const STATE = 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE';

  it('continueTrace keeps a valid tracestate on the request span and its descendants, and injects it unchanged', async () => {
    const store = freshStore();
    const outgoing: Record<string, string> = {};
    const call = traced(async () => injectTraceContext(outgoing), { name: 'model_call' });
    await continueTrace({ traceparent: VALID, tracestate: STATE }, async (span) => {
      expect(span.traceState).toBe(STATE);
      await withSpan('step', () => call());
    });
    const [child, step, request] = store.getTrace(TRACE);
    expect([child!.name, step!.name, request!.name]).toEqual(['model_call', 'step', 'request']);
    for (const span of [child, step, request]) expect(span!.traceState).toBe(STATE);
    expect(outgoing).toEqual({ traceparent: `00-${TRACE}-${child!.id}-01`, tracestate: STATE });
  });

  it('reads tracestate from a Headers object (several lines joined) and from a record holding an array', () => {
    const store = freshStore();
    const headers = new Headers({ traceparent: VALID });
    headers.append('tracestate', 'rojo=1');
    headers.append('tracestate', 'congo=2');
    continueTrace(headers, () => undefined);
    continueTrace({ traceparent: VALID, TraceState: ['rojo=1', 'congo=2'] }, () => undefined);
    const [second, first] = store.getRecent(2);
    expect(first!.traceState).toBe('rojo=1,congo=2');
    expect(second!.traceState).toBe('rojo=1,congo=2');
  });

  it('drops an invalid tracestate, and any tracestate next to an invalid traceparent, without throwing', () => {
    const store = freshStore();
    const headers = new Headers();
    expect(() => continueTrace({ traceparent: VALID, tracestate: 'Bad Key=1' }, () => injectTraceContext(headers))).not.toThrow();
    expect(store.getRecent(1)[0]!.traceState).toBeUndefined();
    expect(headers.has('tracestate')).toBe(false);
    continueTrace({ traceparent: `ff-${TRACE}-${PARENT}-01`, tracestate: STATE }, () => undefined);
    expect(store.getRecent(1)[0]!.traceState).toBeUndefined();
  });

  it('a trace started here carries no tracestate and leaves a caller-set tracestate header alone', async () => {
    freshStore();
    const headers = new Headers({ tracestate: 'mine=1' });
    await traced(async () => injectTraceContext(headers), { name: 'root' })();
    expect(headers.get('traceparent')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(headers.get('tracestate')).toBe('mine=1');
  });
});
