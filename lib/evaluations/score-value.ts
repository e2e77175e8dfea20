/**
 * Score values: numbers, booleans and categories, validated at the call, and their numeric
 * reading for means and thresholds (a boolean counts 1 or 0, a category has none).
 */
import { invalidOption } from '../internal/validate.js';
import type { ScoreValue } from './types.js';

/** @internal `value` when it is a finite number, a boolean or a non-empty string; else throws naming `option`. */
export function checkScoreValue(value: unknown, option: string): ScoreValue {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && value !== '') return value;
  return invalidOption(option, 'a finite number, a boolean or a non-empty category string', value);
}

/** The numeric reading of a score: the number itself, 1/0 for true/false, undefined for a category. */
export function numericScore(value: ScoreValue | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return undefined;
}
