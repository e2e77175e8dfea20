/**
 * Pure reading of `@aws-sdk/client-bedrock-runtime` commands and outputs: which command a
 * `client.send(command)` carries, request attributes of its `input`, usage of `Converse` outputs
 * and `ConverseStream` events (lib/extract/bedrock.ts), and of `InvokeModel` JSON bodies
 * (Anthropic-on-Bedrock and others, through the extractor registry). No I/O, no span access; never
 * throws on foreign input.
 */
import { GenAI, LLMTrace } from '../../lib/attributes.js';
import { BEDROCK_PROVIDER, extractBedrockConverse } from '../../lib/extract/bedrock.js';
import { asRecord, text, type CallResult } from '../../lib/extract/call-result.js';
import { extractCallResult } from '../../lib/extract/index.js';
import type { Attributes } from '../../lib/span.js';
import { requestParams } from '../internal/adapter-options.js';

export { BEDROCK_PROVIDER };

/** The commands traced, by class name. */
export const BEDROCK_COMMANDS = {
  ConverseCommand: { name: 'bedrock.converse', stream: false },
  ConverseStreamCommand: { name: 'bedrock.converseStream', stream: true },
  InvokeModelCommand: { name: 'bedrock.invokeModel', stream: false },
} as const;

/** A traced command's name. */
export type BedrockCommandName = keyof typeof BEDROCK_COMMANDS;

/** The traced command `command` is (by its constructor's name), or undefined. */
export function bedrockCommandOf(command: unknown): BedrockCommandName | undefined {
  const name = (command as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  return typeof name === 'string' && Object.hasOwn(BEDROCK_COMMANDS, name) ? (name as BedrockCommandName) : undefined;
}

const decoder = new TextDecoder();

/** The JSON of an `InvokeModel` body (string or bytes), or undefined. */
export function jsonBody(body: unknown): Record<string, unknown> | undefined {
  try {
    const raw = typeof body === 'string' ? body : body instanceof Uint8Array ? decoder.decode(body) : undefined;
    return raw === undefined ? undefined : asRecord(JSON.parse(raw));
  } catch {
    return undefined;
  }
}

/** Request attributes of a command's `input`: provider, `modelId`, sampling parameters, stream. */
export function bedrockRequestAttributes(command: BedrockCommandName, input: unknown): Attributes {
  const i = asRecord(input) ?? {};
  const stream = BEDROCK_COMMANDS[command].stream;
  let a: Attributes;
  if (command === 'InvokeModelCommand') {
    const body = jsonBody(i.body) ?? {};
    const config = asRecord(body.inferenceConfig) ?? asRecord(body.textGenerationConfig) ?? {};
    a = requestParams({
      model: i.modelId,
      maxTokens: body.max_tokens ?? body.max_gen_len ?? config.maxTokens ?? config.maxTokenCount,
      temperature: body.temperature ?? config.temperature,
      topP: body.top_p ?? config.topP,
      topK: body.top_k,
      stop: body.stop_sequences ?? config.stopSequences,
      stream,
    });
  } else {
    const config = asRecord(i.inferenceConfig) ?? {};
    a = requestParams({ model: i.modelId, maxTokens: config.maxTokens, temperature: config.temperature, topP: config.topP, stop: config.stopSequences, stream });
  }
  a[GenAI.PROVIDER_NAME] = BEDROCK_PROVIDER;
  return a;
}

/** The request id of an output or a service error (`$metadata.requestId`), as an attribute. */
export function requestIdAttributes(value: unknown): Attributes {
  const id = text(asRecord(asRecord(value)?.$metadata)?.requestId);
  return id ? { [LLMTrace.REQUEST_ID]: id } : {};
}

/** The HTTP status of a service error (`$metadata.httpStatusCode`), as an attribute. */
export function errorStatusAttributes(error: unknown): Attributes {
  const status = asRecord(asRecord(error)?.$metadata)?.httpStatusCode;
  return typeof status === 'number' ? { [GenAI.HTTP_STATUS_CODE]: status } : {};
}

/**
 * Reads a command's output: a `Converse` output, or an `InvokeModel` output whose body is JSON
 * some extractor knows (an Anthropic message, say). The provider is Bedrock either way.
 */
export function bedrockOutputResult(command: BedrockCommandName, output: unknown): CallResult | undefined {
  const found = command === 'InvokeModelCommand' ? extractCallResult(jsonBody(asRecord(output)?.body)) : extractBedrockConverse(output);
  return found ? { ...found, provider: BEDROCK_PROVIDER } : undefined;
}

/** Facts a `ConverseStream` event carries: `metadata` (usage) and `messageStop` (stop reason). */
export function converseStreamEventResult(event: unknown): CallResult | undefined {
  const e = asRecord(event);
  if (!e) return undefined;
  const reason = text(asRecord(e.messageStop)?.stopReason);
  if (reason) return { finishReasons: [reason] };
  const found = extractBedrockConverse(e);
  return found ? { ...found, provider: BEDROCK_PROVIDER, finishReasons: undefined } : undefined;
}

/** Whether a `ConverseStream` event is content (a `contentBlockDelta`), counted as a chunk. */
export function isContentEvent(event: unknown): boolean {
  return asRecord(event)?.contentBlockDelta !== undefined;
}
