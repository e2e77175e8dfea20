#!/usr/bin/env node
/**
 * Entry point of the `llmtrace` bin: wires the process (argv, stdout, stderr, env, signals) to
 * runCli and sets the exit code. The only CLI file that touches `process`. Diagnostics of the
 * library go to a hidden logger, so stdout carries only the command's output. It is set on the
 * diagnostics alone, not through `configure`: the process-wide configuration (pricing tables,
 * redaction, the default store) is for traced programs, and loading it cost every command ~60 ms
 * of start-up (benchmarks/query-scan.ts).
 */
import { readFileSync } from 'node:fs';
import { setDiagnosticLogger } from '../lib/internal/diagnostics.js';
import { createLogger } from '../lib/logger.js';
import type { CommandIO } from './command.js';
import { runCli } from './run-cli.js';

function packageVersion(): string {
  for (const up of ['../../package.json', '../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'llmtrace' && pkg.version) return pkg.version;
    } catch {
      // Not there in this layout (built vs source): try the next.
    }
  }
  return 'unknown';
}

const stopped = new Promise<void>((resolve) => {
  const stop = () => resolve();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
});

const io: CommandIO = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  stdoutIsTTY: process.stdout.isTTY === true,
  stderrIsTTY: process.stderr.isTTY === true,
  columns: process.stdout.isTTY ? process.stdout.columns || 80 : Number(process.env.COLUMNS) || Infinity,
  now: () => Date.now(),
  stopped,
};

setDiagnosticLogger(createLogger({ format: 'hidden' }));
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0); // `llmtrace runs | head`: the reader left, nothing more to say
});
process.exitCode = await runCli(process.argv.slice(2), io, packageVersion());
process.removeAllListeners('SIGINT');
process.removeAllListeners('SIGTERM');
