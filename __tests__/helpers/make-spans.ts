/** Test helper: finished spans built directly (no recorder), for exporter tests. */
import { randomBytes } from 'node:crypto';
import { Span, type Attributes, type ParentRef, type SpanKind } from '../../index.js';

/** Options of `makeSpan`. */
export interface MakeSpanOptions {
  name?: string;
  kind?: SpanKind;
  attributes?: Attributes;
  parent?: ParentRef;
  sampled?: boolean;
  error?: { type: string; message: string };
}

/** One ended span. */
export function makeSpan(options: MakeSpanOptions = {}): Span {
  const span = new Span(
    options.name ?? 'call',
    options.kind ?? 'llm',
    options.parent,
    { 'llmtrace.function': options.name ?? 'call', ...options.attributes },
    options.parent?.traceId ?? randomBytes(16).toString('hex'),
    randomBytes(8).toString('hex'),
    options.sampled ?? true,
  );
  span.finish(options.error);
  return span;
}

/** `n` ended llm spans named `call-<i>`. */
export function makeSpans(n: number, options: MakeSpanOptions = {}): Span[] {
  return Array.from({ length: n }, (_, i) => makeSpan({ name: `call-${i}`, ...options }));
}
