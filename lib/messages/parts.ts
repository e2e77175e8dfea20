/**
 * Message content to GenAI message parts, for the content shapes of the SDKs llmtrace knows: plain
 * strings; OpenAI chat and Responses content parts; Anthropic and Bedrock Converse blocks; Gemini
 * parts; Vercel AI SDK parts; LangChain content blocks. Pure; strings are referenced, not copied, and
 * inline media is never copied (see BlobPart).
 */
import type { BlobPart, MessagePart } from './types.js';

type Obj = Record<string, unknown>;

/** @internal A plain object (not an array, not null). */
export function isObj(value: unknown): value is Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Tool arguments as an object when they are JSON text (the conventions ask for the structured form). */
function toolArguments(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function modalityOf(mime: string | undefined, fallback: string): string {
  if (mime === undefined) return fallback;
  const top = mime.split('/')[0]!;
  return top === 'image' || top === 'audio' || top === 'video' ? top : 'document';
}

function byteLength(data: unknown): number | undefined {
  if (typeof data === 'string') return data.length;
  if (data instanceof Uint8Array) return data.byteLength;
  return undefined;
}

/** A media reference: `data:` URLs become blobs (bytes left out), anything else a URI. */
function mediaPart(url: unknown, mime: string | undefined, fallback: string): MessagePart | undefined {
  const text = url instanceof URL ? url.href : str(url);
  if (text === undefined) return blobPart(url, mime, fallback);
  if (text.startsWith('data:')) {
    const dataMime = text.slice(5, text.indexOf(';') > 0 ? text.indexOf(';') : text.indexOf(','));
    return blobPart(text, mime ?? (dataMime || undefined), fallback);
  }
  return withMime({ type: 'uri', modality: modalityOf(mime, fallback), uri: text }, mime);
}

function blobPart(data: unknown, mime: string | undefined, fallback: string): MessagePart {
  const bytes = byteLength(data);
  const part: BlobPart = withMime({ type: 'blob', modality: modalityOf(mime, fallback), content: '' }, mime);
  return bytes === undefined ? part : { ...part, 'llmtrace.omitted_bytes': bytes };
}

function withMime<T extends object>(part: T, mime: string | undefined): T {
  return mime === undefined ? part : { ...part, mime_type: mime };
}

/** Text of a tool result's content (a string, or text blocks), else the value itself. */
function toolResponse(content: unknown): unknown {
  if (typeof content === 'string' || !Array.isArray(content)) return content;
  const texts = content.map((b) => (isObj(b) ? (str(b.text) ?? b.json) : b));
  return texts.length === 1 ? texts[0] : texts;
}

/** One typed block (`{ type: ... }`): OpenAI, Anthropic, AI SDK, LangChain. */
function typedPart(block: Obj, type: string): MessagePart | undefined {
  switch (type) {
    case 'text':
    case 'input_text':
    case 'output_text':
      return { type: 'text', content: str(block.text) ?? '' };
    case 'refusal':
      return { type: 'text', content: str(block.refusal) ?? '' };
    case 'thinking':
      return { type: 'reasoning', content: str(block.thinking) ?? '' };
    case 'reasoning':
      return { type: 'reasoning', content: str(block.text) ?? str(block.reasoning) ?? '' };
    case 'image_url': {
      const image = block.image_url;
      return mediaPart(isObj(image) ? image.url : image, undefined, 'image');
    }
    case 'input_image':
      return block.file_id !== undefined
        ? { type: 'file', modality: 'image', file_id: String(block.file_id) }
        : mediaPart(block.image_url, undefined, 'image');
    case 'input_audio': {
      const audio = isObj(block.input_audio) ? block.input_audio : {};
      return blobPart(audio.data, str(audio.format) && `audio/${String(audio.format)}`, 'audio');
    }
    case 'image':
    case 'document':
    case 'file': {
      const source = block.source;
      if (isObj(source)) {
        const mime = str(source.media_type);
        if (source.type === 'url') return mediaPart(source.url, mime, type === 'image' ? 'image' : 'document');
        if (source.type === 'file') return { type: 'file', modality: modalityOf(mime, 'document'), file_id: String(source.file_id) };
        return blobPart(source.data, mime, type === 'image' ? 'image' : 'document');
      }
      const mime = str(block.mediaType) ?? str(block.mimeType) ?? str(block.mime_type);
      const data = block.image ?? block.data ?? block.url;
      if (block.file_id !== undefined) return { type: 'file', modality: modalityOf(mime, 'document'), file_id: String(block.file_id) };
      return mediaPart(data, mime, type === 'image' ? 'image' : 'document');
    }
    case 'tool_use':
      return { type: 'tool_call', id: str(block.id), name: str(block.name) ?? '', arguments: block.input };
    case 'tool-call':
      return {
        type: 'tool_call',
        id: str(block.toolCallId),
        name: str(block.toolName) ?? '',
        arguments: toolArguments(block.input ?? block.args),
      };
    case 'function_call':
      return { type: 'tool_call', id: str(block.call_id) ?? str(block.id), name: str(block.name) ?? '', arguments: toolArguments(block.arguments) };
    case 'tool_result':
      return { type: 'tool_call_response', id: str(block.tool_use_id), response: toolResponse(block.content) };
    case 'tool-result':
      return { type: 'tool_call_response', id: str(block.toolCallId), response: block.output ?? block.result };
    case 'function_call_output':
      return { type: 'tool_call_response', id: str(block.call_id), response: block.output };
    case 'redacted_thinking':
      return undefined;
    default:
      return { type };
  }
}

/** One untyped block: Gemini parts (`{ text }`, `{ functionCall }`, ...) and Bedrock Converse blocks. */
function untypedPart(block: Obj): MessagePart | undefined {
  if (typeof block.text === 'string') return block.thought === true ? { type: 'reasoning', content: block.text } : { type: 'text', content: block.text };
  const call = block.functionCall ?? block.toolUse;
  if (isObj(call)) {
    return { type: 'tool_call', id: str(call.id) ?? str(call.toolUseId), name: str(call.name) ?? '', arguments: call.args ?? call.input };
  }
  if (isObj(block.functionResponse)) {
    const r = block.functionResponse;
    return { type: 'tool_call_response', id: str(r.id), response: r.response };
  }
  if (isObj(block.toolResult)) {
    const r = block.toolResult;
    return { type: 'tool_call_response', id: str(r.toolUseId), response: toolResponse(r.content) };
  }
  if (isObj(block.reasoningContent)) {
    const text = isObj(block.reasoningContent.reasoningText) ? str(block.reasoningContent.reasoningText.text) : undefined;
    return text === undefined ? undefined : { type: 'reasoning', content: text };
  }
  if (isObj(block.inlineData)) return blobPart(block.inlineData.data, str(block.inlineData.mimeType), 'image');
  if (isObj(block.fileData)) return mediaPart(block.fileData.fileUri, str(block.fileData.mimeType), 'document');
  for (const media of ['image', 'document', 'video'] as const) {
    const m = block[media];
    if (isObj(m)) {
      const format = str(m.format);
      return blobPart(isObj(m.source) ? m.source.bytes : undefined, format && `${media === 'document' ? 'application' : media}/${format}`, media);
    }
  }
  return undefined;
}

/**
 * The parts of a message's content: a string is one text part; an array of blocks gives one part
 * per block it understands (unknown typed blocks keep only their type, unknown untyped ones are
 * left out); a single block object gives its part. `null`/`undefined` give none.
 */
export function partsOf(content: unknown): MessagePart[] {
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', content }];
  const blocks = Array.isArray(content) ? content : [content];
  const parts: MessagePart[] = [];
  for (const block of blocks) {
    if (typeof block === 'string') {
      if (block !== '') parts.push({ type: 'text', content: block });
      continue;
    }
    if (!isObj(block)) continue;
    const part = typeof block.type === 'string' ? typedPart(block, block.type) : untypedPart(block);
    if (part) parts.push(part);
  }
  return parts;
}

/** Tool calls of an OpenAI-style message (`tool_calls: [{ id, function: { name, arguments } }]`, also Ollama's and LangChain's). */
export function toolCallParts(toolCalls: unknown): MessagePart[] {
  if (!Array.isArray(toolCalls)) return [];
  const parts: MessagePart[] = [];
  for (const call of toolCalls) {
    if (!isObj(call)) continue;
    const fn = isObj(call.function) ? call.function : call; // LangChain: { id, name, args }
    parts.push({ type: 'tool_call', id: str(call.id), name: str(fn.name) ?? '', arguments: toolArguments(fn.arguments ?? fn.args) });
  }
  return parts;
}
