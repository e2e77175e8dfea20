/**
 * Progress on stderr for reads that take more than a second: a single self-rewriting line
 * (`reading ./.llmtrace: 120,000 spans`), drawn only when stderr is a terminal, at most ten times a
 * second, and erased when the read ends. Piped or redirected, it prints nothing. A count, not a
 * bar: a streamed store read does not know its total in advance. The clock is `io.now`.
 */
import type { CommandIO } from './command.js';

/** Reads shorter than this draw nothing. */
export const PROGRESS_DELAY_MS = 1_000;

const REDRAW_MS = 100;

/** Passes `batches` through, counting their items on a stderr line while the read is slow. */
export async function* withProgress<T>(batches: AsyncIterable<readonly T[]>, io: CommandIO, label: string): AsyncGenerator<readonly T[]> {
  if (!io.stderrIsTTY) {
    yield* batches;
    return;
  }
  const started = io.now();
  let drawnAt = 0;
  let count = 0;
  try {
    for await (const batch of batches) {
      count += batch.length;
      const now = io.now();
      if (now - started >= PROGRESS_DELAY_MS && now - drawnAt >= REDRAW_MS) {
        io.err(`\r\x1b[2Kreading ${label}: ${count.toLocaleString('en-US')} spans`);
        drawnAt = now;
      }
      yield batch;
    }
  } finally {
    if (drawnAt > 0) io.err('\r\x1b[2K');
  }
}
