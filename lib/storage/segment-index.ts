/**
 * The trace-id index of a span or evaluation segment: the distinct trace ids of its records, so a
 * reader learns which traces a segment holds without parsing its records (what `llmtrace run-info
 * <id>` and the dashboard's trace detail use to skip segments; benchmarks/query-scan.ts).
 *
 * Where it is: in the sealed tail of a segment (segment-lines.ts), written once when the writer is
 * done with the segment, as `],"traceIds":[…],"indexBytes":N,"sealed":true,"complete":true}`, where
 * N is the UTF-8 length of `],"traceIds":[…]`, so a reader reads the last TAIL_PROBE_BYTES and, when
 * the index is longer, exactly as many bytes as it needs. Segments written before the line layout
 * carry it at their head instead (a `traceIds` key before `records`); they are still read that
 * way. A segment without an index (still open, or left open by a crash, or older than the index)
 * is parsed in full: the index only ever lets a reader skip work, never records.
 */
import type { StorageFileSystem } from './fs-facade.js';

/** Bytes read from the start of a segment written before the line layout to find its head index (1,000 distinct ids take about 35 KB). */
const INDEX_HEAD_BYTES = 64 * 1024;

/** Most bytes read from the end of a sealed segment for its index (1,000 distinct ids take about 35 KB). */
const INDEX_TAIL_BYTES = 256 * 1024;

/** Bytes read first, from the end and then from the head: the index of about 200 traces, the common case (benchmarks/query-scan.ts). */
const PROBE_BYTES = 8 * 1024;

/** What precedes the records in a segment document, written as `JSON.stringify` writes it. */
const RECORDS_KEY = ',"records":[';

/** The end of a sealed segment that carries an index; group 1 is N. */
const TRAILER_END = /,"indexBytes":(\d+),"sealed":true,"complete":true}\s*$/;

/** The end of a line-layout segment still open (or left open): it has no index. */
const OPEN_END = /\n\],"complete":true}\s*$/;

/** The index part of a sealed tail: `],"traceIds":[…],"indexBytes":N` (the seal follows it). */
export function indexTrailer(traceIds: Iterable<string>): string {
  const list = `],"traceIds":${JSON.stringify([...traceIds])}`;
  return `${list},"indexBytes":${Buffer.byteLength(list, 'utf8')}`;
}

/**
 * The trace ids of a segment's sealed tail, or undefined when `tail` (the last bytes of the file)
 * does not end with a whole index. Never throws.
 */
export function parseIndexTrailer(tail: string): readonly string[] | undefined {
  const line = tail.slice(tail.lastIndexOf('\n') + 1);
  if (!line.startsWith('],"traceIds":') || !TRAILER_END.test(line)) return undefined;
  try {
    return traceIdList((JSON.parse(`{${line.slice(2)}`) as { traceIds?: unknown }).traceIds);
  } catch {
    return undefined;
  }
}

/**
 * The trace ids a segment's head lists (segments written before the line layout), or undefined
 * when the head holds no index (an older segment, an index longer than the head, a line-layout
 * segment, or not a segment at all). Never throws.
 * @param head the first bytes of the segment file (INDEX_HEAD_BYTES, or the whole file when shorter)
 */
export function parseTraceIndex(head: string): readonly string[] | undefined {
  const end = head.indexOf(RECORDS_KEY);
  if (end < 0) return undefined;
  try {
    return traceIdList((JSON.parse(`${head.slice(0, end)}}`) as { traceIds?: unknown }).traceIds);
  } catch {
    return undefined;
  }
}

function traceIdList(ids: unknown): readonly string[] | undefined {
  return Array.isArray(ids) && ids.every((id) => typeof id === 'string') ? (ids as string[]) : undefined;
}

/**
 * The trace-id index of the segment at `path`: from its sealed tail (PROBE_BYTES, then as many as
 * the index needs), else, for a segment written before the line layout, from its head. Undefined
 * when it has none or cannot be read (a full read then decides and reports). Never rejects.
 */
export async function readTraceIndex(fs: StorageFileSystem, path: string): Promise<readonly string[] | undefined> {
  try {
    const tail = await fs.readTail(path, PROBE_BYTES);
    const m = TRAILER_END.exec(tail);
    if (m) {
      const need = Number(m[1]) + m[0].length + 1;
      if (need <= tail.length) return parseIndexTrailer(tail);
      return need <= INDEX_TAIL_BYTES ? parseIndexTrailer(await fs.readTail(path, need)) : undefined;
    }
    if (OPEN_END.test(tail)) return undefined;
    const head = await fs.readHead(path, PROBE_BYTES);
    const index = parseTraceIndex(head);
    if (index || head.length < PROBE_BYTES) return index;
    return parseTraceIndex(await fs.readHead(path, INDEX_HEAD_BYTES));
  } catch {
    return undefined;
  }
}

/** Whether an index lists a trace id starting with `prefix`. */
export function indexHasPrefix(index: readonly string[], prefix: string): boolean {
  return index.some((id) => id.startsWith(prefix));
}
