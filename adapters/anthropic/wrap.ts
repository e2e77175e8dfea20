/**
 * `instrumentAnthropic`: a Proxy over an `@anthropic-ai/sdk` client that records a span per
 * `messages.create` (JSON or `stream: true`) and `messages.stream` call. The returned `APIPromise`,
 * `Stream` and `MessageStream` are the SDK's own objects, followed as they are consumed.
 */
import type { RecorderHooks } from '../../lib/record/call-plan.js';
import {
  baseRequestAttributes,
  checkAdapterOptions,
  serverAttributes,
  type AdapterOptions,
} from '../internal/adapter-options.js';
import { adoptStainlessPromise } from '../internal/api-promise.js';
import { checkClient, instrumentClient, isInstrumented, type InstrumentedMethod } from '../internal/client-proxy.js';
import { observeEmittingStream } from '../internal/event-stream-observer.js';
import { isStainlessStream, observeStainlessStream } from '../internal/stream-observer.js';
import { anthropicRequestAttributes, readAnthropicEvent } from './parse.js';
import { checkOptions } from '../../lib/internal/option-schemas.js';

/** The methods instrumented, by path from the client. */
export const ANTHROPIC_METHODS = {
  'messages.create': { name: 'anthropic.messages.create', kind: 'llm', operation: 'chat' },
  'messages.stream': { name: 'anthropic.messages.stream', kind: 'llm', operation: 'chat' },
} as const;

function hooksFor(streamed: boolean, client: object, options: AdapterOptions): RecorderHooks {
  const server = serverAttributes((client as { baseURL?: unknown }).baseURL);
  const hooks: RecorderHooks = {
    requestAttributes: (args) => ({
      ...baseRequestAttributes('anthropic', server, options, args),
      ...anthropicRequestAttributes(args[0], streamed),
    }),
    adoptThenable: (value, call) => adoptStainlessPromise(value, call, hooks),
    adoptResult: (value, call) => {
      if (observeEmittingStream(value, call, readAnthropicEvent)) return true; // messages.stream()
      if (!isStainlessStream(value)) return false;
      observeStainlessStream(value, call, readAnthropicEvent);
      return true;
    },
    chunkResult: () => undefined,
  };
  return hooks;
}

/**
 * Returns `client` instrumented: every `messages.create` and `messages.stream` call records a span
 * (model, parameters, usage including cache reads, stop reason, errors with HTTP facts; for streams,
 * time to first chunk, chunk timing and tokens per second). Everything else passes through untouched
 * and the client itself is not modified. Throws a TypeError naming the option when one is invalid.
 * @example
 * import Anthropic from '@anthropic-ai/sdk';
 * import { instrumentAnthropic } from 'llmtrace/anthropic';
 * const anthropic = instrumentAnthropic(new Anthropic());
 * const message = await anthropic.messages.stream({ model, max_tokens: 256, messages }).finalMessage();
 */
export function instrumentAnthropic<C extends object>(client: C, options?: AdapterOptions): C {
  checkOptions('instrumentAnthropic', options);
  checkClient(client, 'instrumentAnthropic', 'an Anthropic client', Object.keys(ANTHROPIC_METHODS));
  if (isInstrumented(client)) return client;
  const checked = checkAdapterOptions(options, 'instrumentAnthropic');
  const registry: Record<string, InstrumentedMethod> = {
    'messages.create': { ...ANTHROPIC_METHODS['messages.create'], hooks: hooksFor(false, client, checked) },
    'messages.stream': { ...ANTHROPIC_METHODS['messages.stream'], hooks: hooksFor(true, client, checked) },
  };
  return instrumentClient(client, registry, checked, { withOptions: (derived) => instrumentAnthropic(derived, checked) });
}
