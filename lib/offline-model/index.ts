/**
 * `llmtrace/offline-model`: a local HTTP server that speaks enough of the OpenAI, Anthropic and
 * Ollama APIs for their SDKs, with settable timing and injected faults. The demo and the adapter
 * tests talk to it; it is useful for any test that needs a model without a network.
 */
export { startOfflineModelServer, OFFLINE_HEADERS } from './server.js';
export type { OfflineModelServer, OfflineModelStats } from './server.js';
export type { OfflineFault, OfflineModelOptions } from './options.js';
