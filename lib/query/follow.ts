/**
 * Following a store while a program writes it (what `llmtrace tail` prints and a live dashboard
 * shows): polls the source, yields each span once, as it lands. Only the recent past is re-read
 * each poll (segments of older windows are skipped by the reader), and only the ids of that
 * recent past are remembered, so memory stays bounded however long it runs.
 */
import type { SpanData } from '../span.js';
import { checkQueryOptions } from './option-schemas.js';
import type { QuerySource } from './source.js';

/** Poll interval when none is given, ms. */
export const DEFAULT_FOLLOW_POLL_MS = 500;

/** How far back each poll looks for late-written spans (batching delays writes by seconds), ms. */
export const FOLLOW_LOOKBACK_MS = 5 * 60_000;

/** Options of `followSpans`. */
export interface FollowOptions {
  /** Yield spans that ended at or after this time, epoch ms. @default now */
  from?: number;
  /** Poll interval, ms. @default 500 (DEFAULT_FOLLOW_POLL_MS) */
  pollMs?: number;
  /** Stops following when it resolves (the generator then returns). */
  stop: Promise<void>;
  /** The clock. @default Date.now */
  now?: () => number;
}

function pause(ms: number, stop: Promise<void>): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void stop.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * New spans of `source` as they land, in the order read, until `options.stop` resolves.
 * @example
 * const controller = Promise.withResolvers<void>();
 * for await (const span of followSpans(source, { stop: controller.promise })) console.log(span.name);
 */
export async function* followSpans(source: QuerySource, options: FollowOptions): AsyncGenerator<SpanData> {
  checkQueryOptions('followSpans', options);
  const now = options.now ?? Date.now;
  const start = options.from ?? now();
  const pollMs = options.pollMs ?? DEFAULT_FOLLOW_POLL_MS;
  let stopped = false;
  void options.stop.then(() => {
    stopped = true;
  });
  let seen = new Set<string>();
  for (let first = true; !stopped; first = false) {
    const from = first ? start : Math.max(start, now() - FOLLOW_LOOKBACK_MS);
    const current = new Set<string>();
    for await (const span of source.spans({ from })) {
      current.add(span.id);
      if (!seen.has(span.id)) yield span;
      if (stopped) return;
    }
    seen = current;
    if (await pause(pollMs, options.stop)) return;
  }
}
