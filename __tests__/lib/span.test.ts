/** Span times: `endTime` is derived from `startTime + duration`, and still reads and assigns as a number field. */
import { Span } from '../../index.js';
import { newSpanId, newTraceId } from '../../lib/ids.js';

const newSpan = (): Span => new Span('call', 'llm', undefined, {}, newTraceId(), newSpanId(), true);

describe('Span.endTime', () => {
  it('is 0 while running and startTime + duration once finished, in the span and in its JSON', async () => {
    const span = newSpan();
    expect(span.endTime).toBe(0);
    expect(span.toJSON().endTime).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 5));
    span.finish();
    expect(span.duration).toBeGreaterThan(0);
    expect(span.endTime).toBe(span.startTime + span.duration);
    expect(span.endTime).toBeGreaterThan(span.startTime);
    expect(JSON.parse(JSON.stringify(span)).endTime).toBe(span.endTime);
  });

  it('takes an assigned end time exactly (direct and through Object.assign), with the duration to match', () => {
    const span = newSpan();
    span.finish();
    const end = span.startTime + 1234.5678;
    span.endTime = end;
    expect(span.endTime).toBe(end);
    expect(span.duration).toBe(end - span.startTime);
    expect(span.duration).toBeCloseTo(1234.5678, 3);
    Object.assign(span, { endTime: end + 10 });
    expect(span.endTime).toBe(end + 10);
  });

  it('takes an end time assigned to a running span', () => {
    const span = newSpan();
    const end = span.startTime + 20;
    span.endTime = end;
    expect(span.endTime).toBe(end);
    expect(span.status).toBe('running');
  });

  it('follows an assigned duration', () => {
    const span = newSpan();
    span.finish();
    span.duration = 250;
    expect(span.endTime).toBe(span.startTime + 250);
  });
});
