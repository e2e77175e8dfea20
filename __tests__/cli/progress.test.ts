import type { CommandIO } from '../../cli/command.js';
import { withProgress } from '../../cli/progress.js';

function io(tty: boolean, clock: { t: number }, err: string[]): CommandIO {
  return {
    out: () => undefined,
    err: (text) => void err.push(text),
    env: {},
    cwd: '/',
    stdoutIsTTY: tty,
    stderrIsTTY: tty,
    columns: 80,
    now: () => clock.t,
    stopped: new Promise(() => undefined),
  };
}

/** `n` items in batches of 256 (as a store scan yields a segment's spans), 1 ms per item. */
async function* items(n: number, clock: { t: number }): AsyncGenerator<number[]> {
  for (let i = 0; i < n; i += 256) {
    const batch = Array.from({ length: Math.min(256, n - i) }, (_, j) => i + j);
    clock.t += batch.length;
    yield batch;
  }
}

async function drain(source: AsyncIterable<readonly number[]>): Promise<number> {
  let n = 0;
  for await (const batch of source) n += batch.length;
  return n;
}

describe('progress on stderr', () => {
  test('a slow read on a terminal counts on one line and erases it at the end', async () => {
    const clock = { t: 0 };
    const err: string[] = [];
    expect(await drain(withProgress(items(5000, clock), io(true, clock, err), './.llmtrace'))).toBe(5000);
    expect(err.length).toBeGreaterThan(1);
    expect(err[0]).toBe('\r\x1b[2Kreading ./.llmtrace: 1,024 spans'); // first drawn after 1 s (1,000 items), at the end of the next batch
    expect(err.slice(0, -1).every((line) => /^\r\x1b\[2Kreading \.\/\.llmtrace: [\d,]+ spans$/.test(line))).toBe(true);
    expect(err[err.length - 1]).toBe('\r\x1b[2K');
  });

  test('a fast read, or stderr that is not a terminal, prints nothing', async () => {
    const fast = { t: 0 };
    const err: string[] = [];
    await drain(withProgress(items(900, fast), io(true, fast, err), 'x'));
    const piped = { t: 0 };
    await drain(withProgress(items(5000, piped), io(false, piped, err), 'x'));
    expect(err).toEqual([]);
  });
});
