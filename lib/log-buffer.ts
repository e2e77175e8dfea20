/**
 * LogBuffer: the bounded in-memory copy of recent log lines, queryable by level and trace id, so a
 * developer can ask "what was logged during this trace?" without a log platform.
 */
import { positiveInteger } from './internal/validate.js';

/** Log levels, lowest first. */
export const LOG_LEVELS = ['silly', 'trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

/** A log level name. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** One buffered log line. */
export interface LogEntry {
  /** Epoch milliseconds. */
  time: number;
  /** Level name. */
  level: LogLevel;
  /** The message (first string argument), or '' when the line had none. */
  message: string;
  /** Trace id of the span the line was written in. */
  traceId?: string;
  /** Id of the span the line was written in. */
  spanId?: string;
  /** Structured fields of the line. */
  fields: Record<string, unknown>;
}

/** A filter for `LogBuffer.query`. */
export interface LogQuery {
  /** Lowest level to return. */
  minLevel?: LogLevel;
  /** Only lines written inside this trace. */
  traceId?: string;
  /** Most lines to return (newest kept). */
  limit?: number;
}

/** Default capacity of the in-memory log buffer. */
export const DEFAULT_LOG_BUFFER_SIZE = 1_000;

/** A bounded ring of recent log lines; the oldest line is dropped first. */
export class LogBuffer {
  readonly #capacity: number;
  #entries: LogEntry[] = [];
  #dropped = 0;

  /** @throws TypeError when `capacity` is not a positive integer. */
  constructor(capacity = DEFAULT_LOG_BUFFER_SIZE) {
    this.#capacity = positiveInteger(capacity, 'logger.bufferSize');
  }

  /** Appends a line, dropping the oldest when full. */
  push(entry: LogEntry): void {
    if (this.#entries.length >= this.#capacity) {
      // Drop a tenth at once so the amortised cost of shifting stays O(1) per line.
      const drop = Math.max(1, Math.floor(this.#capacity / 10));
      this.#entries = this.#entries.slice(drop);
      this.#dropped += drop;
    }
    this.#entries.push(entry);
  }

  /** Lines matching the query, oldest first. */
  query(query: LogQuery = {}): LogEntry[] {
    const min = query.minLevel ? LOG_LEVELS.indexOf(query.minLevel) : 0;
    const out = this.#entries.filter(
      (e) => LOG_LEVELS.indexOf(e.level) >= min && (query.traceId === undefined || e.traceId === query.traceId),
    );
    return query.limit !== undefined ? out.slice(-query.limit) : out;
  }

  /** Lines held now. */
  get size(): number {
    return this.#entries.length;
  }

  /** Lines dropped to stay within capacity. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Empties the buffer. */
  clear(): void {
    this.#entries = [];
  }
}
