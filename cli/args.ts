/**
 * Command-line parsing over Node's own `util.parseArgs`: every flag a command declares plus the
 * global ones (`--dir`, `--json`, `--help`). Unknown flags are errors naming the nearest known one
 * (`unknown option "--sinse", did you mean "--since"?`); so are a flag that needs a value and got an empty string or
 * none, a single-value flag given twice (or with its other name, `--top` and `--limit`: the last
 * one silently winning would hide a typo), and a positional argument the command does not take.
 * Only flags declared `multiple` (`--model`, `--attr`) may repeat. Pure.
 */
import { parseArgs } from 'node:util';
import { checkKnownKeys } from '../lib/internal/validate.js';
import type { FlagSpec } from './command.js';
import { UsageError } from './usage-error.js';

/** Flags every command takes. */
export const GLOBAL_FLAGS: Readonly<Record<string, FlagSpec>> = {
  dir: { type: 'string', value: '<dir>', description: 'store directory (default: $LLMTRACE_DIR, then ./.llmtrace)' },
  json: { type: 'boolean', description: 'print JSON instead of text' },
  help: { type: 'boolean', description: 'show this help' },
};

/** Parsed command line: flag values by long name, and the positional arguments. */
export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
  readonly positionals: readonly string[];
  /** The flag as it was written, for a value given under another name of its flag (`--limit` for `top`). */
  readonly spelled?: Readonly<Record<string, string>>;
}

/**
 * Parses `argv` (the words after the command name) against `flags` and the global flags.
 * @throws UsageError for an unknown flag, a missing value, a value given to a boolean flag, or a
 *   single-value flag given twice.
 */
export function parseCommandArgs(command: string, argv: readonly string[], flags: Readonly<Record<string, FlagSpec>>): ParsedArgs {
  const all = { ...GLOBAL_FLAGS, ...flags };
  const options = Object.fromEntries(Object.entries(all).map(([name, spec]) => [name, { type: spec.type, multiple: spec.multiple === true }]));
  const { values, positionals, tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const known = Object.keys(all).map((name) => `--${name}`);
  const given = new Map<string, { rawName: string; value: string | undefined }>();
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const spec = all[token.name];
    if (!spec) {
      try {
        checkKnownKeys({ [token.rawName]: true }, known, command);
      } catch (error) {
        throw new UsageError(`${(error as Error).message.replace(`llmtrace: ${command}:`, `llmtrace ${command}:`)} (see llmtrace ${command} --help)`);
      }
    }
    if (spec.type === 'string' && (token.value === undefined || (!token.inlineValue && token.value.startsWith('--')))) {
      throw new UsageError(`llmtrace ${command}: ${token.rawName} needs a value${spec.value ? ` ${spec.value}` : ''} (see llmtrace ${command} --help)`);
    }
    if (spec.type === 'string' && token.value === '') {
      throw new UsageError(`llmtrace ${command}: ${token.rawName} needs a ${spec.value ?? 'value'}, got an empty string`);
    }
    if (spec.type === 'boolean' && token.inlineValue) {
      throw new UsageError(`llmtrace ${command}: ${token.rawName} takes no value, got ${JSON.stringify(token.value)}`);
    }
    if (spec.type === 'string' && spec.multiple !== true) {
      const name = spec.sameAs ?? token.name;
      const first = given.get(name);
      if (first) throw repeatedFlag(command, first, token);
      given.set(name, token);
    }
  }
  const spelled: Record<string, string> = {};
  for (const [name, spec] of Object.entries(all)) {
    if (spec.sameAs === undefined || values[name] === undefined) continue;
    values[spec.sameAs] = values[name];
    spelled[spec.sameAs] = `--${name}`;
    delete values[name];
  }
  return { values: values as ParsedArgs['values'], positionals, spelled };
}

/** The error for a single-value flag given a second time (`first`, then `again`), under the same name or its other one. */
function repeatedFlag(command: string, first: { rawName: string; value: string | undefined }, again: { rawName: string; value: string | undefined }): UsageError {
  const values = `${JSON.stringify(first.value)} and ${JSON.stringify(again.value)}`;
  const what = first.rawName === again.rawName ? `${first.rawName} given twice (${values}): give it once` : `${first.rawName} and ${again.rawName} are one flag, given twice (${values}): give one of them`;
  return new UsageError(`llmtrace ${command}: ${what} (see llmtrace ${command} --help)`);
}

/** `n` arguments in words, for messages. */
function countWord(n: number): string {
  return ['no arguments', 'one argument', 'two arguments'][n] ?? `${n} arguments`;
}

/**
 * Checks that `positionals` are no more than `takes` (a command's `arguments`; a last one ending in
 * `...` takes any number), and that none is empty (`''` would be read as the current folder).
 * @throws UsageError naming the first extra or empty argument and what the command takes.
 */
export function checkArguments(command: string, positionals: readonly string[], takes: readonly string[]): void {
  const empty = positionals.indexOf('');
  if (empty >= 0) {
    const what = takes[Math.min(empty, takes.length - 1)]?.replace(/\.\.\.$/, '') ?? 'argument';
    throw new UsageError(`llmtrace ${command}: argument ${empty + 1} is empty: give ${what} (see llmtrace ${command} --help)`);
  }
  if (takes.at(-1)?.endsWith('...') || positionals.length <= takes.length) return;
  const extra = positionals[takes.length]!;
  const what = takes.length === 0 ? 'no arguments, only flags' : `${countWord(takes.length)}: ${takes.join(' ')}`;
  throw new UsageError(`llmtrace ${command}: unexpected argument ${JSON.stringify(extra)}: ${command} takes ${what} (see llmtrace ${command} --help)`);
}

/** A single-value string flag's value, or undefined (the parser refuses it given twice). */
export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

/** Every value of a repeatable string flag. */
export function stringsFlag(args: ParsedArgs, name: string): string[] {
  const value = args.values[name];
  if (Array.isArray(value)) return value;
  return typeof value === 'string' ? [value] : [];
}

/** Whether a boolean flag was given. */
export function booleanFlag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

/** The flag `name` as the user wrote it (`--limit` for `top` when given as `--limit`), for messages. */
function flagAsWritten(args: ParsedArgs, name: string): string {
  return args.spelled?.[name] ?? `--${name}`;
}

/**
 * A positive integer flag, or `fallback` when absent.
 * @throws UsageError naming the flag and the value when it is not a positive integer.
 */
export function positiveIntegerFlag(args: ParsedArgs, name: string, fallback: number, command: string): number {
  const text = stringFlag(args, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`llmtrace ${command}: ${flagAsWritten(args, name)} must be a positive integer, got ${JSON.stringify(text)}`);
  return value;
}

/**
 * A non-negative number flag (milliseconds, a score), or undefined when absent.
 * @throws UsageError naming the flag and the value when it is not a number >= 0.
 */
export function numberFlag(args: ParsedArgs, name: string, command: string): number | undefined {
  const text = stringFlag(args, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) throw new UsageError(`llmtrace ${command}: ${flagAsWritten(args, name)} must be a number >= 0, got ${JSON.stringify(text)}`);
  return value;
}
