/**
 * Alert rules over window summaries: "error rate above 5%", "p90 above 2 s", "cost above $1 per
 * window", for every group or only some functions/models. Evaluated once per window per matching
 * group. A rule reports when it starts firing and when it recovers, not every window it keeps firing
 * (unless `repeatEveryWindows` asks for a reminder), so a lasting problem does not flood the log.
 * A window in which a group had no calls (or fewer than `minCalls`) leaves its state unchanged.
 */
import { invalidOption } from '../internal/validate.js';
import type { WindowSummary } from './window-summary.js';

/** What a rule watches. `errorRate` is failureCount / callCount (0..1); `costUsd` is per window. */
export type AlertMetric = 'errorRate' | 'p50Ms' | 'p90Ms' | 'p99Ms' | 'avgMs' | 'maxMs' | 'ttftP90Ms' | 'costUsd';

const METRICS: readonly AlertMetric[] = ['errorRate', 'p50Ms', 'p90Ms', 'p99Ms', 'avgMs', 'maxMs', 'ttftP90Ms', 'costUsd'];

/** One alert rule. It fires for a group when the metric is strictly above `above`. */
export interface AlertRule {
  /** Name used in log lines and events. @default `${metric} > ${above}` */
  name?: string;
  /** The watched figure. */
  metric: AlertMetric;
  /** Threshold: a ratio for `errorRate`, milliseconds for latencies, USD for `costUsd`. */
  above: number;
  /** Only this function (`llmtrace.function`). @default every function */
  function?: string;
  /** Only this model: its model calls (with `function` too: that function's spans of it). @default every model */
  model?: string;
  /**
   * Windows with fewer calls are not evaluated (one failure in one call is not a 100% error rate).
   * @default 1
   */
  minCalls?: number;
  /**
   * While a rule keeps firing, report it again every this many windows; 0 reports only the start
   * and the recovery.
   * @default 0
   */
  repeatEveryWindows?: number;
}

/** A change of an alert's state (or a reminder that it still fires). */
export interface AlertEvent {
  /** The rule's name. */
  rule: string;
  /** `firing` when the rule starts firing (or is repeated), `resolved` when it recovers. */
  state: 'firing' | 'resolved';
  metric: AlertMetric;
  /** The metric's value in this window. */
  value: number;
  threshold: number;
  function: string;
  model: string;
  windowStart: number;
  windowEnd: number;
  /** Consecutive evaluated windows the rule has fired (0 on `resolved`). */
  windowsFiring: number;
}

interface CompiledRule extends Required<Omit<AlertRule, 'function' | 'model'>> {
  readonly function: string | undefined;
  readonly model: string | undefined;
}

/** Validates alert rules. Throws a TypeError naming the rule and field when one is invalid. */
function compileAlertRules(rules: readonly AlertRule[]): CompiledRule[] {
  if (!Array.isArray(rules)) invalidOption('alerts', 'an array of alert rules', rules);
  return rules.map((rule: AlertRule, i) => {
    const at = `alerts[${i}]`;
    if (rule === null || typeof rule !== 'object') invalidOption(at, 'an object { metric, above, ... }', rule);
    if (!METRICS.includes(rule.metric)) invalidOption(`${at}.metric`, `one of ${METRICS.join(', ')}`, rule.metric);
    if (typeof rule.above !== 'number' || !Number.isFinite(rule.above)) invalidOption(`${at}.above`, 'a finite number', rule.above);
    for (const field of ['name', 'function', 'model'] as const) {
      if (rule[field] !== undefined && typeof rule[field] !== 'string') invalidOption(`${at}.${field}`, 'a string', rule[field]);
    }
    const minCalls = rule.minCalls ?? 1;
    if (!Number.isInteger(minCalls) || minCalls < 1) invalidOption(`${at}.minCalls`, 'a positive integer', minCalls);
    const repeat = rule.repeatEveryWindows ?? 0;
    if (!Number.isInteger(repeat) || repeat < 0) invalidOption(`${at}.repeatEveryWindows`, 'a non-negative integer', repeat);
    return {
      name: rule.name ?? `${rule.metric} > ${rule.above}`,
      metric: rule.metric,
      above: rule.above,
      function: rule.function,
      model: rule.model,
      minCalls,
      repeatEveryWindows: repeat,
    };
  });
}

function valueOf(summary: WindowSummary, metric: AlertMetric): number | null {
  if (metric === 'errorRate') return summary.callCount === 0 ? null : summary.failureCount / summary.callCount;
  return summary[metric];
}

/** Keeps the firing state of every (rule, group) and turns window summaries into alert events. */
export class AlertEvaluator {
  readonly #rules: CompiledRule[];
  /** Consecutive firing windows per (rule index, function, model); absent when not firing. */
  readonly #firing = new Map<string, number>();

  /** @throws TypeError when a rule is invalid. */
  constructor(rules: readonly AlertRule[]) {
    this.#rules = compileAlertRules(rules);
  }

  /** Evaluates every rule against one window's summaries; returns the events to report. */
  evaluate(summaries: readonly WindowSummary[]): AlertEvent[] {
    const events: AlertEvent[] = [];
    for (const summary of summaries) {
      this.#rules.forEach((rule, index) => {
        const event = this.#evaluateOne(rule, index, summary);
        if (event) events.push(event);
      });
    }
    return events;
  }

  #evaluateOne(rule: CompiledRule, index: number, summary: WindowSummary): AlertEvent | undefined {
    if (rule.function !== undefined && rule.function !== summary.function) return undefined;
    if (rule.model !== undefined && rule.model !== summary.model) return undefined;
    // A model's rule watches its calls, not the wrappers of them (unless it names their function too).
    if (rule.model !== undefined && rule.function === undefined && summary.modelCalls === false) return undefined;
    if (summary.callCount < rule.minCalls) return undefined;
    const value = valueOf(summary, rule.metric);
    if (value === null) return undefined;
    const key = JSON.stringify([index, summary.function, summary.model]);
    const before = this.#firing.get(key) ?? 0;
    const event = (state: AlertEvent['state'], windowsFiring: number): AlertEvent => ({
      rule: rule.name,
      state,
      metric: rule.metric,
      value,
      threshold: rule.above,
      function: summary.function,
      model: summary.model,
      windowStart: summary.windowStart,
      windowEnd: summary.windowEnd,
      windowsFiring,
    });
    if (value > rule.above) {
      const now = before + 1;
      this.#firing.set(key, now);
      if (before === 0) return event('firing', now);
      if (rule.repeatEveryWindows > 0 && (now - 1) % rule.repeatEveryWindows === 0) return event('firing', now);
      return undefined;
    }
    if (before === 0) return undefined;
    this.#firing.delete(key);
    return event('resolved', 0);
  }
}
