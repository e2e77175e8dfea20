/**
 * Help text: the command list (`llmtrace --help`) and one command's flags and examples
 * (`llmtrace <command> --help`). Pure.
 */
import { GLOBAL_FLAGS } from './args.js';
import type { Command, FlagSpec } from './command.js';

function flagLines(flags: Readonly<Record<string, FlagSpec>>): string[] {
  const entries = Object.entries(flags).map(([name, spec]) => [`--${name}${spec.value ? ` ${spec.value}` : ''}`, spec.description] as const);
  const pad = Math.max(...entries.map(([left]) => left.length)) + 2;
  return entries.map(([left, description]) => `  ${left.padEnd(pad)}${description}`);
}

/** `llmtrace <command> --help`. */
export function commandHelp(command: Command): string {
  return [
    `Usage: llmtrace ${command.usage}`,
    '',
    `${command.summary[0]!.toUpperCase()}${command.summary.slice(1)}.`,
    '',
    'Flags:',
    ...flagLines({ ...command.flags, ...GLOBAL_FLAGS }),
    '',
    'Examples:',
    ...command.examples.map((e) => `  ${e}`),
    '',
  ].join('\n');
}

/** `llmtrace --help`. */
export function mainHelp(commands: readonly Command[]): string {
  const pad = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    'Usage: llmtrace <command> [flags]',
    '',
    'Look at what a program traced with llmtrace recorded (read-only; the store is ./.llmtrace unless --dir or LLMTRACE_DIR says).',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(pad)}${c.summary}`),
    '',
    'Global flags: --dir <dir>, --json, --help, --version',
    'Run `llmtrace <command> --help` for its flags and an example.',
    '',
  ].join('\n');
}
