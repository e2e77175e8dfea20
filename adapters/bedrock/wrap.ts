/**
 * `instrumentBedrock`: a Proxy over a `BedrockRuntimeClient` whose `send` records a span for each
 * `ConverseCommand`, `ConverseStreamCommand` and `InvokeModelCommand` (every other command, and the
 * callback form of `send`, pass through untouched). A `ConverseStream` output keeps its shape: its
 * `stream` is replaced by an async generator that yields the same events while the span follows
 * them (time to first token from the first `contentBlockDelta`, usage from the `metadata` event; an
 * early `break` is `cancelled`, an `abortSignal` abort is `aborted`); an
 * `InvokeModelWithResponseStreamCommand` output's `body` likewise (payloads in the model family's
 * own stream format, usage from the family's events or Bedrock's invocation metrics). Usage is the provider's own
 * (`usage.inputTokens/outputTokens`, cache reads and writes; for `InvokeModel`, the body's, e.g.
 * an Anthropic message). The client's credentials and request signatures are never read.
 */
import type { ActiveCall } from '../../lib/record/active-call.js';
import { isAbortError } from '../../lib/record/abort-error.js';
import { compilePlan, type CallPlan, type RecorderHooks } from '../../lib/record/call-plan.js';
import { invoke } from '../../lib/record/recorder.js';
import { reportInternalError } from '../../lib/internal/diagnostics.js';
import { checkOptions } from '../../lib/internal/option-schemas.js';
import { checkAdapterOptions, traceOptions, type AdapterOptions } from '../internal/adapter-options.js';
import { checkClient } from '../internal/client-proxy.js';
import type { ChunkReading } from '../internal/stream-observer.js';
import {
  BEDROCK_COMMANDS,
  bedrockCommandOf,
  bedrockOutputResult,
  bedrockRequestAttributes,
  errorStatusAttributes,
  invokeStreamReader,
  readConverseStreamEvent,
  requestIdAttributes,
  type BedrockCommandName,
} from './parse.js';

const instrumented = new WeakSet<object>();

let adopted: ActiveCall | undefined;
const adoptHook = (_value: PromiseLike<unknown>, call: ActiveCall): boolean => {
  adopted = call;
  return true;
};

/** Whether reading failed because the caller aborted (`send(command, { abortSignal })`). */
function isAbort(error: unknown, signal: { aborted?: unknown } | undefined): boolean {
  return signal?.aborted === true || isAbortError(error);
}

/** Yields `source`'s events while `call` follows them (read by `read`); ends `call` however the reading ends. */
async function* followEvents(
  source: AsyncIterable<unknown>,
  read: (event: unknown) => ChunkReading,
  call: ActiveCall,
  signal: { aborted?: unknown } | undefined,
): AsyncGenerator<unknown, void, undefined> {
  let how: 'completed' | 'cancelled' = 'cancelled';
  try {
    for await (const event of source) {
      const reading = read(event);
      call.streamResult(reading.result);
      if (reading.content) call.chunk(event);
      yield event;
    }
    how = 'completed';
  } catch (error) {
    call.endStream(isAbort(error, signal) ? 'aborted' : 'error', error);
    throw error;
  } finally {
    call.endStream(how);
  }
}

function noFacts(): undefined {
  return undefined;
}

/** The stream an output carries, and a new reader of its events (one per stream), for the two streaming commands. */
const STREAMS = {
  ConverseStreamCommand: { field: 'stream', reader: () => readConverseStreamEvent },
  InvokeModelWithResponseStreamCommand: { field: 'body', reader: invokeStreamReader },
} as const;

function planFor(command: BedrockCommandName, options: AdapterOptions): CallPlan {
  const hooks: RecorderHooks = {
    requestAttributes: (args) => bedrockRequestAttributes(command, args[0]),
    adoptThenable: adoptHook,
    chunkResult: noFacts, // followEvents reads each event once, before counting it
  };
  const spec = { name: BEDROCK_COMMANDS[command].name, kind: 'llm' as const, operation: 'chat' };
  return compilePlan(function send(): void {}, traceOptions(options, spec), hooks);
}

function settle(command: BedrockCommandName, call: ActiveCall, value: unknown, signal: { aborted?: unknown } | undefined): unknown {
  try {
    call.span.setAttributes(requestIdAttributes(value));
    const streaming = command === 'ConverseStreamCommand' || command === 'InvokeModelWithResponseStreamCommand' ? STREAMS[command] : undefined;
    const output = value as Record<string, unknown> | null;
    const stream = streaming ? (output?.[streaming.field] as AsyncIterable<unknown> | undefined) : undefined;
    if (streaming && stream && typeof stream[Symbol.asyncIterator] === 'function') {
      output![streaming.field] = followEvents(stream, streaming.reader(), call, signal);
      return value;
    }
    call.succeed(value, bedrockOutputResult(command, value));
  } catch (error) {
    reportInternalError('record.result', error);
    call.succeed(undefined, {});
  }
  return value;
}

/**
 * Returns `client` instrumented: `client.send(new ConverseCommand(...))`,
 * `ConverseStreamCommand` and `InvokeModelCommand` each record an `llm` span (provider
 * `aws.bedrock`, `modelId`, parameters, token counts, stop reason, cost from the price table,
 * the request id, errors with their HTTP status). Throws a TypeError naming the option when one is
 * invalid.
 * @example
 * import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
 * import { instrumentBedrock } from 'llmtrace/bedrock';
 * const bedrock = instrumentBedrock(new BedrockRuntimeClient({ region: 'us-east-1' }));
 * const out = await bedrock.send(new ConverseCommand({ modelId, messages: [{ role: 'user', content: [{ text: 'Hi' }] }] }));
 */
export function instrumentBedrock<C extends object>(client: C, options?: AdapterOptions): C {
  checkOptions('instrumentBedrock', options);
  checkClient(client, 'instrumentBedrock', 'a BedrockRuntimeClient', ['send']);
  if (instrumented.has(client)) return client;
  const checked = checkAdapterOptions(options, 'instrumentBedrock');
  const plans = {
    ConverseCommand: planFor('ConverseCommand', checked),
    ConverseStreamCommand: planFor('ConverseStreamCommand', checked),
    InvokeModelCommand: planFor('InvokeModelCommand', checked),
    InvokeModelWithResponseStreamCommand: planFor('InvokeModelWithResponseStreamCommand', checked),
  };
  const sends = new WeakMap<Function, Function>();
  const traceSend = (target: object, send: Function): Function => {
    let out = sends.get(send);
    if (out) return out;
    out = function tracedSend(...args: unknown[]): unknown {
      const command = bedrockCommandOf(args[0]);
      if (!command || typeof args[args.length - 1] === 'function') return send.apply(target, args);
      adopted = undefined;
      const input = (args[0] as { input?: unknown }).input;
      const result = invoke(plans[command], () => send.apply(target, args), target, [input]);
      const call = adopted as ActiveCall | undefined;
      adopted = undefined;
      if (!call) return result;
      return Promise.resolve(result).then(
        (value) => settle(command, call, value, (args[1] as { abortSignal?: { aborted?: unknown } } | undefined)?.abortSignal),
        (error: unknown) => {
          call.span.setAttributes({ ...errorStatusAttributes(error), ...requestIdAttributes(error) });
          call.fail(error);
          throw error;
        },
      );
    };
    sends.set(send, out);
    return out;
  };
  const proxy = new Proxy(client, {
    get(t, prop) {
      const value: unknown = Reflect.get(t, prop, t);
      return prop === 'send' && typeof value === 'function' ? traceSend(t, value) : value;
    },
  });
  instrumented.add(proxy);
  return proxy;
}
