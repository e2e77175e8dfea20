/**
 * The flags listing commands share (`--since`, `--until`, `--model`, `--function`, `--provider`,
 * `--status`, `--kind`, `--min-ms`, `--trace`, `--attr`, `--limit`) and their translation into a
 * `SpanFilter`, plus opening the store named by `--dir`, `LLMTRACE_DIR` or `./.llmtrace` (a
 * directory: a file there is refused, not read as a session file). Bad values become one-line
 * UsageErrors naming the flag.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import { ensureNotEmpty, openSource, type QuerySource } from '../lib/query/source.js';
import type { SpanFilter } from '../lib/query/span-filter.js';
import { parseTimeBound } from '../lib/query/time-bound.js';
import type { SpanKind } from '../lib/span.js';
import { numberFlag, stringFlag, stringsFlag, type ParsedArgs } from './args.js';
import type { CommandIO, FlagSpec } from './command.js';
import { UsageError } from './usage-error.js';

/** Store directory used when neither --dir nor LLMTRACE_DIR says. */
export const DEFAULT_DIR = './.llmtrace';

/** `--since` and `--until`. */
export const TIME_FLAGS: Readonly<Record<string, FlagSpec>> = {
  since: { type: 'string', value: '<when>', description: 'only what ended after this: 30m, 12h, 7d or an ISO date' },
  until: { type: 'string', value: '<when>', description: 'only what ended before this: 30m, 12h, 7d or an ISO date' },
};

/** Every span filter flag, with the time flags. */
export const FILTER_FLAGS: Readonly<Record<string, FlagSpec>> = {
  ...TIME_FLAGS,
  model: { type: 'string', multiple: true, value: '<name>', description: 'only this model (repeatable)' },
  function: { type: 'string', multiple: true, value: '<name>', description: 'only this traced function (repeatable)' },
  provider: { type: 'string', multiple: true, value: '<name>', description: 'only this provider, e.g. openai (repeatable)' },
  status: { type: 'string', value: 'success|error', description: 'only spans that succeeded or failed' },
  kind: { type: 'string', multiple: true, value: '<kind>', description: 'only this span kind: llm, embedding, tool, run, ... (repeatable)' },
  'min-ms': { type: 'string', value: '<ms>', description: 'only spans that took at least this many milliseconds' },
  trace: { type: 'string', value: '<id-prefix>', description: 'only this trace (an id prefix is enough)' },
  attr: { type: 'string', multiple: true, value: '<key=value>', description: 'only spans with this attribute value (repeatable)' },
};

/** `--limit`. */
export const LIMIT_FLAG: Readonly<Record<string, FlagSpec>> = {
  limit: { type: 'string', value: '<n>', description: 'show at most n rows' },
};

const KINDS: readonly SpanKind[] = ['llm', 'embedding', 'chain', 'tool', 'agent', 'retrieval', 'session', 'run', 'iteration', 'request', 'model', 'custom'];

function timeBound(args: ParsedArgs, name: string, io: CommandIO, command: string): number | undefined {
  const text = stringFlag(args, name);
  if (text === undefined) return undefined;
  try {
    return parseTimeBound(text, io.now(), `--${name}`);
  } catch (error) {
    throw new UsageError((error as Error).message.replace('llmtrace:', `llmtrace ${command}:`));
  }
}

/** The time range of `--since` / `--until`. */
export function timeRangeFromArgs(args: ParsedArgs, io: CommandIO, command: string): { from?: number; to?: number } {
  const from = timeBound(args, 'since', io, command);
  const to = timeBound(args, 'until', io, command);
  if (from !== undefined && to !== undefined && from >= to) {
    throw new UsageError(`llmtrace ${command}: --since must be before --until`);
  }
  return { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
}

function listOrUndefined(values: string[]): string[] | undefined {
  return values.length ? values : undefined;
}

/** The SpanFilter the filter flags describe. */
export function filterFromArgs(args: ParsedArgs, io: CommandIO, command: string): SpanFilter {
  const filter: SpanFilter = { ...timeRangeFromArgs(args, io, command) };
  const models = listOrUndefined(stringsFlag(args, 'model'));
  if (models) filter.model = models;
  const functions = listOrUndefined(stringsFlag(args, 'function'));
  if (functions) filter.function = functions;
  const providers = listOrUndefined(stringsFlag(args, 'provider'));
  if (providers) filter.provider = providers;
  const status = stringFlag(args, 'status');
  if (status !== undefined) {
    if (status !== 'success' && status !== 'error') throw new UsageError(`llmtrace ${command}: --status must be success or error, got ${JSON.stringify(status)}`);
    filter.status = status;
  }
  const kinds = stringsFlag(args, 'kind');
  for (const kind of kinds) {
    if (!KINDS.includes(kind as SpanKind)) throw new UsageError(`llmtrace ${command}: --kind must be one of ${KINDS.join(', ')}, got ${JSON.stringify(kind)}`);
  }
  if (kinds.length) filter.kind = kinds as SpanKind[];
  const minMs = numberFlag(args, 'min-ms', command);
  if (minMs !== undefined) filter.minDurationMs = minMs;
  const trace = stringFlag(args, 'trace');
  if (trace !== undefined) {
    if (!/^[0-9a-fA-F]+$/.test(trace)) throw new UsageError(`llmtrace ${command}: --trace must be hex digits of a trace id, got ${JSON.stringify(trace)}`);
    filter.traceId = trace.toLowerCase();
  }
  const attributes: Record<string, string> = {};
  for (const pair of stringsFlag(args, 'attr')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`llmtrace ${command}: --attr must be key=value, got ${JSON.stringify(pair)}`);
    attributes[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  if (Object.keys(attributes).length) filter.attributes = attributes;
  return filter;
}

/** The store directory as the user named it: --dir, else LLMTRACE_DIR, else ./.llmtrace. */
export function storeDirFromArgs(args: ParsedArgs, io: CommandIO): string {
  return stringFlag(args, 'dir') ?? (io.env.LLMTRACE_DIR || DEFAULT_DIR);
}

/** A path as shown in messages: relative to the working directory when inside it. */
export function shownPath(path: string, io: CommandIO): string {
  const absolute = resolve(io.cwd, path);
  const rel = relative(io.cwd, absolute);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? absolute : `./${rel}`;
}

/**
 * Opens the store directory the flags name, without reading it.
 * @throws QueryError ENOSOURCE when nothing is there; UsageError when it is a file.
 */
export async function openStoreDirFromArgs(args: ParsedArgs, io: CommandIO): Promise<QuerySource> {
  const dir = storeDirFromArgs(args, io);
  const source = await openSource(resolve(io.cwd, dir));
  if (source.kind !== 'store') {
    const named = stringFlag(args, 'dir') === undefined && io.env.LLMTRACE_DIR ? `LLMTRACE_DIR=${dir}` : `--dir ${dir}`;
    throw new UsageError(`llmtrace: ${named} is a file, not a store directory: give the folder the program traced into (startTracing's fileStore dir, default ${DEFAULT_DIR})`);
  }
  return source;
}

/**
 * Opens the store the flags name and checks that it holds something.
 * @throws QueryError ENOSOURCE / EEMPTY, or UsageError for a file, with the fix (the command exits 2).
 */
export async function openStoreFromArgs(args: ParsedArgs, io: CommandIO): Promise<QuerySource> {
  const source = await openStoreDirFromArgs(args, io);
  await ensureNotEmpty(source, shownPath(storeDirFromArgs(args, io), io));
  return source;
}
