/**
 * The active-span context. llmtrace owns one private `AsyncLocalStorage`; it never touches a user's
 * own storage or any global context manager. The stored value is the current span, `undefined`
 * outside any span, or `null` while tracing is suppressed (inside exporters and sinks, so the tracer
 * never traces itself).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Attributes, Span } from './span.js';

const storage = new AsyncLocalStorage<Span | null>();

/** The span the calling code runs in, or `undefined` outside any span (or while tracing is suppressed). */
export function currentSpan(): Span | undefined {
  return storage.getStore() ?? undefined;
}

/** The current trace id, or `undefined` outside any span. */
export function currentTraceId(): string | undefined {
  return storage.getStore()?.traceId;
}

/**
 * Adds a custom event to the current span (for example `addEvent('cache_lookup', { hit: false })`).
 * Returns false when there is no current span.
 */
export function addEvent(name: string, attributes?: Attributes): boolean {
  const span = storage.getStore();
  if (!span) return false;
  span.addEvent(name, attributes);
  return true;
}

/** Sets attributes on the current span. Returns false when there is no current span. */
export function setAttributes(attributes: Attributes): boolean {
  const span = storage.getStore();
  if (!span) return false;
  span.setAttributes(attributes);
  return true;
}

/**
 * Runs `fn` with tracing suppressed: no span is recorded inside it. Exporters and sinks run their
 * I/O this way; users can wrap health checks or warm-up calls the same way.
 */
export function suppressTracing<T>(fn: () => T): T {
  return storage.run(null, fn);
}

/** @internal The raw stored value: a span, `undefined`, or `null` when suppressed. */
export function activeValue(): Span | null | undefined {
  return storage.getStore();
}

/** @internal Runs `fn` with `span` as the current span. */
export function runWithSpan<T>(span: Span, fn: () => T): T {
  return storage.run(span, fn);
}

/**
 * @internal Calls `fn` with `thisArg` and `args` inside `span`'s context: `runWithSpan` without a
 * closure per call (AsyncLocalStorage.run passes the arguments through).
 */
export function applyInSpan(span: Span, fn: Function, thisArg: unknown, args: readonly unknown[]): unknown {
  return storage.run(span, Reflect.apply, fn, thisArg, args);
}
