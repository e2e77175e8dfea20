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
  /** Prompt tokens served from the provider's prompt cache (included in `inputTokens`). */
  cachedInputTokens?: number;
  /** Prompt tokens written to the provider's prompt cache (included in `inputTokens`). */
  cacheWriteInputTokens?: number;
  /** Generated tokens spent on reasoning or thinking (included in `outputTokens`). */
  reasoningTokens?: number;
  /** Why generation stopped, one per choice. */
  finishReasons?: readonly string[];
  /**
   * The choice index of each of `finishReasons`, when the response numbers its choices. A stream of
   * n > 1 choices finishes each in its own chunk: with indexes, the reasons of later chunks are
   * merged by choice instead of replacing the earlier ones.
   */
  finishChoices?: readonly number[];
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

/**
 * @internal A result of one fixed shape (every field present, unknown ones undefined), for the
 * extractor to fill in. One allocation, and every result shares one hidden class, so reading and
 * merging them stays monomorphic on the hot path (issue 13; `npm run bench`).
 */
export function newResult(provider: string | undefined): CallResult {
  return {
    provider,
    model: undefined,
    responseId: undefined,
    inputTokens: undefined,
    outputTokens: undefined,
    cachedInputTokens: undefined,
    cacheWriteInputTokens: undefined,
    reasoningTokens: undefined,
    finishReasons: undefined,
    finishChoices: undefined,
  };
}

/** @internal The sum of two counts, where either may be unknown (undefined only when both are). */
export function sum(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : a + b;
}

/** Distinct one-reason lists kept for sharing (the reasons of real providers are a dozen words). */
const MAX_SHARED_REASONS = 64;

const sharedReasons = new Map<string, readonly string[]>();

/**
 * @internal `[reason]` when `reason` is a non-empty string, else undefined. The list is frozen and
 * shared by every result with that one reason: it is retained by every kept span
 * (`gen_ai.response.finish_reasons`), and one array per span costs ~56 B of the retained span
 * (benchmarks/retained-span.ts).
 */
export function oneReason(reason: unknown): readonly string[] | undefined {
  if (typeof reason !== 'string' || reason === '') return undefined;
  let list = sharedReasons.get(reason);
  if (list === undefined) {
    list = Object.freeze([reason]);
    if (sharedReasons.size < MAX_SHARED_REASONS && reason.length <= 64) sharedReasons.set(reason, list);
  }
  return list;
}

/** @internal Whether `result` carries a token count. */
export function hasUsage(result: CallResult | undefined): boolean {
  return result !== undefined && (result.inputTokens !== undefined || result.outputTokens !== undefined);
}

/** @internal Drops undefined fields so results compare and serialise cleanly. */
export function compact(result: CallResult): CallResult {
  const out: CallResult = {};
  for (const [key, value] of Object.entries(result)) {
    if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  }
  return out;
}

/**
 * @internal The finish reasons `read` finds in each item of `items` (an array of choices or
 * candidates), or undefined when there are none. One reason (one choice: the common case) gives
 * the shared list of `oneReason`.
 */
export function reasonsOf(items: unknown, read: (item: unknown) => string | undefined): readonly string[] | undefined {
  if (!Array.isArray(items)) return undefined;
  let first: string | undefined;
  let reasons: string[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const reason = read(items[i]);
    if (reason === undefined) continue;
    if (reasons) reasons.push(reason);
    else if (first === undefined) first = reason;
    else reasons = [first, reason];
  }
  return reasons ?? oneReason(first);
}
