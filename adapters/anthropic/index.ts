/**
 * `llmtrace/anthropic`: tracing for the `@anthropic-ai/sdk` client. Depends on the SDK's shapes
 * only; it never imports the SDK at run time.
 */
export { instrumentAnthropic, ANTHROPIC_METHODS } from './wrap.js';
export { anthropicRequestAttributes, readAnthropicEvent } from './parse.js';
export type { AdapterOptions } from '../internal/adapter-options.js';
