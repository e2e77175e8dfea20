/**
 * Aggregator: turns finished spans into one WindowSummary per (function, model) group per time
 * window. It subscribes to a TraceStore (every span, sampled in or not, so aggregates count every
 * call), keeps fixed-size running figures per group (see GroupWindow), and at the end of each window
 * (a timer that never keeps the process alive, or `flush()`) it writes one `LLM_AGGREGATED_METRICS`
 * log line per group, evaluates the alert rules, and hands the summaries to `onSummary` listeners
 * (the JSON file store persists them that way).
 *
 * Groups: `llmtrace.function` (else the span name) and model = `gen_ai.response.model` ??
 * `gen_ai.request.model` ?? 'unknown'. Scope spans (session, run, iteration, request) are skipped by
 * default: they contain the calls they would count twice.
 */
import { ALERT_LOG_MESSAGE, ALERT_RESOLVED_LOG_MESSAGE, SUMMARY_LOG_MESSAGE } from './log-messages.js';
import { callModelOf, isModelCallOf, LLMTrace } from '../attributes.js';
import { ModelAliases } from '../model-aliases.js';
import { checkKind } from '../record/call-plan.js';
import { getLogger, getStore } from '../config.js';
import { suppressTracing } from '../context.js';
import { reportInternalError, warnOnce } from '../internal/diagnostics.js';
import { onExit } from '../internal/exit-hooks.js';
import { checkBoolean, invalidOption } from '../internal/validate.js';
import type { TraceLogger } from '../logger.js';
import type { SpanKind } from '../span.js';
import { TraceStore } from '../trace-store.js';
import { AlertEvaluator, type AlertEvent, type AlertRule } from './alerts.js';
import { GroupWindow, type AggregatedSpan } from './group-window.js';
import { alertLogFields, summaryLogFields } from './summary-log.js';
import type { WindowSummary } from './window-summary.js';
import { checkOptions } from '../internal/option-schemas.js';
import { DEFAULT_AGGREGATED_KINDS } from './aggregated-kinds.js';

/** Default window length: one summary per group per minute. */
export const DEFAULT_AGGREGATION_INTERVAL_MS = 60_000;


/** Default cap on groups per window; further groups are counted under ('(other)', '(other)'). */
export const DEFAULT_MAX_GROUPS = 1_000;

/** Group that takes the calls of groups beyond `maxGroups`. */
export const OVERFLOW_GROUP = '(other)';

/** Receives the summaries of one window (one per group; never an empty array). */
export type SummaryListener = (summaries: readonly WindowSummary[]) => void;

/** Receives alert events. */
export type AlertListener = (alert: AlertEvent) => void;

/** Options of an Aggregator. */
export interface AggregatorOptions {
  /** The store to subscribe to on `start()`. @default the configured store (`getStore()`) at start */
  store?: TraceStore;
  /**
   * Window length in milliseconds.
   * @default 60000 (DEFAULT_AGGREGATION_INTERVAL_MS)
   */
  intervalMs?: number;
  /**
   * Span kinds counted.
   * @default every kind but session, run, iteration and request (DEFAULT_AGGREGATED_KINDS)
   */
  kinds?: readonly SpanKind[];
  /**
   * Most (function, model) groups per window; further groups are counted under '(other)'.
   * @default 1000 (DEFAULT_MAX_GROUPS)
   */
  maxGroups?: number;
  /** The logger summary and alert lines go to. @default the configured logger at each window */
  logger?: TraceLogger;
  /**
   * Write one `LLM_AGGREGATED_METRICS` line per group per window.
   * @default true
   */
  logSummaries?: boolean;
  /** Alert rules evaluated each window. @default [] */
  alerts?: readonly AlertRule[];
}

/**
 * Aggregates finished spans into per-window, per-group summaries.
 * @example
 * const aggregator = new Aggregator({ intervalMs: 60_000, alerts: [{ metric: 'errorRate', above: 0.05, minCalls: 20 }] });
 * aggregator.onSummary((summaries) => fileStore.writeSummaries(summaries));
 * aggregator.start();
 * // ... at shutdown:
 * aggregator.stop();
 */
export class Aggregator {
  readonly #options: AggregatorOptions;
  readonly #intervalMs: number;
  readonly #kinds: ReadonlySet<SpanKind>;
  readonly #maxGroups: number;
  readonly #alerts: AlertEvaluator;
  readonly #summaryListeners: SummaryListener[] = [];
  readonly #alertListeners: AlertListener[] = [];
  /** Groups of model calls, by function then model; `#otherGroups` the same for every other kind counted. */
  #groups = new Map<string, Map<string, GroupWindow>>();
  #otherGroups = new Map<string, Map<string, GroupWindow>>();
  /** The names answered calls give their models, over the aggregator's life. */
  readonly #aliases = new ModelAliases();
  #groupCount = 0;
  #windowStart = Date.now();
  #timer: ReturnType<typeof setInterval> | undefined;
  #unsubscribe: (() => void) | undefined;
  #removeExitHook: (() => void) | undefined;

  /** @throws TypeError naming the option when one is invalid. */
  constructor(options: AggregatorOptions = {}) {
    checkOptions('Aggregator', options);
    if (options === null || typeof options !== 'object') invalidOption('aggregator options', 'an object', options);
    const interval = options.intervalMs ?? DEFAULT_AGGREGATION_INTERVAL_MS;
    if (typeof interval !== 'number' || !Number.isFinite(interval) || interval < 1) {
      invalidOption('intervalMs', 'a positive number of milliseconds', interval);
    }
    const maxGroups = options.maxGroups ?? DEFAULT_MAX_GROUPS;
    if (!Number.isInteger(maxGroups) || maxGroups < 1) invalidOption('maxGroups', 'a positive integer', maxGroups);
    if (options.kinds !== undefined && !Array.isArray(options.kinds)) invalidOption('kinds', 'an array of span kinds', options.kinds);
    const kinds = (options.kinds ?? DEFAULT_AGGREGATED_KINDS).map((kind) => checkKind(kind));
    if (options.logSummaries !== undefined) checkBoolean(options.logSummaries, 'logSummaries');
    if (options.store !== undefined && !(options.store instanceof TraceStore)) {
      invalidOption('store', 'a TraceStore (new TraceStore({ maxSpans }))', options.store);
    }
    if (options.logger !== undefined && (typeof options.logger !== 'object' || !('log' in options.logger))) {
      invalidOption('logger', 'a TraceLogger (createLogger())', options.logger);
    }
    this.#options = options;
    this.#intervalMs = interval;
    this.#maxGroups = maxGroups;
    this.#kinds = new Set(kinds);
    this.#alerts = new AlertEvaluator(options.alerts ?? []);
  }

  /** True between `start()` and `stop()`. */
  get running(): boolean {
    return this.#timer !== undefined;
  }

  /**
   * Subscribes to the store and starts the window timer (unref'd: it never keeps the process
   * alive). Idempotent. The current window starts now. While running, the last (partial) window is
   * closed at process exit, synchronously, so its summaries reach the listeners (the file store
   * writes them on `exit` too).
   */
  start(): this {
    if (this.#timer) return this;
    this.#unsubscribe = (this.#options.store ?? getStore()).subscribe((span) => this.record(span));
    this.#windowStart = Date.now();
    // flush() never throws; the timer callback is the host's event loop, so it must not.
    this.#timer = setInterval(() => this.flush(), this.#intervalMs);
    this.#timer.unref();
    this.#removeExitHook = onExit('aggregator', async () => undefined, () => void this.flush());
    return this;
  }

  /**
   * Ends the current window (see `flush`), stops the timer and unsubscribes. Idempotent.
   * Returns the summaries of the window it closed.
   */
  stop(): WindowSummary[] {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#removeExitHook?.();
    this.#removeExitHook = undefined;
    return this.flush();
  }

  /**
   * Counts one finished span (what the store subscription calls; also usable to replay stored
   * spans). Spans of kinds not aggregated are ignored. Never throws.
   */
  record(span: AggregatedSpan): void {
    try {
      if (!this.#kinds.has(span.kind)) return;
      const fn = span.attributes[LLMTrace.FUNCTION];
      const modelCall = isModelCallOf(span.kind, span.attributes);
      // As `stats` counts it: a failure named by a deployment goes with the model its answered calls named.
      const named = modelCall ? this.#aliases.learn(span.attributes) : callModelOf(span.attributes);
      const model = named === undefined ? 'unknown' : modelCall ? this.#aliases.countedName(named) : named;
      this.#group(typeof fn === 'string' ? fn : span.name, model, modelCall).add(span);
    } catch (error) {
      reportInternalError('aggregator.record', error);
    }
  }

  /**
   * Ends the current window now: returns one summary per group that had calls, logs them, evaluates
   * alerts and notifies listeners; a new window starts. Returns [] when the window was empty.
   * Never throws: a group whose summary fails is reported (diagnostics) and left out, the other
   * groups' summaries are still published; a throwing logger or listener is reported the same way.
   */
  flush(): WindowSummary[] {
    try {
      return this.#flush();
    } catch (error) {
      reportInternalError('aggregator.flush', error);
      return [];
    }
  }

  #flush(): WindowSummary[] {
    const windowEnd = Date.now();
    const windowStart = this.#windowStart;
    const groups = [[this.#groups, true], [this.#otherGroups, false]] as const;
    this.#windowStart = windowEnd;
    this.#groups = new Map();
    this.#otherGroups = new Map();
    this.#groupCount = 0;
    const summaries: WindowSummary[] = [];
    for (const [byFunction, modelCalls] of groups) {
      for (const [fn, models] of byFunction) {
        for (const [model, group] of models) {
          try {
            summaries.push(group.summarise(fn, model, modelCalls, windowStart, windowEnd));
          } catch (error) {
            reportInternalError('aggregator.summarise', error);
          }
        }
      }
    }
    if (summaries.length === 0) return summaries;
    suppressTracing(() => this.#publish(summaries));
    return summaries;
  }

  /** Calls `listener` with each window's summaries. Returns the function that unsubscribes. */
  onSummary(listener: SummaryListener): () => void {
    return this.#listen(this.#summaryListeners, listener, 'onSummary');
  }

  /** Calls `listener` with each alert event. Returns the function that unsubscribes. */
  onAlert(listener: AlertListener): () => void {
    return this.#listen(this.#alertListeners, listener, 'onAlert');
  }

  #listen<L>(list: L[], listener: L, name: string): () => void {
    if (typeof listener !== 'function') invalidOption(name, 'a function', listener);
    list.push(listener);
    return () => {
      const at = list.indexOf(listener);
      if (at >= 0) list.splice(at, 1);
    };
  }

  #group(fn: string, model: string, modelCall: boolean): GroupWindow {
    const byFunction = modelCall ? this.#groups : this.#otherGroups;
    let models = byFunction.get(fn);
    let group = models?.get(model);
    if (group) return group;
    if (this.#groupCount >= this.#maxGroups) {
      warnOnce(
        'aggregator.max-groups',
        `llmtrace: more than ${this.#maxGroups} (function, model) groups in one window; the rest are counted under '${OVERFLOW_GROUP}'`,
      );
      return this.#overflow();
    }
    if (!models) {
      models = new Map();
      byFunction.set(fn, models);
    }
    group = new GroupWindow();
    models.set(model, group);
    this.#groupCount++;
    return group;
  }

  #overflow(): GroupWindow {
    let models = this.#groups.get(OVERFLOW_GROUP);
    if (!models) {
      models = new Map();
      this.#groups.set(OVERFLOW_GROUP, models);
    }
    let group = models.get(OVERFLOW_GROUP);
    if (!group) {
      group = new GroupWindow();
      models.set(OVERFLOW_GROUP, group);
    }
    return group;
  }

  #publish(summaries: WindowSummary[]): void {
    const logger = this.#options.logger ?? getLogger();
    if (this.#options.logSummaries ?? true) {
      for (const summary of summaries) {
        try {
          logger.log.info(SUMMARY_LOG_MESSAGE, summaryLogFields(summary));
        } catch (error) {
          reportInternalError('aggregator.log', error);
        }
      }
    }
    let alerts: AlertEvent[] = [];
    try {
      alerts = this.#alerts.evaluate(summaries);
    } catch (error) {
      reportInternalError('aggregator.alerts', error);
    }
    for (const alert of alerts) {
      try {
        if (alert.state === 'firing') logger.log.warn(ALERT_LOG_MESSAGE, alertLogFields(alert));
        else logger.log.info(ALERT_RESOLVED_LOG_MESSAGE, alertLogFields(alert));
      } catch (error) {
        reportInternalError('aggregator.log', error);
      }
      for (const listener of this.#alertListeners.slice()) {
        try {
          listener(alert);
        } catch (error) {
          reportInternalError('aggregator.onAlert', error);
        }
      }
    }
    for (const listener of this.#summaryListeners.slice()) {
      try {
        listener(summaries);
      } catch (error) {
        reportInternalError('aggregator.onSummary', error);
      }
    }
  }
}
