/**
 * `llmtrace/ollama`: tracing for the `ollama` SDK client. Depends on the SDK's shapes only; it never
 * imports `ollama` at run time.
 */
export { instrumentOllama, OLLAMA_METHODS } from './wrap.js';
export { ollamaRequestAttributes, readOllamaChunk } from './parse.js';
export type { AdapterOptions } from '../internal/adapter-options.js';
