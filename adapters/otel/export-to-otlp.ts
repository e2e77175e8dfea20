/**
 * One-line OTLP setup: builds the official OpenTelemetry OTLP trace exporter for the chosen
 * protocol (loaded on demand, so only the one you use must be installed) and exports the store's
 * finished spans to it in batches. What the options leave out comes from the OpenTelemetry
 * environment variables (`otlp-environment.ts`), then the specification's defaults. Over HTTP the
 * exporter gets llmtrace's exit-aware agent (`exit-aware-agent.ts`), so a receiver that is down or
 * never answers cannot hold the traced program open at exit beyond exit handling's bound, and
 * from the program's end on its exports give up retrying (429, 502-504) past that bound.
 */
import { checkNonEmptyString, positiveInteger } from '../../lib/internal/validate.js';
import { createRequire } from 'node:module';
import type { OtelSdkSpanExporter } from './sdk-shapes.js';
import { exportTo, type ExportHandle, type ExportToOptions } from './export-handle.js';
import { defaultOtlpUrl, otlpEnvironment, type OtlpEnvironment, type OtlpProtocol } from './otlp-environment.js';
import { llmtraceResource } from './readable-span.js';
import { DEFAULT_SERVICE_NAME } from './otel-span-exporter.js';
import { checkOtelOptions } from './option-schemas.js';
import { createExitAwareAgent } from './exit-aware-agent.js';
import { EXIT_FLUSH_TIMEOUT_MS, exitSignals } from '../../lib/internal/exit-hooks.js';

export type { OtlpProtocol };

/** Options of `exportToOtlp`. Each one left out is read from its OpenTelemetry environment variable. */
export interface ExportToOtlpOptions extends ExportToOptions {
  /**
   * The receiver. For HTTP, the traces endpoint (`http://collector:4318/v1/traces`); a URL given
   * here with no path gets `/v1/traces` appended (`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` does not: the
   * specification has it used as is). For gRPC, `http://collector:4317`.
   * @default `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` as is, else `OTEL_EXPORTER_OTLP_ENDPOINT` with `/v1/traces` appended to its path, else `http://localhost:4318/v1/traces` (gRPC: `http://localhost:4317`)
   */
  url?: string;
  /** Headers sent with every export (authentication, for example); merged over `OTEL_EXPORTER_OTLP[_TRACES]_HEADERS`. @default {} */
  headers?: Record<string, string>;
  /** OTLP transport. @default `OTEL_EXPORTER_OTLP[_TRACES]_PROTOCOL`, else 'http/protobuf' */
  protocol?: OtlpProtocol;
  /** Longest wait for one OTLP request, in ms (the OTLP exporter's own timeout). @default `OTEL_EXPORTER_OTLP[_TRACES]_TIMEOUT`, else 10000 */
  timeoutMillis?: number;
}

/** The OTLP exporters' own default request timeout, ms (the specification's 10 s). */
const OTLP_DEFAULT_TIMEOUT_MS = 10_000;

const PACKAGE_BY_PROTOCOL: Record<OtlpProtocol, string> = {
  'http/json': '@opentelemetry/exporter-trace-otlp-http',
  'http/protobuf': '@opentelemetry/exporter-trace-otlp-proto',
  grpc: '@opentelemetry/exporter-trace-otlp-grpc',
};

interface OtlpExporterConfig {
  url: string;
  headers?: Record<string, string>;
  timeoutMillis?: number;
  metadata?: unknown;
  /** The HTTP exporters' agent factory. */
  httpAgentOptions?: (protocol: string) => Promise<unknown>;
}

interface GrpcMetadata {
  set(key: string, value: string): void;
}

type OtlpExporterModule = { OTLPTraceExporter: new (config: OtlpExporterConfig) => OtelSdkSpanExporter };

/**
 * The `url` option, validated. As documented for the option (not for the environment variables,
 * which `otlp-environment.ts` resolves as the specification says), an HTTP URL with no path gets
 * `/v1/traces`, keeping its query.
 */
function optionUrl(value: unknown, protocol: OtlpProtocol): string {
  const url = checkNonEmptyString(value, 'url');
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new TypeError(`llmtrace: url must be an absolute http(s) URL, got ${url} (string)`);
  }
  if (protocol !== 'grpc' && parsed.pathname === '/') {
    return `${parsed.origin}/v1/traces${parsed.search}`;
  }
  return url;
}

/** Validates OTLP options (the environment filling in what they leave out) and returns the exporter configuration. */
function otlpConfig(options: ExportToOtlpOptions, env: OtlpEnvironment): { protocol: OtlpProtocol; config: OtlpExporterConfig } {
  const protocol = options.protocol ?? env.protocol ?? 'http/protobuf';
  if (typeof protocol !== 'string' || !Object.hasOwn(PACKAGE_BY_PROTOCOL, protocol)) {
    throw new TypeError(
      `llmtrace: protocol must be 'http/json', 'http/protobuf' or 'grpc', got ${String(protocol)} (${typeof protocol})`,
    );
  }
  const url = options.url === undefined ? (env.url ?? defaultOtlpUrl(protocol)) : optionUrl(options.url, protocol);
  const config: OtlpExporterConfig = { url };
  if (env.headers !== undefined) config.headers = { ...env.headers };
  if (options.headers !== undefined) {
    if (
      options.headers === null ||
      typeof options.headers !== 'object' ||
      Array.isArray(options.headers) ||
      Object.values(options.headers).some((v) => typeof v !== 'string')
    ) {
      throw new TypeError(`llmtrace: headers must be a record of strings, got ${String(options.headers)} (${typeof options.headers})`);
    }
    config.headers = { ...config.headers, ...options.headers };
  }
  if (options.timeoutMillis !== undefined) {
    config.timeoutMillis = positiveInteger(options.timeoutMillis, 'timeoutMillis');
  } else if (env.timeoutMillis !== undefined) {
    config.timeoutMillis = env.timeoutMillis;
  }
  return { protocol, config };
}

/** The exporter options with the environment's service name and resource attributes where the options have none. */
function withEnvironmentResource(options: ExportToOtlpOptions, env: OtlpEnvironment): ExportToOtlpOptions {
  if (options.resource !== undefined || (env.serviceName === undefined && env.resourceAttributes === undefined)) {
    return options.serviceName === undefined && env.serviceName !== undefined ? { ...options, serviceName: env.serviceName } : options;
  }
  const attributes = env.resourceAttributes ?? {};
  const serviceName =
    options.serviceName === undefined
      ? (env.serviceName ?? attributes['service.name'] ?? DEFAULT_SERVICE_NAME)
      : checkNonEmptyString(options.serviceName, 'serviceName');
  return { ...options, serviceName, resource: llmtraceResource(serviceName, attributes) };
}

/** What `exportToOtlp` returns when `OTEL_SDK_DISABLED=true`: nothing is exported. */
const DISABLED_EXPORT: ExportHandle = Object.freeze({
  flush: async () => {},
  shutdown: async () => {},
  stats: () => ({ queued: 0, exported: 0, dropped: 0, failed: 0 }),
});

/**
 * Exports llmtrace spans to an OTLP receiver (an OpenTelemetry Collector, Jaeger, Tempo, Phoenix,
 * Langfuse...). Options left out come from the OpenTelemetry environment variables
 * (`OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_PROTOCOL`, `OTEL_EXPORTER_OTLP_HEADERS`,
 * `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`, …); with `OTEL_SDK_DISABLED=true` nothing is
 * exported. Rejects with a TypeError for invalid options or variables, or an Error naming the
 * package to install when the exporter for `protocol` is missing.
 * @example
 * const otlp = await exportToOtlp({ serviceName: 'support-bot' }); // OTEL_EXPORTER_OTLP_ENDPOINT, else localhost:4318
 * // ... at the end (also flushed automatically at exit):
 * await otlp.shutdown();
 */
export async function exportToOtlp(options: ExportToOtlpOptions = {}): Promise<ExportHandle> {
  checkOtelOptions('exportToOtlp', options);
  const env = otlpEnvironment(process.env, options.protocol);
  if (env.disabled) return DISABLED_EXPORT;
  const { protocol, config } = otlpConfig(options, env);
  options = withEnvironmentResource(options, env);
  const pkg = PACKAGE_BY_PROTOCOL[protocol];
  let mod: OtlpExporterModule;
  try {
    mod = (await import(pkg)) as OtlpExporterModule;
  } catch (error) {
    throw new Error(`llmtrace: exportToOtlp with protocol '${protocol}' needs ${pkg} (npm install ${pkg})`, { cause: error });
  }
  if (protocol === 'grpc' && config.headers) config.metadata = grpcMetadata(pkg, config.headers);
  const timeoutMs = config.timeoutMillis ?? OTLP_DEFAULT_TIMEOUT_MS;
  const exitAware = protocol === 'grpc' ? undefined : await createExitAwareAgent(new URL(config.url).protocol, timeoutMs);
  if (exitAware) config.httpAgentOptions = async () => exitAware.agent;
  const { url: _url, headers: _headers, protocol: _protocol, timeoutMillis: _timeout, ...exportOptions } = options;
  const exporter = new mod.OTLPTraceExporter(config);
  const handle = exportTo(exporter, exportOptions);
  if (!exitAware) return handle;
  const { ending } = exitSignals();
  const capAtExit = (): void => capRetries(exporter, EXIT_FLUSH_TIMEOUT_MS);
  ending.addEventListener('abort', capAtExit, { once: true });
  return {
    flush: () => exitAware.hold(() => handle.flush()),
    shutdown: async () => {
      await exitAware.hold(() => handle.shutdown());
      ending.removeEventListener('abort', capAtExit);
      exitAware.dispose();
    },
    stats: () => handle.stats(),
  };
}

/**
 * Bounds how long each export from now on may take with its retries: the OTLP exporter retries a
 * 429 or 502-504 within its `timeoutMillis` (10 s by default), and a retry's timer holds the
 * program open past exit handling's bound. The exporter reads that timeout from its delegate on
 * each export; the delegate is not public API, so when its shape differs nothing changes (exit
 * then ends as the pending retry fires, a few seconds later).
 */
function capRetries(exporter: OtelSdkSpanExporter, ms: number): void {
  const delegate = (exporter as { _delegate?: { _timeout?: unknown } })._delegate;
  if (delegate && typeof delegate._timeout === 'number' && delegate._timeout > ms) delegate._timeout = ms;
}

/**
 * The gRPC exporter takes headers as `@grpc/grpc-js` Metadata; that package is loaded from where
 * the exporter resolves it (its own dependency), so the user need not install it.
 */
function grpcMetadata(exporterPackage: string, headers: Record<string, string>): unknown {
  const exporterPath = createRequire(import.meta.url).resolve(exporterPackage);
  const grpc = createRequire(exporterPath)('@grpc/grpc-js') as { Metadata: new () => GrpcMetadata };
  const metadata = new grpc.Metadata();
  for (const [key, value] of Object.entries(headers)) metadata.set(key.toLowerCase(), value);
  return metadata;
}
