/**
 * Proving a file is llmtrace's before touching it. The store deletes or renames a file only when
 * its NAME has the shape llmtrace gives it AND its CONTENT starts the way llmtrace writes it (every
 * document starts with a `"format":"llmtrace.…"` key, a segment also with its schema version, kind
 * and instance, in that order: `JSON.stringify` keeps key order). Anything else found in the store
 * directory is left byte for byte and reported (`storage.foreign-file`). A segment of a newer
 * schema version is recognised as llmtrace's but never deleted or moved: a newer llmtrace owns it.
 */
import { basename } from 'node:path';
import { warnOnce } from '../internal/diagnostics.js';
import { errorCode, type StorageFileSystem } from './fs-facade.js';
import { parseSegmentFileName, SEGMENT_FORMAT, STORE_SCHEMA_VERSION, type SegmentKind } from './layout.js';

/** Bytes read from the start of a file to tell whether llmtrace wrote it. */
export const HEAD_BYTES = 256;

/** The text every llmtrace JSON document starts with. */
export const DOCUMENT_PREFIX = '{"format":"llmtrace.';

/** Marker in the name of llmtrace's temp files: `.<target>.llmtrace-<pid>-<8 hex>.tmp`. */
export const TEMP_MARKER = '.llmtrace-';

const TEMP_NAME = /^\..+\.llmtrace-\d+-[0-9a-f]{8}\.tmp$/;

const SEGMENT_HEAD = /^\{"format":"llmtrace\.segment","schemaVersion":(\d+),"kind":"(spans|summaries|evaluations)","instance":"([^"]+)"/;

/** What a look at a segment-named file found. */
export type SegmentVerdict =
  /** llmtrace wrote it, in this schema version or an older one: retention and the start check may act on it. */
  | 'ours'
  /** llmtrace wrote it in a newer schema version: never deleted or moved. */
  | 'newer'
  /** Its content does not prove llmtrace wrote it: never touched. */
  | 'foreign'
  /** It went away meanwhile (another process's retention). */
  | 'gone';

/** Whether a file name is one of llmtrace's temp files. */
export function isTempName(name: string): boolean {
  return TEMP_NAME.test(name);
}

/**
 * Reads the head of the segment-named file at `path` (in the directory of `kind`) and tells whose
 * it is: the head must state the segment format, `kind`, and the instance its name carries.
 * Unreadable files count as foreign. Never rejects.
 */
export async function inspectSegment(fs: StorageFileSystem, path: string, kind: SegmentKind): Promise<SegmentVerdict> {
  const name = parseSegmentFileName(basename(path));
  if (!name) return 'foreign';
  let head: string;
  try {
    head = await fs.readHead(path, HEAD_BYTES);
  } catch (error) {
    return errorCode(error) === 'ENOENT' ? 'gone' : 'foreign';
  }
  const m = SEGMENT_HEAD.exec(head);
  if (!m || m[2] !== kind || m[3] !== name.instance || !head.startsWith(`{"format":"${SEGMENT_FORMAT}"`)) return 'foreign';
  return Number(m[1]) > STORE_SCHEMA_VERSION ? 'newer' : 'ours';
}

/** Whether the temp file at `path` is llmtrace's: its name has the temp marker and its content starts as llmtrace's documents do. Never rejects. */
export async function isOurTempFile(fs: StorageFileSystem, path: string): Promise<boolean> {
  if (!isTempName(basename(path))) return false;
  try {
    return (await fs.readHead(path, DOCUMENT_PREFIX.length)) === DOCUMENT_PREFIX;
  } catch {
    return false;
  }
}

/** Reports a file left alone because it is not provably llmtrace's (logged once, every one counted). */
export function reportForeignFile(path: string, reason: string): void {
  warnOnce('storage.foreign-file', 'llmtrace: left alone a file in the store directory that llmtrace did not write', {
    file: path,
    reason,
  });
}

/** Reports a segment of a newer schema version, kept untouched (logged once, every one counted). */
export function reportNewerSegment(path: string): void {
  warnOnce('storage.newer-schema', 'llmtrace: kept a segment written by a newer llmtrace (newer schema version); not read, never deleted', {
    file: path,
    schemaVersion: STORE_SCHEMA_VERSION,
  });
}
