/**
 * The `llmtrace` dispatcher: picks the command from argv, loads it (only that one), parses its
 * flags and checks its arguments, runs it, and turns errors into exit codes: a usage error or bad
 * input (UsageError, QueryError) prints its one line and exits 2; anything else prints one line and
 * exits 1. Bare `llmtrace` is `llmtrace --help` (the command list on stdout, exit 0): asking what
 * there is is not a mistake; `llmtrace help <command>` is `llmtrace <command> --help`. Reads and
 * writes through `io` only.
 */
import { QueryError } from '../lib/query/query-error.js';
import { checkKnownKeys } from '../lib/internal/validate.js';
import { checkArguments, parseCommandArgs } from './args.js';
import type { CommandIO } from './command.js';
import { COMMANDS } from './commands/index.js';
import { commandHelp, mainHelp } from './help.js';
import { USAGE_EXIT_CODE, UsageError } from './usage-error.js';

function unknownCommand(name: string): UsageError {
  try {
    checkKnownKeys({ [name]: true }, COMMANDS.map((c) => c.name), 'command');
  } catch (error) {
    return new UsageError(`${(error as Error).message.replace('command: unknown option', 'unknown command')} (see llmtrace --help)`);
  }
  return new UsageError(`llmtrace: unknown command "${name}" (see llmtrace --help)`);
}

/** Runs `llmtrace <argv...>` and resolves to the exit code. `version` is printed by `--version`. */
export async function runCli(argv: readonly string[], io: CommandIO, version: string): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      // `llmtrace help <command>` is `llmtrace <command> --help`.
      if (rest.length > 1) throw new UsageError(`llmtrace: help takes one command name, got ${rest.length} words (see llmtrace --help)`);
      if (rest.length === 1) {
        const entry = COMMANDS.find((c) => c.name === rest[0]);
        if (!entry) throw unknownCommand(rest[0]!);
        io.out(commandHelp(await entry.load()));
        return 0;
      }
      io.out(mainHelp(await Promise.all(COMMANDS.map((c) => c.load()))));
      return 0;
    }
    if (name === '--version' || name === '-v') {
      if (rest.length > 0) throw new UsageError(`llmtrace: --version takes no arguments, got ${JSON.stringify(rest[0])}`);
      io.out(`${version}\n`);
      return 0;
    }
    const entry = COMMANDS.find((c) => c.name === name);
    if (!entry) throw unknownCommand(name);
    const command = await entry.load();
    const args = parseCommandArgs(command.name, rest, command.flags);
    if (args.values.help === true) {
      io.out(commandHelp(command));
      return 0;
    }
    checkArguments(command.name, args.positionals, command.arguments);
    return (await command.run(args, io)) ?? 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof QueryError) {
      io.err(`${error.message}\n`);
      return USAGE_EXIT_CODE;
    }
    io.err(`llmtrace: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
