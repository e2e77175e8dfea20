/**
 * Reading back what a span captured of its call (`capture: 'full'`): the GenAI message attributes,
 * else the raw redacted JSON, else (spans stored by llmtrace 0.1) the `gen_ai.request` /
 * `gen_ai.response` events that held the raw JSON. Pure.
 */
import { GenAI, LLMTrace } from '../attributes.js';
import type { SpanData } from '../span.js';

/** One side of a call as captured: its JSON text, in which form, and whether it was cut. */
export interface CapturedText {
  /** JSON text: a message list (`messages`), or the value itself (`raw`, possibly cut mid-way when truncated). */
  readonly text: string;
  readonly form: 'messages' | 'raw';
  readonly truncated: boolean;
}

const SIDES = {
  request: {
    messages: GenAI.INPUT_MESSAGES,
    raw: LLMTrace.REQUEST_CONTENT,
    truncated: LLMTrace.REQUEST_TRUNCATED,
    legacyEvent: 'gen_ai.request',
    legacyKey: 'gen_ai.input.messages',
  },
  response: {
    messages: GenAI.OUTPUT_MESSAGES,
    raw: LLMTrace.RESPONSE_CONTENT,
    truncated: LLMTrace.RESPONSE_TRUNCATED,
    legacyEvent: 'gen_ai.response',
    legacyKey: 'gen_ai.output.messages',
  },
} as const;

/** What `span` captured of its request or response; undefined when nothing was. */
export function capturedText(span: Pick<SpanData, 'attributes' | 'events'>, side: 'request' | 'response'): CapturedText | undefined {
  const names = SIDES[side];
  const a = span.attributes;
  const truncated = a[names.truncated] === true;
  const messages = a[names.messages];
  if (typeof messages === 'string') return { text: messages, form: 'messages', truncated };
  const raw = a[names.raw];
  if (typeof raw === 'string') return { text: raw, form: 'raw', truncated };
  const legacy = span.events.find((e) => e.name === names.legacyEvent);
  const text = legacy?.attributes[names.legacyKey];
  return typeof text === 'string' ? { text, form: 'raw', truncated: legacy!.attributes['llmtrace.content.truncated'] === true } : undefined;
}

/** The captured system instructions (JSON text of a part list), when the call gave them apart. */
export function capturedSystemInstructions(span: Pick<SpanData, 'attributes'>): string | undefined {
  const value = span.attributes[GenAI.SYSTEM_INSTRUCTIONS];
  return typeof value === 'string' ? value : undefined;
}
