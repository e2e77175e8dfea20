/**
 * A usage error of the `llmtrace` command: bad or unknown flag, missing argument, refused output
 * file. Its message is the one line printed; the command exits with code 2.
 */

/** Exit code of a usage error or bad input. */
export const USAGE_EXIT_CODE = 2;

/** Bad input on the command line; `message` is one line naming the problem and the fix. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
