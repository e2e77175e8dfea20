/**
 * `llmtrace/gemini`: tracing for the `@google/genai` client (Gemini Developer API and Vertex AI).
 * Depends on the SDK's shapes only; it never imports the SDK at run time.
 */
export { instrumentGemini, GEMINI_METHODS } from './wrap.js';
export { GEMINI_API_PROVIDER, VERTEX_AI_PROVIDER, geminiModelName, geminiPathOf, geminiRequestAttributes, type GeminiPath } from './parse.js';
export type { AdapterOptions } from '../internal/adapter-options.js';
