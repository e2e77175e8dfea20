/**
 * Pure reading of `@aws-sdk/client-bedrock-runtime` commands and outputs: which command a
 * `client.send(command)` carries, request attributes of its `input`, usage of `Converse` outputs
 * and `ConverseStream` events (lib/extract/bedrock.ts), and of `InvokeModel` JSON bodies
 * (Anthropic-on-Bedrock and others, through the extractor registry). No I/O, no span access; never
 * throws on foreign input.
 */
import { GenAI, LLMTrace } from '../../lib/attributes.js';
import { BEDROCK_PROVIDER, extractBedrockConverse } from '../../lib/extract/bedrock.js';
import { asRecord, count, text, type CallResult } from '../../lib/extract/call-result.js';
import { extractCallResult } from '../../lib/extract/index.js';
import type { Attributes } from '../../lib/span.js';
import { readAnthropicEvent } from '../anthropic/parse.js';
import { requestParams } from '../internal/adapter-options.js';
import type { ChunkReading } from '../internal/stream-observer.js';

export { BEDROCK_PROVIDER };

/** The commands traced, by class name. */
export const BEDROCK_COMMANDS = {
  ConverseCommand: { name: 'bedrock.converse', stream: false },
  ConverseStreamCommand: { name: 'bedrock.converseStream', stream: true },
  InvokeModelCommand: { name: 'bedrock.invokeModel', stream: false },
  InvokeModelWithResponseStreamCommand: { name: 'bedrock.invokeModelWithResponseStream', stream: true },
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
  if (command === 'InvokeModelCommand' || command === 'InvokeModelWithResponseStreamCommand') {
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

/** Whether a `ConverseStream` event is content, and the facts a non-content event carries. */
export function readConverseStreamEvent(event: unknown): ChunkReading {
  return isContentEvent(event) ? { content: true } : { content: false, result: converseStreamEventResult(event) };
}

function nonEmpty(value: unknown): boolean {
  return typeof value === 'string' && value !== '';
}

/** Generated text in a non-Anthropic payload: Llama `generation`, Titan `outputText`, Mistral `outputs`, Cohere `text`, AI21 `completion`. */
function hasText(payload: Record<string, unknown>): boolean {
  if (nonEmpty(payload.generation) || nonEmpty(payload.outputText) || nonEmpty(payload.text) || nonEmpty(payload.completion)) return true;
  return Array.isArray(payload.outputs) && payload.outputs.some((o) => nonEmpty(asRecord(o)?.text));
}

function stopReasonOf(payload: Record<string, unknown>): string | undefined {
  const first = Array.isArray(payload.outputs) ? asRecord(payload.outputs[0]) : undefined;
  return text(payload.stop_reason) ?? text(payload.completionReason) ?? text(first?.stop_reason) ?? text(payload.finish_reason);
}

/** Which token counts a stream's model family has reported on its own events so far. */
interface FamilyUsage {
  input: boolean;
  output: boolean;
}

/**
 * Reads one `InvokeModelWithResponseStream` event (`{ chunk: { bytes } }`, the bytes a JSON payload
 * in the model family's own stream format): Anthropic stream events as the Anthropic adapter reads
 * them, other families' text deltas as content. Bedrock's `amazon-bedrock-invocationMetrics` (on the
 * last payload, whatever the family) fill in only the counts `family` says the family did not report
 * on any earlier event: Anthropic's `message_start` input tokens include cache reads and writes, the
 * metrics' `inputTokenCount` does not. Updates `family`.
 */
function readInvokeStreamEvent(event: unknown, family: FamilyUsage): ChunkReading {
  const payload = jsonBody(asRecord(asRecord(event)?.chunk)?.bytes);
  if (!payload) return { content: false };
  const metrics = asRecord(payload['amazon-bedrock-invocationMetrics']);
  const reading: ChunkReading = typeof payload.type === 'string'
    ? readAnthropicEvent(payload)
    : { content: hasText(payload), result: stopReasonOf(payload) ? { finishReasons: [stopReasonOf(payload)!] } : undefined };
  const own = reading.result;
  if (own?.inputTokens !== undefined) family.input = true;
  if (own?.outputTokens !== undefined) family.output = true;
  if (!own && !metrics) return reading;
  const result: CallResult = { ...own, provider: BEDROCK_PROVIDER };
  if (metrics && !family.input) result.inputTokens = count(metrics.inputTokenCount);
  if (metrics && !family.output) result.outputTokens = count(metrics.outputTokenCount);
  return { content: reading.content, result };
}

/**
 * A reader for the events of one `InvokeModelWithResponseStream` body, in order (see
 * `readInvokeStreamEvent`). It remembers which token counts the model family reported, so a new
 * reader is needed for each stream.
 */
export function invokeStreamReader(): (event: unknown) => ChunkReading {
  const family: FamilyUsage = { input: false, output: false };
  return (event) => readInvokeStreamEvent(event, family);
}
