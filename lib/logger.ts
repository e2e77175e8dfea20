/**
 * The structured logger: tslog, JSON when output is not a terminal and pretty when it is. A
 * middleware adds the current span's `traceId`, `spanId` and enclosing scope ids (`runId`,
 * `iterationId`, `requestId`, ...) to every line written inside a span, and a transport copies each
 * line into a bounded LogBuffer that can be queried by level and trace id.
 */
import { Logger, type ILogObj } from 'tslog';
import { currentSpan } from './context.js';
import { LOG_LEVELS, LogBuffer, type LogLevel } from './log-buffer.js';
import { redactLogArgument } from './redact/redact-log.js';
import { checkOptions } from './internal/option-schemas.js';

/** Output format: `json` (one object a line), `pretty` (for terminals) or `hidden` (buffer only). */
export type LogFormat = 'json' | 'pretty' | 'hidden';

/** Options for `createLogger`. */
export interface LoggerOptions {
  /**
   * Lowest level written.
   * @default 'info'
   */
  minLevel?: LogLevel;
  /**
   * Output format.
   * @default 'pretty' when stdout is a terminal, otherwise 'json'
   */
  format?: LogFormat;
  /**
   * Logger name, shown on every line.
   * @default 'llmtrace'
   */
  name?: string;
  /**
   * Lines kept in the in-memory buffer.
   * @default 1000 (DEFAULT_LOG_BUFFER_SIZE)
   */
  bufferSize?: number;
}

/** A tslog logger whose lines carry trace correlation, plus its queryable in-memory buffer. */
export interface TraceLogger {
  /** The tslog logger: `log.info('message', { fields })`. */
  readonly log: Logger<ILogObj>;
  /** The most recent lines, queryable by level and trace id. */
  readonly buffer: LogBuffer;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The correlation fields of the current span, or undefined outside a span. */
function correlationFields(): Record<string, string> | undefined {
  const span = currentSpan();
  if (!span) return undefined;
  const fields: Record<string, string> = { traceId: span.traceId, spanId: span.id };
  for (const [kind, id] of Object.entries(span.scopes)) fields[`${kind}Id`] = id!;
  return fields;
}

/**
 * Creates a logger. Throws a TypeError naming the option when an option is invalid.
 * @example
 * const { log, buffer } = createLogger({ minLevel: 'debug', format: 'json' });
 * log.info('starting batch', { size: 10 });
 * buffer.query({ minLevel: 'warn' });
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
  const buffer = new LogBuffer(options.bufferSize);
  const log = new Logger<ILogObj>({
    name: options.name ?? 'llmtrace',
    type: format,
    minLevel: LOG_LEVELS.indexOf(minLevel),
  });
  log.use((ctx) => {
    // Secrets never reach a log line: every argument is masked first (lib/redact/redact-log.ts).
    const args = ctx.args;
    try {
      for (let i = 0; i < args.length; i++) args[i] = redactLogArgument(args[i]);
    } catch {
      args.splice(0, args.length, '[REDACTED]');
    }
    return ctx;
  });
  log.use((ctx) => {
    const fields = correlationFields();
    if (!fields) return ctx;
    // Top-level fields for the shapes tslog spreads onto the line (a message, a message and an
    // object, a lone object); under `_logMeta.correlation` for every other shape.
    const args = ctx.args;
    const [first, second] = args;
    if (args.length === 1 && isPlainObject(first)) args[0] = { ...fields, ...first };
    else if (args.length === 1 && typeof first === 'string') args.push(fields);
    else if (args.length === 2 && typeof first === 'string' && isPlainObject(second)) args[1] = { ...fields, ...second };
    else ctx.meta.correlation = fields;
    return ctx;
  });
  log.attachTransport({
    name: 'llmtrace-buffer',
    write(record) {
      const meta = record._meta ?? (record as Record<string, unknown>)['_logMeta'];
      const levelName = String((meta as { logLevelName?: string } | undefined)?.logLevelName ?? 'INFO').toLowerCase();
      // tslog keeps positional arguments under "0", "1", ... (a lone object or Error is spread).
      const rec = record as Record<string, unknown>;
      const first = rec['0'];
      const message = typeof first === 'string' ? first : typeof rec.message === 'string' ? rec.message : '';
      const fields: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(rec)) {
        if (key === '_logMeta' || key === '_meta' || (key === '0' && value === message)) continue;
        if (/^\d+$/.test(key) && isPlainObject(value)) Object.assign(fields, value);
        else fields[key] = value;
      }
      const correlation = (meta as { correlation?: unknown } | undefined)?.correlation;
      if (isPlainObject(correlation)) Object.assign(fields, correlation);
      buffer.push({
        time: Date.now(),
        level: (LOG_LEVELS as readonly string[]).includes(levelName) ? (levelName as LogLevel) : 'info',
        message,
        traceId: typeof fields.traceId === 'string' ? fields.traceId : undefined,
        spanId: typeof fields.spanId === 'string' ? fields.spanId : undefined,
        fields,
      });
    },
  });
  return { log, buffer };
}
