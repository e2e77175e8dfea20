/**
 * The trace-id index of a span or evaluation segment: the distinct trace ids of its records,
 * written by the segment writer as the document's `traceIds` key, just before `records`, so a
 * reader learns which traces a segment holds from the first bytes of the file without parsing its
 * records (what `llmtrace run-info <id>` and the dashboard's trace detail use to skip segments). It is part of the
 * segment document, written in the same atomic rewrite as the records, so it always agrees with
 * them; the ownership proof (the first keys) is unchanged. A segment without the key (written
 * before the index existed), or whose index does not fit in INDEX_HEAD_BYTES, has no index: readers
 * parse it in full.
 */
import type { StorageFileSystem } from './fs-facade.js';

/** Bytes read from the start of a span segment to find its index (1,000 distinct ids take about 35 KB). */
export const INDEX_HEAD_BYTES = 64 * 1024;

/** Bytes read first: enough for the index of about 200 traces, the common case (benchmarks/query-scan.ts). */
const FIRST_HEAD_BYTES = 8 * 1024;

/** What precedes the records in a segment document, written as `JSON.stringify` writes it. */
const RECORDS_KEY = ',"records":[';

/** The distinct trace ids of `records` (spans, or evaluations, which may have none), in order of first appearance. */
export function traceIdsOf(records: readonly { readonly traceId?: string }[]): string[] {
  const ids = new Set<string>();
  for (const record of records) if (record.traceId !== undefined) ids.add(record.traceId);
  return [...ids];
}

/**
 * The trace ids a segment's head lists, or undefined when the head holds no index (an older
 * segment, an index longer than the head, or not a segment at all). Never throws.
 * @param head the first bytes of the segment file (INDEX_HEAD_BYTES, or the whole file when shorter)
 */
export function parseTraceIndex(head: string): readonly string[] | undefined {
  const end = head.indexOf(RECORDS_KEY);
  if (end < 0) return undefined;
  let start: { traceIds?: unknown };
  try {
    start = JSON.parse(`${head.slice(0, end)}}`) as { traceIds?: unknown };
  } catch {
    return undefined;
  }
  const ids = start.traceIds;
  return Array.isArray(ids) && ids.every((id) => typeof id === 'string') ? (ids as string[]) : undefined;
}

/**
 * The trace-id index of the span segment at `path`, read from its first bytes (FIRST_HEAD_BYTES,
 * then INDEX_HEAD_BYTES when the index is longer); undefined when it has none or cannot be read
 * (a full read then decides and reports). Never rejects.
 */
export async function readTraceIndex(fs: StorageFileSystem, path: string): Promise<readonly string[] | undefined> {
  try {
    const head = await fs.readHead(path, FIRST_HEAD_BYTES);
    const index = parseTraceIndex(head);
    if (index || head.length < FIRST_HEAD_BYTES) return index;
    return parseTraceIndex(await fs.readHead(path, INDEX_HEAD_BYTES));
  } catch {
    return undefined;
  }
}

/** Whether an index lists a trace id starting with `prefix`. */
export function indexHasPrefix(index: readonly string[], prefix: string): boolean {
  return index.some((id) => id.startsWith(prefix));
}
