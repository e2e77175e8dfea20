/** `@traceModelCall`: the full span of a model call, with request/response content per the capture mode. */
import type { TraceOptions } from '../lib/record/call-plan.js';
import { createMethodDecorator, type MethodDecorator } from './method-decorator.js';
import { checkOptions } from '../lib/internal/option-schemas.js';

/**
 * Records a full span for each call of the decorated method: timing, status, model, tokens, errors,
 * and request/response content as `capture` says (default: sizes only). Works with standard and
 * legacy (`experimentalDecorators`) decorators alike.
 * Throws a TypeError naming the option when an option is invalid.
 * @example
 * class LLMClient {
 *   @traceModelCall({ modelParam: 'model', context: 'agent_turn' })
 *   async generateText(prompt: string, model = 'mistral:latest') { ... }
 * }
 */
export function traceModelCall(options: TraceOptions = {}): MethodDecorator {
  checkOptions('traceModelCall', options);
  return createMethodDecorator('traceModelCall', options);
}
