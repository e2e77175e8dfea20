/**
 * The slot through which an external tracer (OpenTelemetry, installed by `llmtrace/otel`'s
 * `bridgeOpenTelemetry()`) takes part in recording, without the core loading it. Empty by default:
 * the recorder then pays one undefined check per call (see benchmarks/context-bridge.ts).
 */
import type { ParentRef, Span } from '../span.js';

/** What an external tracer contributes to each traced call. */
export interface ContextBridge {
  /** The external tracer's active span as a parent, consulted when no llmtrace span is current. */
  externalParent(): ParentRef | undefined;
  /** Runs `fn` with `span` made current in the external tracer's context, returning what `fn` returns. */
  runInSpan<T>(span: Span, fn: () => T): T;
}

/** @internal The installed bridge, read by the recorder on every call (an ESM live binding). */
export let contextBridge: ContextBridge | undefined;

/**
 * @internal Installs `bridge` (replacing any other) and returns the function that removes it
 * again (only if it is still the installed one).
 */
export function setContextBridge(bridge: ContextBridge): () => void {
  contextBridge = bridge;
  return () => {
    if (contextBridge === bridge) contextBridge = undefined;
  };
}
