/**
 * The structured logger llmtrace writes through. Each call builds one line synchronously (message,
 * fields, and inside a span the OpenTelemetry correlation fields `trace_id`, `span_id`,
 * `trace_flags` plus the enclosing scope ids `run_id`, `session_id`, ...), copies it into a bounded
 * LogBuffer queryable by level and trace id, and hands it to one output: JSON lines on stdout when
 * stdout is not a terminal, pretty lines through tslog when it is (tslog is imported on the first
 * line, never at import), nothing (`hidden`), or the application's own pino / winston / console-like
 * logger. See docs/logging.md.
 */
import { LOG_LEVELS, LogBuffer, type LogLevel } from './log-buffer.js';
import { redactLogArgument } from './redact/redact-log.js';
import { checkOptions } from './internal/option-schemas.js';
import { HUMAN_LINE, toLogRecord } from './log/log-record.js';
import {
  AppLoggerOutput,
  isAppLogger,
  JsonOutput,
  PrettyOutput,
  type AppLogger,
  type AppLoggerArgumentOrder,
  type LogOutput,
} from './log/outputs.js';

export { HUMAN_LINE } from './log/log-record.js';
export type { AppLogger, AppLoggerArgumentOrder } from './log/outputs.js';

/** Output format: `json` (one object a line), `pretty` (for terminals) or `hidden` (buffer only). */
export type LogFormat = 'json' | 'pretty' | 'hidden';

/** Options for `createLogger`. */
export interface LoggerOptions {
  /**
   * Lowest level written (and buffered).
   * @default 'info'
   */
  minLevel?: LogLevel;
  /**
   * Output format; ignored when `output` is given.
   * @default 'pretty' when stdout is a terminal, otherwise 'json'
   */
  format?: LogFormat;
  /**
   * Logger name, on every JSON and pretty line.
   * @default 'llmtrace'
   */
  name?: string;
  /**
   * Lines kept in the in-memory buffer.
   * @default 1000 (DEFAULT_LOG_BUFFER_SIZE)
   */
  bufferSize?: number;
  /**
   * The application's own logger to write into (pino, winston, bunyan, `console`, anything with
   * `info`, `warn` and `error` methods) instead of llmtrace's own output.
   * @default undefined (llmtrace's own JSON or pretty output)
   * @example
   * createLogger({ output: pino(), minLevel: 'debug' });
   */
  output?: AppLogger;
  /**
   * How `output` takes its arguments: `(fields, message)` or `(message, fields)`.
   * @default 'fields-first' for pino and bunyan, else 'message-first' (winston, console)
   */
  argumentOrder?: AppLoggerArgumentOrder;
}

/** The level methods of a TraceLogger: `log.info('message', { fields })`. They never throw. */
export interface LogMethods {
  silly(...args: unknown[]): void;
  trace(...args: unknown[]): void;
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  fatal(...args: unknown[]): void;
  /** Resolves when every line written so far has reached its output. */
  flush(): Promise<void>;
}

/** A logger whose lines carry trace correlation, plus its queryable in-memory buffer. */
export interface TraceLogger {
  /** The level methods: `log.info('message', { fields })`. */
  readonly log: LogMethods;
  /** The most recent lines, queryable by level and trace id. */
  readonly buffer: LogBuffer;
}

/** `masked` with the caller's one-line human form (HUMAN_LINE, a symbol key redaction does not copy), itself masked. */
function keepHumanLine(arg: unknown, masked: unknown): unknown {
  if (arg === null || typeof arg !== 'object' || masked === null || typeof masked !== 'object') return masked;
  const line = (arg as { [HUMAN_LINE]?: unknown })[HUMAN_LINE];
  if (line === undefined) return masked;
  return { ...(masked as object), [HUMAN_LINE]: redactLogArgument(line) };
}

function methods(minLevel: LogLevel, buffer: LogBuffer, output: LogOutput | undefined): LogMethods {
  const min = LOG_LEVELS.indexOf(minLevel);
  const at = (level: LogLevel) => {
    if (LOG_LEVELS.indexOf(level) < min) return () => undefined;
    return (...args: unknown[]): void => {
      try {
        // Secrets never reach a log line: every argument is masked first (lib/redact/redact-log.ts).
        let safe: unknown[];
        try {
          safe = args.map((arg) => keepHumanLine(arg, redactLogArgument(arg)));
        } catch {
          safe = ['[REDACTED]'];
        }
        const record = toLogRecord(level, safe);
        const { trace_id: traceId, span_id: spanId } = record.fields;
        buffer.push({
          time: record.time,
          level,
          message: record.message,
          traceId: typeof traceId === 'string' ? traceId : undefined,
          spanId: typeof spanId === 'string' ? spanId : undefined,
          fields: record.fields,
        });
        output?.write(record);
      } catch {
        // Logging must never fail the traced program.
      }
    };
  };
  return {
    silly: at('silly'),
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    fatal: at('fatal'),
    flush: async () => output?.flush(),
  };
}

/**
 * Creates a logger. Throws a TypeError naming the option when an option is invalid.
 * @example
 * const { log, buffer } = createLogger({ minLevel: 'debug', format: 'json' });
 * log.info('starting batch', { size: 10 });
 * buffer.query({ minLevel: 'warn' });
 * @example
 * // Into the application's pino logger:
 * configure({ logger: createLogger({ output: pino() }) }); // or simply configure({ logger: pino() })
 */
export function createLogger(options: LoggerOptions = {}): TraceLogger {
  checkOptions('createLogger', options);
  const minLevel = options.minLevel ?? 'info';
  if (!LOG_LEVELS.includes(minLevel)) {
    throw new TypeError(`llmtrace: logger.minLevel must be one of ${LOG_LEVELS.join(', ')}, got ${String(minLevel)}`);
  }
  const format = options.format ?? (process.stdout.isTTY ? 'pretty' : 'json');
  if (!['json', 'pretty', 'hidden'].includes(format)) {
    throw new TypeError(`llmtrace: logger.format must be 'json', 'pretty' or 'hidden', got ${String(format)}`);
  }
  if (options.output !== undefined && !isAppLogger(options.output)) {
    throw new TypeError(
      `llmtrace: logger.output must be a logger with info, warn and error methods (pino, winston, console), got ${String(options.output)} (${typeof options.output})`,
    );
  }
  const order = options.argumentOrder;
  if (order !== undefined && order !== 'fields-first' && order !== 'message-first') {
    throw new TypeError(`llmtrace: logger.argumentOrder must be 'fields-first' or 'message-first', got ${String(order)} (${typeof order})`);
  }
  const name = options.name ?? 'llmtrace';
  const buffer = new LogBuffer(options.bufferSize);
  const output: LogOutput | undefined = options.output
    ? new AppLoggerOutput(options.output, order)
    : format === 'json'
      ? new JsonOutput(name)
      : format === 'pretty'
        ? new PrettyOutput(name)
        : undefined;
  return { log: methods(minLevel, buffer, output), buffer };
}

/**
 * The options `configure({ logger })` takes, as `createLogger` options: an application logger
 * (pino, winston, console) becomes `{ output: it }`; logger options pass through.
 */
export function loggerOptionsOf(value: LoggerOptions | AppLogger): LoggerOptions {
  return isAppLogger(value) ? { output: value } : value;
}
