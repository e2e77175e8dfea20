/**
 * The llmtrace version reported as the OpenTelemetry instrumentation scope version. A constant
 * rather than a runtime read of package.json (which bundlers and the `files` list may not ship);
 * `__tests__/adapters/otel/version.test.ts` fails when it drifts from package.json.
 */

/** Name of the instrumentation scope llmtrace spans are exported under. */
export const INSTRUMENTATION_SCOPE_NAME = 'llmtrace';

/** llmtrace's package version. */
export const LLMTRACE_VERSION = '0.1.0';
