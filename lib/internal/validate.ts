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
