/** `@monitorLLM`: metrics only (timing, status, model, tokens, cost), never content. */
import type { TraceOptions } from '../lib/record/call-plan.js';
import { createMethodDecorator, type MethodDecorator } from './method-decorator.js';
import { checkOptions } from '../lib/internal/option-schemas.js';

/** Options of `@monitorLLM`: those of `@traceModelCall` without content capture. */
export type MonitorOptions = Omit<TraceOptions, 'capture' | 'maxContentBytes'>;

/**
 * Records a metrics-only span for each call of the decorated method: timing, status, model, token
 * usage and errors, with no request or response content and no content events. The cheaper of the
 * two decorators. Works with standard and legacy decorators alike.
 * @example
 * class LLMClient {
 *   @monitorLLM({ kind: 'embedding' })
 *   async embed(text: string) { ... }
 * }
 */
export function monitorLLM(options: MonitorOptions = {}): MethodDecorator {
  checkOptions('monitorLLM', options);
  return createMethodDecorator('monitorLLM', { ...options, capture: 'off' });
}
