/**
 * `llmtrace/fetch`: a traced `fetch` for OpenAI-compatible servers (llama.cpp, vLLM, LM Studio),
 * Ollama and Anthropic reached without an SDK, and for SDKs' `fetch` option (retries as span events,
 * W3C `traceparent` on every request).
 */
export { tracedFetch, type TracedFetchOptions } from './traced-fetch.js';
export { modelRouteOf, readStreamedItem, requestBodyAttributes, type ModelRoute } from './parse.js';
export { MAX_JSON_BODY_BYTES } from './body-observer.js';
