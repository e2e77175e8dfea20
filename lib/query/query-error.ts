/**
 * The one error the query layer throws on bad input: a missing or empty source, an ambiguous or
 * unknown trace id, a bad time bound. Its message is one line naming the problem and the fix, so a
 * command can print it as is (and exit 2); `code` tells callers (the dashboard) which case it is.
 */

/** What went wrong. */
export type QueryErrorCode = 'ENOSOURCE' | 'EEMPTY' | 'EAMBIGUOUS' | 'ENOTFOUND' | 'EBADINPUT';

/** A query that cannot be answered as asked; `message` is one line with the fix. */
export class QueryError extends Error {
  /** Which case this is. */
  readonly code: QueryErrorCode;

  constructor(code: QueryErrorCode, message: string) {
    super(message);
    this.name = 'QueryError';
    this.code = code;
  }
}
