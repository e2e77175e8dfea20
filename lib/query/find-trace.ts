/**
 * Finding one trace by an id prefix (what `llmtrace run-info 4bf92f35` does): asks each source for
 * the spans whose trace id starts with the prefix (a store reads only the segments whose trace-id
 * index can hold them), and refuses an ambiguous prefix by listing the matches instead of guessing.
 */
import type { SpanData } from '../span.js';
import { QueryError } from './query-error.js';
import type { QuerySource } from './source.js';
import { assembleTrace, type TraceTree } from './traces.js';

const HEX = /^[0-9a-f]+$/;

/** Most matching trace ids an ambiguity error lists. */
export const MAX_LISTED_MATCHES = 10;

/**
 * The spans of the one trace whose id starts with `prefix`, as a tree.
 * @throws QueryError `EBADINPUT` (not hex), `ENOTFOUND` (no trace), `EAMBIGUOUS` (several; lists them).
 * @example
 * const tree = await findTrace([await openSource('.llmtrace')], '4bf92f35');
 */
export async function findTrace(sources: readonly QuerySource[], prefix: string): Promise<TraceTree> {
  const wanted = prefix.toLowerCase();
  if (!HEX.test(wanted)) {
    throw new QueryError('EBADINPUT', `llmtrace: trace id prefix must be hex digits, got ${JSON.stringify(prefix)}: copy it from \`llmtrace runs\``);
  }
  const byTrace = new Map<string, SpanData[]>();
  for (const source of sources) {
    for await (const span of source.traceSpans(wanted)) {
      const list = byTrace.get(span.traceId);
      if (list) list.push(span);
      else byTrace.set(span.traceId, [span]);
    }
  }
  if (byTrace.size === 0) {
    throw new QueryError('ENOTFOUND', `llmtrace: no trace id starts with ${prefix}: list them with \`llmtrace runs\``);
  }
  if (byTrace.size > 1) {
    const ids = [...byTrace.keys()].sort();
    const listed = ids.slice(0, MAX_LISTED_MATCHES).join(', ');
    const more = ids.length > MAX_LISTED_MATCHES ? ` and ${ids.length - MAX_LISTED_MATCHES} more` : '';
    throw new QueryError('EAMBIGUOUS', `llmtrace: trace id prefix ${prefix} matches ${ids.length} traces (${listed}${more}): give more digits`);
  }
  return assembleTrace([...byTrace.values()][0]!);
}
