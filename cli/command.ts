/**
 * The seam every `llmtrace` subcommand implements: a name, a one-line summary, usage and an
 * example for `--help`, the flags it accepts, and `run(args, io)`. Commands read through the IO
 * object only (never `process` directly), so they stay thin and testable, and the entry point
 * (cli/main.ts) is the one place that touches the process.
 */
import type { ParsedArgs } from './args.js';

/** A flag a command accepts. */
export interface FlagSpec {
  /** `string` takes a value (`--since 12h`); `boolean` does not (`--json`). */
  type: 'string' | 'boolean';
  /** May be given more than once (values collected in order). */
  multiple?: boolean;
  /** One line for `--help`. */
  description: string;
  /** Placeholder shown in help (`<duration>`). */
  value?: string;
  /**
   * Another name of the flag named here (`limit: { sameAs: 'top' }`): its value is read under that
   * name, and giving both is a usage error. @default none
   */
  sameAs?: string;
}

/** What a command reads and writes through: the process, reduced to what commands need. */
export interface CommandIO {
  /** Writes to standard output. */
  out(text: string): void;
  /** Writes to standard error. */
  err(text: string): void;
  /** Environment variables. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Working directory (relative paths resolve against it). */
  readonly cwd: string;
  /** Whether stdout is a terminal. */
  readonly stdoutIsTTY: boolean;
  /** Whether stderr is a terminal (progress is drawn only then). */
  readonly stderrIsTTY: boolean;
  /** Width tables must fit in: the terminal's, or `COLUMNS`, or Infinity when piped. */
  readonly columns: number;
  /** The current time, epoch ms (relative time bounds are taken from it). */
  now(): number;
  /** Resolves when the user asks to stop (SIGINT / SIGTERM); used by `tail`. */
  readonly stopped: Promise<void>;
}

/** One `llmtrace` subcommand. */
export interface Command {
  /** The word after `llmtrace`. */
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Usage line without the leading `llmtrace` (`runs [flags]`). */
  readonly usage: string;
  /** Example lines for `--help`, each a full command. */
  readonly examples: readonly string[];
  /**
   * The positional arguments it takes, as help shows them (`<file>`); empty for none. A last one
   * ending in `...` takes any number. More than these is a usage error naming the first extra one.
   */
  readonly arguments: readonly string[];
  /** Flags accepted, by long name without dashes (the global ones are added by the parser). */
  readonly flags: Readonly<Record<string, FlagSpec>>;
  /** Runs the command; resolves to the exit code (0 when omitted). */
  run(args: ParsedArgs, io: CommandIO): Promise<number | void>;
}
