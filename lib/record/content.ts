/**
 * Content capture: what of a call's arguments and result goes onto its span. `off` records nothing,
 * `metadata` only sizes, `full` also the redacted content: for a model call, its prompt and answer in
 * the GenAI message schema (`gen_ai.input.messages`, `gen_ai.system_instructions`,
 * `gen_ai.output.messages`, JSON text that stays valid JSON under the byte cap); for anything else,
 * or a shape llmtrace does not know, the redacted JSON of the value itself, cut to the cap
 * (`llmtrace.request.content` / `llmtrace.response.content`).
 */
import { GenAI, LLMTrace } from '../attributes.js';
import { capUtf8 } from '../cap-utf8.js';
import { CONTENT_SIZE_LIMITS, jsonBytes } from '../json-size.js';
import { fitMessages } from '../messages/fit-messages.js';
import { inputMessagesOf } from '../messages/input-messages.js';
import { outputMessagesOf } from '../messages/output-messages.js';
import { redactWithin, type Redactor } from '../redact.js';
import { vouch } from '../redact/vouched.js';
import type { Attributes } from '../span.js';

/** How much of a call's request and response a span keeps. */
export type CaptureMode = 'off' | 'metadata' | 'full';

/** Default cap on each captured text (prompt, system instructions, answer), in bytes. */
export const DEFAULT_MAX_CONTENT_BYTES = 8 * 1024;

/** Which end of a call is captured. */
export type ContentSide = 'request' | 'response';

/** A captured value: its size, and in `full` mode the attributes holding its content. */
export interface CapturedContent {
  /**
   * UTF-8 size of the JSON form of the whole value (exact unless the value is large, then sampled:
   * see lib/json-size.ts); absent when the value has no JSON form (a cycle, a BigInt).
   */
  bytes?: number;
  /** `full` mode: the content attributes, with `llmtrace.<side>.truncated`. */
  attributes?: Attributes;
}

/** Array items a raw capture copies before cutting the text (a response's first items are what a reader wants). */
const CAPTURED_ARRAY_ITEMS = 64;

/** Parts and tool-argument items a message capture copies (messages themselves are limited before). */
const MESSAGE_ARRAY_ITEMS = 1024;

const ATTRIBUTE_OF = {
  request: { raw: LLMTrace.REQUEST_CONTENT, truncated: LLMTrace.REQUEST_TRUNCATED },
  response: { raw: LLMTrace.RESPONSE_CONTENT, truncated: LLMTrace.RESPONSE_TRUNCATED },
} as const;

/**
 * JSON text of `value` with secrets masked (`path` names the root for a user mask), copying only
 * what a `maxBytes` cut can show: strings beyond `maxBytes` characters and arrays beyond 64 items are
 * cut first, so a multi-megabyte response costs no more than a small one. Never throws.
 */
export function toRedactedJson(value: unknown, redactor: Redactor, path: string, maxBytes: number): { json: string; pruned: boolean } {
  try {
    const { value: copy, pruned } = redactWithin(value, redactor, path, {
      maxArrayItems: CAPTURED_ARRAY_ITEMS,
      maxStringChars: maxBytes,
    });
    return { json: JSON.stringify(copy) ?? '', pruned };
  } catch {
    return { json: '', pruned: false };
  }
}

/** A redacted message list as capped JSON text (vouched: the final span pass need not scan it again). */
function messagesJson(
  items: readonly unknown[],
  redactor: Redactor,
  path: string,
  maxBytes: number,
  keep: 'first' | 'last',
): { json: string; truncated: boolean } {
  const { value, pruned } = redactWithin(items, redactor, path, { maxArrayItems: MESSAGE_ARRAY_ITEMS, maxStringChars: maxBytes });
  const fit = fitMessages(value as unknown[], maxBytes, keep);
  vouch(fit.json, redactor);
  return { json: fit.json, truncated: fit.truncated || pruned };
}

/** The message-schema attributes of a model call's side, or undefined when its shape is not one llmtrace knows. */
function messageAttributes(value: unknown, side: ContentSide, maxBytes: number, redactor: Redactor, model: string | undefined): Attributes | undefined {
  if (side === 'response') {
    const output = outputMessagesOf(value);
    if (!output) return undefined;
    const fit = messagesJson(output, redactor, 'output', maxBytes, 'first');
    return { [GenAI.OUTPUT_MESSAGES]: fit.json, [LLMTrace.RESPONSE_TRUNCATED]: fit.truncated };
  }
  const input = Array.isArray(value) ? inputMessagesOf(value, model) : undefined;
  if (!input) return undefined;
  const fit = messagesJson(input.messages, redactor, 'input', maxBytes, 'last');
  const out: Attributes = { [GenAI.INPUT_MESSAGES]: fit.json };
  let truncated = fit.truncated;
  if (input.system) {
    const system = messagesJson(input.system, redactor, 'system', maxBytes, 'first');
    out[GenAI.SYSTEM_INSTRUCTIONS] = system.json;
    truncated ||= system.truncated;
  }
  out[LLMTrace.REQUEST_TRUNCATED] = truncated;
  return out;
}

function tryMessageAttributes(...args: Parameters<typeof messageAttributes>): Attributes | undefined {
  try {
    return messageAttributes(...args);
  } catch {
    return undefined; // a hostile value (a throwing getter): the raw capture copes with it
  }
}

/**
 * Captures one side of a call in `mode`, redacted with `redactor`: `value` is the argument list
 * (request) or the result (response). `asMessages` asks for the message schema (model calls);
 * `model` is the requested model, so `(model, prompt)` arguments are told apart. Undefined for `off`.
 */
export function captureContent(
  value: unknown,
  side: ContentSide,
  mode: CaptureMode,
  maxBytes: number,
  redactor: Redactor,
  asMessages: boolean,
  model?: string,
): CapturedContent | undefined {
  if (mode === 'off') return undefined;
  // Sizes come from jsonSize with content limits: exact for small values, estimated from a few
  // hundred reads for large ones, so a 1 MB prompt costs what a 100 B one does (benchmarks/realistic-call.ts;
  // a 3 MB response would cost ~37 ms to stringify).
  const bytes = jsonBytes(value, CONTENT_SIZE_LIMITS);
  if (mode === 'metadata') return bytes === undefined ? undefined : { bytes };
  const messages = asMessages ? tryMessageAttributes(value, side, maxBytes, redactor, model) : undefined;
  if (messages) return bytes === undefined ? { attributes: messages } : { bytes, attributes: messages };
  const { json, pruned } = toRedactedJson(value, redactor, side, maxBytes);
  const capped = capUtf8(json, maxBytes);
  vouch(capped.text, redactor); // already redacted: the final span pass need not scan it again
  const names = ATTRIBUTE_OF[side];
  return {
    bytes: bytes ?? Buffer.byteLength(json, 'utf8'),
    attributes: { [names.raw]: capped.text, [names.truncated]: capped.truncated || pruned },
  };
}
