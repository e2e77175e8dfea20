/**
 * `llmtrace/openai`: tracing for the `openai` SDK, and for OpenAI-compatible servers reached with it.
 * Depends on the SDK's shapes only; it never imports `openai` at run time.
 */
export { instrumentOpenAI, OPENAI_METHODS, type OpenAIAdapterOptions } from './wrap.js';
export { openAIRequestAttributes, readChatChunk, readResponseEvent } from './parse.js';
export type { ChunkReading } from '../internal/stream-observer.js';
