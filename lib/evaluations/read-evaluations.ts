/**
 * Reading evaluations back from a JSON file store directory: streamed segment by segment (memory
 * grows with one segment, not with the store), segments outside the filter's time range, or whose
 * trace-id index cannot hold the filter's trace, skipped unread, records of an unexpected shape skipped, a corrupt segment skipped (see FileStoreReader).
 * The reader is loaded on the first read, not when the root entry that exports `readEvaluations`
 * is imported (benchmarks/import-time.ts).
 */
import type { FileStoreReader, FileStoreReaderOptions } from '../storage/file-store-reader.js';
import { checkOptions } from '../internal/option-schemas.js';
import { checkEvaluationFilter, matchesEvaluation, type EvaluationFilter } from './evaluation-filter.js';
import { isEvaluationRecord, type EvaluationRecord } from './types.js';

/** How to read the store (everything but the directory, which `readEvaluations` takes first). */
export type ReadEvaluationsOptions = Omit<FileStoreReaderOptions, 'dir'>;

/**
 * The evaluations in the store at `dir` that match `filter`, oldest segment window first (within a
 * segment in recording order). Throws a TypeError at once on a bad filter; I/O trouble with one
 * segment is reported and that segment skipped.
 * @example
 * // runs where the arbiter chose gpt-4o over claude-haiku-4-5, in the last day
 * for await (const e of readEvaluations('.llmtrace', { evaluator: 'arbiter', chosen: 'gpt-4o', over: 'claude-haiku-4-5', from: Date.now() - 86_400_000 })) {
 *   console.log(e.traceId);
 * }
 */
export function readEvaluations(
  dir: string,
  filter: EvaluationFilter = {},
  options: ReadEvaluationsOptions = {},
): AsyncGenerator<EvaluationRecord> {
  checkEvaluationFilter(filter);
  checkOptions('FileStoreReader', { ...options, dir });
  return readFromDir({ ...options, dir }, filter);
}

/** `readMatching` over a reader of `options.dir`, loading the reader first. */
async function* readFromDir(options: FileStoreReaderOptions, filter: EvaluationFilter): AsyncGenerator<EvaluationRecord> {
  const { FileStoreReader: Reader } = await import('../storage/file-store-reader.js');
  yield* readMatching(new Reader(options), filter);
}

/** Every evaluation of `reader` matching `filter` (the reader-based form, for the query layer). */
export async function* readMatching(reader: FileStoreReader, filter: EvaluationFilter): AsyncGenerator<EvaluationRecord> {
  for await (const record of reader.readEvaluations({ from: filter.from, to: filter.to }, filter.traceId)) {
    if (isEvaluationRecord(record) && matchesEvaluation(record, filter)) yield record;
  }
}
