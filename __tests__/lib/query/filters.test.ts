import { parseDuration, parseTimeBound, spanMatcher, filtersBeyondTime } from '../../../lib/query/index.js';
import { seededSpans, T0 } from '../../helpers/query-store.js';

const spans = seededSpans(11, 50);
const ids = (list: { id: string }[]) => list.map((s) => s.id).sort();

describe('time bounds', () => {
  test('durations count back from now, ISO dates are absolute', () => {
    const now = Date.UTC(2026, 10, 25, 9, 0, 0);
    expect(parseTimeBound('12h', now)).toBe(now - 12 * 3_600_000);
    expect(parseTimeBound('30m', now)).toBe(now - 30 * 60_000);
    expect(parseTimeBound('7d', now)).toBe(now - 7 * 86_400_000);
    expect(parseTimeBound('2026-11-24', now)).toBe(Date.UTC(2026, 10, 24));
    expect(parseTimeBound('2026-11-24T21:30:00Z', now)).toBe(Date.UTC(2026, 10, 24, 21, 30));
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('12 hours')).toBeUndefined();
  });

  test('anything else is refused naming the option, the value and the accepted forms', () => {
    expect(() => parseTimeBound('yesterday', 0, '--since')).toThrow(
      'llmtrace: --since must be a duration like 30m, 12h, 7d or an ISO date like 2026-11-24T21:00Z, got "yesterday"',
    );
    expect(() => parseTimeBound('12x', 0, '--until')).toThrow(/--until must be a duration/);
    expect(() => parseTimeBound('2026-13-45', 0)).toThrow(RangeError);
  });
});

describe('span filters', () => {
  test('each field keeps exactly the spans it names', () => {
    const from = T0 + 10 * 60_000;
    const to = T0 + 20 * 60_000;
    expect(ids(spans.filter(spanMatcher({ from, to })))).toEqual(ids(spans.filter((s) => s.endTime >= from && s.endTime < to)));
    expect(ids(spans.filter(spanMatcher({ model: 'gpt-4o-mini' })))).toEqual(
      ids(spans.filter((s) => s.attributes['gen_ai.request.model'] === 'gpt-4o-mini')),
    );
    expect(ids(spans.filter(spanMatcher({ function: ['summarise', 'lookup'] })))).toEqual(
      ids(spans.filter((s) => ['summarise', 'lookup'].includes(s.attributes['llmtrace.function'] as string))),
    );
    expect(ids(spans.filter(spanMatcher({ provider: 'anthropic' })))).toEqual(
      ids(spans.filter((s) => s.attributes['gen_ai.provider.name'] === 'anthropic')),
    );
    expect(ids(spans.filter(spanMatcher({ status: 'error' })))).toEqual(ids(spans.filter((s) => s.status === 'error')));
    expect(ids(spans.filter(spanMatcher({ minDurationMs: 800 })))).toEqual(ids(spans.filter((s) => s.duration >= 800)));
    expect(ids(spans.filter(spanMatcher({ kind: 'tool' })))).toEqual(ids(spans.filter((s) => s.kind === 'tool')));
    const prefix = spans[7]!.traceId.slice(0, 6).toUpperCase();
    expect(ids(spans.filter(spanMatcher({ traceId: prefix })))).toEqual(ids(spans.filter((s) => s.traceId.startsWith(prefix.toLowerCase()))));
    expect(ids(spans.filter(spanMatcher({ attributes: { 'llmtrace.context': 'first' } })))).toEqual(
      ids(spans.filter((s) => s.attributes['llmtrace.context'] === 'first')),
    );
  });

  test('fields combine with AND, and an empty filter keeps everything', () => {
    const both = spans.filter(spanMatcher({ model: 'claude-haiku-4-5', status: 'error' }));
    expect(ids(both)).toEqual(ids(spans.filter((s) => s.attributes['gen_ai.request.model'] === 'claude-haiku-4-5' && s.status === 'error')));
    expect(both.length).toBeGreaterThan(0);
    expect(spans.filter(spanMatcher({})).length).toBe(spans.length);
  });

  test('attribute values compare by their text, so CLI strings match numbers and booleans', () => {
    const span = { ...spans[0]!, attributes: { n: 3, flag: true, tags: ['a', 'b'] } };
    expect(spanMatcher({ attributes: { n: '3', flag: 'true', tags: 'a,b' } })(span)).toBe(true);
    expect(spanMatcher({ attributes: { n: '4' } })(span)).toBe(false);
    expect(spanMatcher({ attributes: { missing: 'x' } })(span)).toBe(false);
  });

  test('filtersBeyondTime tells whether stored summaries can answer a filter', () => {
    expect(filtersBeyondTime({ from: 1, to: 2 })).toBe(false);
    expect(filtersBeyondTime({ from: 1, model: 'x' })).toBe(true);
  });
});
