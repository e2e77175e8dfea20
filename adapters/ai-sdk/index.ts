/**
 * `llmtrace/ai-sdk`: tracing for the Vercel AI SDK: the language-model middleware and `traceAISdk`
 * (ai 5 to 7), and the ai 7 telemetry integration `llmtraceTelemetry`.
 * Depends on the AI SDK's shapes only; it never imports the AI SDK at run time.
 */
export { llmtraceMiddleware, USAGE_COUNTED_BY, type AISdkMiddlewareOptions, type LLMTraceLanguageModelMiddleware } from './middleware.js';
export { traceAISdk, telemetryAttributes, AI_SDK_FUNCTION_ID, AI_SDK_METADATA_PREFIX, type AISdkModule, type TracedAISdk } from './trace-ai-sdk.js';
export { llmtraceTelemetry, type LLMTraceTelemetry } from './telemetry.js';
export { aiSdkGenerateResult, aiSdkProviderName, aiSdkRequestAttributes, aiSdkStreamPartResult } from './parse.js';
