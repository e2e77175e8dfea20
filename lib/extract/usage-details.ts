/**
 * The usage details beyond input, output and cache-read tokens (cache writes, reasoning tokens),
 * written to a span's attributes, and the one diagnostic for a model call whose result shows no
 * usage llmtrace can read.
 */
import { GenAI } from '../attributes.js';
import { warnOnce } from '../internal/diagnostics.js';
import type { Attributes } from '../span.js';
import { hasUsage, type CallResult } from './call-result.js';

/** @internal Writes the cache-write and reasoning counts of `result` to `attributes`, when known. */
export function applyUsageDetails(attributes: Attributes, result: CallResult): void {
  if (result.cacheWriteInputTokens !== undefined) {
    attributes[GenAI.USAGE_CACHE_CREATION_INPUT_TOKENS] = result.cacheWriteInputTokens;
  }
  if (result.reasoningTokens !== undefined) attributes[GenAI.USAGE_REASONING_OUTPUT_TOKENS] = result.reasoningTokens;
}

/** What a function without readable usage is known by: its compiled plan (one per wrapped function). */
export interface UsageReader {
  readonly name: string;
  readonly extractor: unknown;
}

const reported = new WeakSet<UsageReader>();

function describeValue(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (typeof value !== 'object') return `a ${typeof value}`;
  if (Array.isArray(value)) return 'an array';
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' && name !== 'Object' ? `a ${name}` : 'an object';
}

/**
 * @internal Called when a span of kind `llm` ends with `value` as its result and `found` as what the
 * extractors read from it: when that shows no token usage, logs one warning per function (not per
 * call) that names the fix. A function whose own `extractor` recognised the value is left alone.
 */
export function checkUsageFound(reader: UsageReader, found: CallResult | undefined, value: unknown): void {
  if (hasUsage(found) || reported.has(reader) || (found !== undefined && reader.extractor !== undefined)) return;
  reported.add(reader);
  warnOnce(
    `extract.no-usage:${reader.name}`,
    `llmtrace: '${reader.name}' is traced as kind 'llm' but returned ${describeValue(value)} with no token usage llmtrace ` +
      `can read, so its spans get no tokens or cost. Pass an \`extractor\` option (traced(fn, { extractor }) or ` +
      `@traceModelCall({ extractor })) or call registerExtractor(...) for this shape; use kind 'chain' if it is not a model call.`,
    { function: reader.name },
  );
}
