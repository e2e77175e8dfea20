/**
 * Option validation shared by every configurable part: one wording for the one-line TypeError a bad
 * option gets (`llmtrace: <option> must be ..., got <value> (<type>)`), thrown at configuration time.
 */

/**
 * `value` when it is a positive integer, `fallback` when it is undefined (and a fallback is given);
 * otherwise throws a TypeError naming `option`, the value and its type.
 */
export function positiveInteger(value: unknown, option: string, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new TypeError(`llmtrace: ${option} must be a positive integer, got ${String(value)} (${typeof value})`);
  }
  return value;
}
