/** `retry-after` in every form servers and SDKs send: ms, delay-seconds, HTTP-date. */
import { describe, expect, it } from '@jest/globals';
import { retryAfterSeconds } from '../../lib/retry-after.js';
import { describeError } from '../../lib/record/error-info.js';
import { createRedactor } from '../../lib/extend/index.js';

const headers = (h: Record<string, string>) => (name: string) => h[name];
const NOW = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');

describe('retryAfterSeconds', () => {
  it('reads delay-seconds, fractional ones included', () => {
    expect(retryAfterSeconds(headers({ 'retry-after': '120' }))).toBe(120);
    expect(retryAfterSeconds(headers({ 'retry-after': '1.5' }))).toBe(1.5);
  });

  it('prefers retry-after-ms, as the OpenAI and Anthropic SDKs do', () => {
    expect(retryAfterSeconds(headers({ 'retry-after-ms': '250', 'retry-after': '1' }))).toBe(0.25);
    expect(retryAfterSeconds(headers({ 'retry-after-ms': 'soon', 'retry-after': '3' }))).toBe(3);
  });

  it('reads an HTTP-date, measured from the answer\'s date header, else from now', () => {
    const at = 'Wed, 21 Oct 2015 07:28:30 GMT';
    expect(retryAfterSeconds(headers({ 'retry-after': at }), NOW)).toBe(30);
    expect(retryAfterSeconds(headers({ 'retry-after': at, date: 'Wed, 21 Oct 2015 07:28:20 GMT' }), 0)).toBe(10);
    expect(retryAfterSeconds(headers({ 'retry-after': 'Wed, 21 Oct 2015 07:27:00 GMT' }), NOW)).toBe(0);
  });

  it('gives undefined for absent or malformed values', () => {
    expect(retryAfterSeconds(headers({}))).toBeUndefined();
    expect(retryAfterSeconds(headers({ 'retry-after': 'later' }))).toBeUndefined();
    expect(retryAfterSeconds(headers({ 'retry-after': '-5' }))).toBeUndefined();
  });
});

describe('describeError records every retry-after form', () => {
  const redactor = createRedactor();
  it('from a Headers object (fetch, SDK errors) and from a plain header record', () => {
    const h = new Headers({ date: 'Wed, 21 Oct 2015 07:28:00 GMT', 'retry-after': 'Wed, 21 Oct 2015 07:29:00 GMT' });
    const fromHeaders = describeError(Object.assign(new Error('429'), { status: 429, headers: h }), redactor);
    expect(fromHeaders.attributes['llmtrace.error.retry_after_s']).toBe(60);
    const fromRecord = describeError(Object.assign(new Error('429'), { status: 429, headers: { 'retry-after-ms': '1500' } }), redactor);
    expect(fromRecord.attributes['llmtrace.error.retry_after_s']).toBe(1.5);
  });
});
