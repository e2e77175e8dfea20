/**
 * Reporting what a read skipped (corrupt segments, malformed session lines): one line each on
 * stderr after the command's output, so stdout stays parseable and nothing is silently lost.
 */
import type { QuerySource } from '../lib/query/source.js';
import type { CommandIO } from './command.js';

/** Writes one stderr line per skipped file or line of `sources`. */
export function reportProblems(sources: readonly QuerySource[], io: CommandIO): void {
  for (const source of sources) for (const problem of source.problems()) io.err(`llmtrace: ${problem.message.replace(/^llmtrace: /, '')}\n`);
}
