/**
 * Where log lines go once built: JSON lines on stdout (synchronous, no library), pretty lines
 * through tslog (imported on the first line, so `import 'llmtrace'` never loads it), or the
 * application's own pino / winston / bunyan / console-like logger. Nothing here throws.
 */
import type { Logger as TslogLogger, ILogObj } from 'tslog';
import type { LogLevel } from '../log-buffer.js';
import type { LogRecord } from './log-record.js';

/** Receives every line at or above the logger's minimum level. */
export interface LogOutput {
  write(record: LogRecord): void;
  /** Resolves when every line handed over so far has been written. */
  flush(): Promise<void>;
}

/** One log method of an application logger. */
type LogMethod = (...args: unknown[]) => unknown;

/**
 * An application's logger: anything with `info`, `warn` and `error` methods (`debug`, `trace`,
 * `fatal` used when present): pino, winston, bunyan, `console`, ...
 */
export interface AppLogger {
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
  debug?: LogMethod;
  trace?: LogMethod;
  fatal?: LogMethod;
}

/**
 * Argument order of an application logger: pino and bunyan take `(fields, message)`, winston and
 * console `(message, fields)`.
 */
export type AppLoggerArgumentOrder = 'fields-first' | 'message-first';

/** True for a value usable as an application logger. */
export function isAppLogger(value: unknown): value is AppLogger {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  const v = value as Record<string, unknown>;
  return typeof v.info === 'function' && typeof v.warn === 'function' && typeof v.error === 'function';
}

/** The argument order a logger expects: fields first for pino (levels.values, bindings) and bunyan (addStream). */
export function detectArgumentOrder(logger: AppLogger): AppLoggerArgumentOrder {
  const l = logger as unknown as Record<string, unknown>;
  const levels = l.levels as { values?: unknown } | undefined;
  const pino = typeof l.bindings === 'function' && typeof levels?.values === 'object';
  const bunyan = typeof l.addStream === 'function';
  return pino || bunyan ? 'fields-first' : 'message-first';
}

const FALLBACK: Record<LogLevel, readonly (keyof AppLogger)[]> = {
  silly: ['trace', 'debug'],
  trace: ['trace', 'debug'],
  debug: ['debug'],
  info: ['info'],
  warn: ['warn'],
  error: ['error'],
  fatal: ['fatal', 'error'],
};

/** Hands lines to an application logger in the argument order it expects. */
export class AppLoggerOutput implements LogOutput {
  readonly #target: AppLogger;
  readonly #order: AppLoggerArgumentOrder;

  constructor(target: AppLogger, order: AppLoggerArgumentOrder = detectArgumentOrder(target)) {
    this.#target = target;
    this.#order = order;
  }

  write(record: LogRecord): void {
    const name = FALLBACK[record.level].find((m) => typeof this.#target[m] === 'function');
    if (!name) return;
    const method = this.#target[name]!;
    const hasFields = Object.keys(record.fields).length > 0;
    try {
      if (!hasFields) method.call(this.#target, record.message);
      else if (this.#order === 'fields-first') method.call(this.#target, record.fields, record.message);
      else method.call(this.#target, record.message, record.fields);
    } catch {
      // The application's logger failing must not fail the traced program.
    }
  }

  async flush(): Promise<void> {
    try {
      // pino and winston-style loggers may have a flush; a promise it returns is awaited.
      const flush = (this.#target as { flush?: unknown }).flush;
      if (typeof flush === 'function') await flush.call(this.#target);
    } catch {
      // See write().
    }
  }
}

/** JSON.stringify that survives cycles and BigInt. */
function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    const seen = new WeakSet<object>();
    return JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === 'bigint') return v.toString();
      if (v !== null && typeof v === 'object') {
        if (seen.has(v)) return '[Circular]';
        seen.add(v);
      }
      return v;
    });
  }
}

/** The JSON form of a line: `{ time (ISO), level, name, message, ...fields }`. */
export function jsonLine(record: LogRecord, name: string): string {
  return safeStringify({ time: new Date(record.time).toISOString(), level: record.level, name, message: record.message, ...record.fields });
}

/** A plain one-line text form, used when tslog is not (yet) available. */
function plainLine(record: LogRecord, name: string): string {
  const fields = Object.keys(record.fields).length > 0 && record.human === undefined ? ` ${safeStringify(record.fields)}` : '';
  return `${new Date(record.time).toISOString()} ${record.level.toUpperCase()} [${name}] ${record.human ?? record.message}${fields}`;
}

/** JSON lines on stdout, written synchronously: nothing is lost when the process exits right after. */
export class JsonOutput implements LogOutput {
  readonly #name: string;
  constructor(name: string) {
    this.#name = name;
  }
  write(record: LogRecord): void {
    try {
      process.stdout.write(jsonLine(record, this.#name) + '\n');
    } catch {
      // A closed stdout must not fail the traced program.
    }
  }
  async flush(): Promise<void> {}
}

/** Most lines held while tslog loads; older ones are dropped first. */
const MAX_PENDING_LINES = 1_000;

/** The pretty template: time, level, name; no source position (it would always be llmtrace's own file). */
const PRETTY_TEMPLATE = '{{yyyy}}-{{mm}}-{{dd}} {{hh}}:{{MM}}:{{ss}}.{{ms}}\t{{logLevelName}}\t[{{name}}]\t';

/**
 * Pretty lines through tslog, imported on the first line written. Lines written while it loads are
 * held (bounded) and written in order once it is there; if the process exits first they are
 * written synchronously in a plain one-line form, and the same form is used if tslog cannot load.
 */
export class PrettyOutput implements LogOutput {
  readonly #name: string;
  #tslog: TslogLogger<ILogObj> | undefined;
  #failed = false;
  #loading: Promise<void> | undefined;
  #pending: LogRecord[] = [];
  readonly #onExit = (): void => this.#drainPlain();

  constructor(name: string) {
    this.#name = name;
  }

  write(record: LogRecord): void {
    if (this.#tslog) return this.#emit(this.#tslog, record);
    if (this.#failed) return this.#writePlain(record);
    if (this.#pending.length >= MAX_PENDING_LINES) this.#pending.shift();
    this.#pending.push(record);
    this.#load();
  }

  async flush(): Promise<void> {
    await this.#loading;
    await this.#tslog?.flush();
  }

  #load(): void {
    if (this.#loading) return;
    process.once('exit', this.#onExit);
    this.#loading = import('tslog').then(
      ({ Logger }) => {
        this.#tslog = new Logger<ILogObj>({ name: this.#name, type: 'pretty', minLevel: 0, pretty: { template: PRETTY_TEMPLATE, inspectOptions: { breakLength: Infinity, depth: 4 } } });
        this.#drain((record) => this.#emit(this.#tslog!, record));
      },
      () => {
        this.#failed = true;
        this.#drainPlain();
      },
    );
  }

  #drain(write: (record: LogRecord) => void): void {
    process.off('exit', this.#onExit);
    const pending = this.#pending;
    this.#pending = [];
    for (const record of pending) write(record);
  }

  #drainPlain(): void {
    this.#drain((record) => this.#writePlain(record));
  }

  #emit(tslog: TslogLogger<ILogObj>, record: LogRecord): void {
    try {
      const method = tslog[record.level].bind(tslog);
      if (record.human !== undefined) method(record.human);
      else if (Object.keys(record.fields).length > 0) method(record.message, record.fields);
      else method(record.message);
    } catch {
      this.#writePlain(record);
    }
  }

  #writePlain(record: LogRecord): void {
    try {
      process.stdout.write(plainLine(record, this.#name) + '\n');
    } catch {
      // See JsonOutput.
    }
  }
}
