/**
 * Option validation shared by every configurable part: one wording for the one-line TypeError a bad
 * option gets (`llmtrace: <option> must be ..., got <value> (<type>)`), thrown at configuration time.
 */

/** Throws the TypeError for a bad option: `llmtrace: <option> must be <what>, got <value> (<type>)`. */
export function invalidOption(option: string, what: string, value: unknown): never {
  throw new TypeError(`llmtrace: ${option} must be ${what}, got ${String(value)} (${typeof value})`);
}

/**
 * `value` when it is a positive integer, `fallback` when it is undefined (and a fallback is given);
 * otherwise throws a TypeError naming `option`, the value and its type.
 */
export function positiveInteger(value: unknown, option: string, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) invalidOption(option, 'a positive integer', value);
  return value;
}

/** `value` when it is a non-empty string; otherwise throws a TypeError naming `option`. */
export function checkNonEmptyString(value: unknown, option: string): string {
  if (typeof value !== 'string' || value === '') invalidOption(option, 'a non-empty string', value);
  return value;
}

/** `value` when it is a boolean; otherwise throws a TypeError naming `option`. */
export function checkBoolean(value: unknown, option: string): boolean {
  if (typeof value !== 'boolean') invalidOption(option, 'a boolean', value);
  return value;
}

/**
 * Throws a TypeError when `options` is not a plain object or holds a key not in `known`, naming the
 * nearest known key: `llmtrace: <where>: unknown option "filestore", did you mean "fileStore"?`.
 */
export function checkKnownKeys(options: unknown, known: readonly string[], where: string): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) invalidOption(`${where} options`, 'an object', options);
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const nearest = nearestKey(key, known);
    throw new TypeError(`llmtrace: ${where}: unknown option "${key}"${nearest === undefined ? '' : `, did you mean "${nearest}"?`}`);
  }
}

/** The known key closest to `key` by case-insensitive edit distance, when within a third of its length. */
export function nearestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.ceil(key.length / 3)) + 1;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

/** Levenshtein distance between `a` and `b`. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
