/**
 * Which span kinds count as calls: what the aggregator summarises and what the query layer's
 * statistics count. Its own module so readers (the command, the dashboard) get it without loading
 * the aggregator and the configuration behind it.
 */
import type { SpanKind } from '../span.js';

/** Span kinds aggregated by default: every kind but the scopes (session, run, iteration, request). */
export const DEFAULT_AGGREGATED_KINDS: readonly SpanKind[] = Object.freeze([
  'llm', 'embedding', 'chain', 'tool', 'agent', 'retrieval', 'custom',
] as SpanKind[]);
