/**
 * The seam between model responses and spans: an extractor reads one provider's response shape and
 * returns the facts a span records. Extractors are pure: no I/O, no span access, never throw on
 * foreign input (they return undefined).
 */

/** Facts read from a model response. */
export interface CallResult {
  /** Provider, as `gen_ai.provider.name` spells it (`openai`, `anthropic`, `ollama`, `llama.cpp`). */
  provider?: string;
  /** The model that answered. */
  model?: string;
  /** Response id. */
  responseId?: string;
  /** Prompt tokens (including cached ones). */
  inputTokens?: number;
  /** Generated tokens. */
  outputTokens?: number;
  /** Prompt tokens served from the provider's prompt cache. */
  cachedInputTokens?: number;
  /** Why generation stopped, one per choice. */
  finishReasons?: string[];
}

/** Reads a response of one shape; returns undefined when `response` is not that shape. */
export type ResultExtractor = (response: unknown) => CallResult | undefined;

/** @internal `value` as a record, or undefined. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
}

/** @internal `value` when it is a finite non-negative number. */
export function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** @internal `value` when it is a non-empty string. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** @internal Drops undefined fields so results compare and serialise cleanly. */
export function compact(result: CallResult): CallResult {
  const out: CallResult = {};
  for (const [key, value] of Object.entries(result)) {
    if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  }
  return out;
}
