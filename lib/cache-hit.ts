/**
 * Marking a call served from the caller's own cache. `markCacheHit()` inside a traced call sets
 * `llmtrace.cached` on its span; the aggregator counts `true` as a hit and `false` as a miss, and
 * keeps hits out of latency and cost figures so a cache does not make the model look fast or cheap.
 */
import { LLMTrace } from './attributes.js';
import { currentSpan } from './context.js';

/**
 * Marks the current span as served from a cache (`hit = true`) or as a cache miss (`false`).
 * Returns false when there is no current span.
 * @example
 * class Assistant {
 *   @traceModelCall()
 *   async answer(question: string) {
 *     const hit = cache.get(question);
 *     markCacheHit(hit !== undefined);
 *     return hit ?? (await this.model.complete(question));
 *   }
 * }
 */
export function markCacheHit(hit = true): boolean {
  const span = currentSpan();
  if (!span) return false;
  span.setAttribute(LLMTrace.CACHED, hit === true);
  return true;
}
