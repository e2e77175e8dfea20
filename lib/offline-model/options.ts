/**
 * Options of the offline model server, their defaults, and their validation (a TypeError naming the
 * option, thrown when the server is started).
 */

/** A fault the server can inject: an HTTP 429 with `retry-after`, an HTTP 500, or a dropped connection. */
export type OfflineFault = '429' | '500' | 'drop';

/** Options of `startOfflineModelServer`. Every field is optional. */
export interface OfflineModelOptions {
  /** Port on 127.0.0.1; 0 picks a free one. @default 0 */
  port?: number;
  /** Seed of the pseudo-random generator (words, token counts, random faults). @default 1 */
  seed?: number;
  /** Delay before a non-streamed response is sent, in ms. @default 20 */
  latencyMs?: number;
  /** Delay before the first streamed token, in ms. @default 50 */
  ttftMs?: number;
  /** Pace of streamed tokens after the first. @default 200 */
  tokensPerSecond?: number;
  /**
   * Output tokens per answer: a fixed count, or `[min, max]` drawn from the seeded generator.
   * @default [8, 24]
   */
  outputTokens?: number | readonly [number, number];
  /** Fraction of requests (0..1) that fail with a fault drawn from `faults`. @default 0 */
  errorRate?: number;
  /** Faults `errorRate` draws from. @default ['429', '500', 'drop'] */
  faults?: readonly OfflineFault[];
  /** What a 429 asks the client to wait, in ms (sent as `retry-after` seconds, rounded up, and `retry-after-ms`). @default 1000 */
  retryAfterMs?: number;
  /** Length of returned embedding vectors. @default 8 */
  embeddingDimensions?: number;
}

/** @internal Options with every default filled in. */
export interface ResolvedOfflineOptions {
  port: number;
  seed: number;
  latencyMs: number;
  ttftMs: number;
  tokensPerSecond: number;
  outputTokens: readonly [number, number];
  errorRate: number;
  faults: readonly OfflineFault[];
  retryAfterMs: number;
  embeddingDimensions: number;
}

const FAULTS: readonly OfflineFault[] = ['429', '500', 'drop'];

function describe(value: unknown): string {
  return `${Array.isArray(value) ? JSON.stringify(value) : String(value)} (${typeof value})`;
}

function nonNegative(value: unknown, option: string, fallback: number, integer = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new TypeError(`llmtrace: ${option} must be a non-negative ${integer ? 'integer' : 'number'}, got ${describe(value)}`);
  }
  return value;
}

function tokenRange(value: OfflineModelOptions['outputTokens']): readonly [number, number] {
  if (value === undefined) return [8, 24];
  if (typeof value === 'number') {
    const n = nonNegative(value, 'outputTokens', 0, true);
    if (n < 1) throw new TypeError(`llmtrace: outputTokens must be at least 1, got ${describe(value)}`);
    return [n, n];
  }
  if (Array.isArray(value) && value.length === 2) {
    const [min, max] = value.map((v) => nonNegative(v, 'outputTokens', 0, true)) as [number, number];
    if (min >= 1 && max >= min) return [min, max];
  }
  throw new TypeError(`llmtrace: outputTokens must be a positive integer or [min, max], got ${describe(value)}`);
}

/** @internal Validates options and fills in defaults. Throws a TypeError naming the bad option. */
export function resolveOfflineOptions(options: OfflineModelOptions = {}): ResolvedOfflineOptions {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`llmtrace: offline model server options must be an object, got ${describe(options)}`);
  }
  const port = nonNegative(options.port, 'port', 0, true);
  if (port > 65535) throw new TypeError(`llmtrace: port must be at most 65535, got ${describe(port)}`);
  const errorRate = nonNegative(options.errorRate, 'errorRate', 0);
  if (errorRate > 1) throw new TypeError(`llmtrace: errorRate must be between 0 and 1, got ${describe(errorRate)}`);
  const faults = options.faults ?? FAULTS;
  if (!Array.isArray(faults) || faults.length === 0 || faults.some((f) => !FAULTS.includes(f))) {
    throw new TypeError(`llmtrace: faults must be a non-empty list of '429', '500', 'drop', got ${describe(faults)}`);
  }
  const tokensPerSecond = nonNegative(options.tokensPerSecond, 'tokensPerSecond', 200);
  if (tokensPerSecond === 0) throw new TypeError('llmtrace: tokensPerSecond must be greater than 0, got 0 (number)');
  const embeddingDimensions = nonNegative(options.embeddingDimensions, 'embeddingDimensions', 8, true);
  if (embeddingDimensions < 1) {
    throw new TypeError(`llmtrace: embeddingDimensions must be at least 1, got ${describe(embeddingDimensions)}`);
  }
  return {
    port,
    seed: nonNegative(options.seed, 'seed', 1, true),
    latencyMs: nonNegative(options.latencyMs, 'latencyMs', 20),
    ttftMs: nonNegative(options.ttftMs, 'ttftMs', 50),
    tokensPerSecond,
    outputTokens: tokenRange(options.outputTokens),
    errorRate,
    faults,
    retryAfterMs: nonNegative(options.retryAfterMs, 'retryAfterMs', 1000),
    embeddingDimensions,
  };
}
