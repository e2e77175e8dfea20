/**
 * The line layout of a segment file, which lets a writer append to it. A segment is still one JSON
 * document with the keys it always had (so `JSON.parse` of a whole file reads it, as llmtrace 0.x
 * and tools like `jq` do, and the ownership proof at its head is unchanged), laid out one record a
 * line:
 *
 * ```
 * {"format":"llmtrace.segment","schemaVersion":1,"kind":"spans","instance":"…","windowStart":…,"records":[
 * {first record}
 * ,{second record}
 * ],"complete":true}
 * ```
 *
 * The last line is the open tail while the writer may still add records. An append writes its
 * records' lines and the open tail again at the byte offset where the tail began (write-at.ts), so
 * it costs the bytes of its batch plus OPEN_TAIL, whatever the segment holds (benchmarks/store-flush.ts).
 * When the writer is done with a segment (full, pushed out by a newer window, or at shutdown) it
 * seals it: the last line becomes the sealed tail, which carries the trace-id index of spans and
 * evaluations (segment-index.ts) and `"sealed":true`, so readers and retention know it never
 * changes again.
 *
 * A record never holds a newline (JSON.stringify escapes them), so a write cut short by a crash
 * can only damage the last line: `parseSegmentText` then reads every whole line and skips the rest,
 * and says so (`intact: false`). A segment written before this layout (one line) parses whole or
 * not at all.
 */
import { isSegmentDoc, SEGMENT_FORMAT, STORE_SCHEMA_VERSION, type SegmentDoc, type SegmentKind, type SegmentRecords } from './layout.js';
import { indexTrailer } from './segment-index.js';

/** What ends the first line of a segment in the line layout. */
export const RECORDS_OPEN = ',"records":[';

/** The last line of a segment its writer may still append to. */
export const OPEN_TAIL = '],"complete":true}';

/** UTF-8 bytes of OPEN_TAIL. */
export const OPEN_TAIL_BYTES = OPEN_TAIL.length;

/** What every sealed segment ends with (the open tail never does). */
export const SEALED_SUFFIX = ',"sealed":true,"complete":true}';

/** The first line of a new segment (with its newline). */
export function segmentHead(kind: SegmentKind, instance: string, windowStart: number): string {
  const head = JSON.stringify({ format: SEGMENT_FORMAT, schemaVersion: STORE_SCHEMA_VERSION, kind, instance, windowStart });
  return `${head.slice(0, -1)}${RECORDS_OPEN}\n`;
}

/**
 * The last line of a sealed segment: spans and evaluations carry `traceIds` (the distinct trace ids
 * of the records, in order of first appearance); summaries only the seal.
 */
export function sealedTail(kind: SegmentKind, traceIds: Iterable<string>): string {
  return kind === 'summaries' ? `]${SEALED_SUFFIX}` : `${indexTrailer(traceIds)}${SEALED_SUFFIX}`;
}

/** A segment as read, and whether every line of it was whole. */
export interface ParsedSegment<K extends SegmentKind> {
  doc: SegmentDoc<K>;
  /**
   * False when the file is not one whole JSON document but its first line is a segment head: a
   * write was cut short (a crash mid-append) or a line is damaged. The whole record lines were
   * read; the others skipped.
   */
  intact: boolean;
  /** Lines that were not whole records (skipped): 0 when `intact`. */
  skippedLines: number;
}

/**
 * Parses a segment file's text: as one document when it is one (any layout, any age), else line by
 * line when it has the line layout. Undefined when it is neither (corrupt, foreign, empty). Never throws.
 */
export function parseSegmentText<K extends SegmentKind>(text: string, kind: K): ParsedSegment<K> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return parseLines(text, kind);
  }
  return isSegmentDoc(kind)(value) ? { doc: value, intact: true, skippedLines: 0 } : undefined;
}

/** The whole record lines of a line-layout segment whose text is not one JSON document. */
function parseLines<K extends SegmentKind>(text: string, kind: K): ParsedSegment<K> | undefined {
  const firstEnd = text.indexOf('\n');
  if (firstEnd < 0 || !text.slice(0, firstEnd).endsWith(RECORDS_OPEN)) return undefined;
  let head: unknown;
  try {
    head = JSON.parse(`${text.slice(0, firstEnd - RECORDS_OPEN.length)}}`);
  } catch {
    return undefined;
  }
  const records: SegmentRecords[K][] = [];
  let skippedLines = 0;
  const doc = { ...(head as object), records, complete: true } as SegmentDoc<K>;
  if (!isSegmentDoc(kind)(doc)) return undefined;
  for (let at = firstEnd + 1; at < text.length; ) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const line = text.slice(at, end);
    at = end + 1;
    if (line.length === 0 || line.startsWith(']')) continue; // a tail, whole or not: no record in it
    const record = parseRecordLine(line);
    if (record !== undefined) records.push(record as SegmentRecords[K]);
    else skippedLines++;
  }
  return { doc, intact: false, skippedLines };
}

/** The record on one line (`{…}` or `,{…}`), or undefined when the line is not a whole record. */
function parseRecordLine(line: string): object | undefined {
  try {
    const value: unknown = JSON.parse(line.startsWith(',') ? line.slice(1) : line);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
