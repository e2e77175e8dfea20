/**
 * The OpenTelemetry environment variables the OTLP export honours, read in this one place when
 * `exportToOtlp()` is called (never at import), as the OpenTelemetry specification defines them:
 * the traces-specific variable wins over the general one, and options passed in code win over both.
 *
 * | variable | becomes |
 * |---|---|
 * | `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` | `url`, used as is (no path: requests go to `/`) |
 * | `OTEL_EXPORTER_OTLP_ENDPOINT` | `url`, with `/v1/traces` appended to its path for HTTP (the query kept) |
 * | `OTEL_EXPORTER_OTLP[_TRACES]_PROTOCOL` | `protocol` (`http/protobuf`, `http/json`, `grpc`) |
 * | `OTEL_EXPORTER_OTLP[_TRACES]_HEADERS` | `headers` (`key=value,key2=value2`, values URL-decoded) |
 * | `OTEL_EXPORTER_OTLP[_TRACES]_TIMEOUT` | `timeoutMillis` |
 * | `OTEL_SERVICE_NAME` | `serviceName` |
 * | `OTEL_RESOURCE_ATTRIBUTES` | resource attributes (`key=value,...`, values URL-decoded) |
 * | `OTEL_SDK_DISABLED` | `true`: nothing is exported |
 */

/** OTLP transport. */
export type OtlpProtocol = 'http/json' | 'http/protobuf' | 'grpc';

/** What the environment says about OTLP export. Only the variables that are set appear. */
export interface OtlpEnvironment {
  url?: string;
  protocol?: OtlpProtocol;
  headers?: Record<string, string>;
  timeoutMillis?: number;
  serviceName?: string;
  resourceAttributes?: Record<string, string>;
  /** `OTEL_SDK_DISABLED=true`. */
  disabled: boolean;
}

const PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json', 'grpc'];

function pick(env: NodeJS.ProcessEnv, specific: string, general: string): { name: string; value: string } | undefined {
  for (const name of [specific, general]) {
    const value = env[name]?.trim();
    if (value) return { name, value };
  }
  return undefined;
}

/** Parses `key=value,key2=value2` (W3C baggage-like, values percent-decoded), naming the variable on error. */
function keyValueList(name: string, value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of value.split(',')) {
    if (item.trim() === '') continue;
    const eq = item.indexOf('=');
    const key = eq > 0 ? item.slice(0, eq).trim() : '';
    if (key === '') throw new TypeError(`llmtrace: ${name} must be a list of key=value pairs separated by commas, got "${item.trim()}"`);
    try {
      out[key] = decodeURIComponent(item.slice(eq + 1).trim());
    } catch {
      throw new TypeError(`llmtrace: ${name} has a badly percent-encoded value for "${key}"; encode it with encodeURIComponent`);
    }
  }
  return out;
}

/** The value of an endpoint variable, unchanged. @throws TypeError naming the variable unless it is an absolute http(s) URL. */
function checkEndpoint(name: string, value: string): string {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new TypeError(`llmtrace: ${name} must be an absolute http(s) URL, got "${value}"`);
  }
  return value;
}

/**
 * The URL of `OTEL_EXPORTER_OTLP_ENDPOINT` for `protocol`: for HTTP, `v1/traces` relative to the
 * path (`http://c:4318/otlp?tenant=a` becomes `http://c:4318/otlp/v1/traces?tenant=a`).
 */
function generalEndpoint(value: string, protocol: OtlpProtocol): string {
  checkEndpoint('OTEL_EXPORTER_OTLP_ENDPOINT', value);
  if (protocol === 'grpc') return value;
  const url = new URL(value);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/traces`;
  return url.href;
}

/**
 * Reads the OTLP variables of `env`. `protocolOverride` is the protocol chosen in code, which decides
 * how `OTEL_EXPORTER_OTLP_ENDPOINT` becomes a URL.
 * @throws TypeError naming the variable when a value cannot be used.
 */
export function otlpEnvironment(env: NodeJS.ProcessEnv, protocolOverride?: OtlpProtocol): OtlpEnvironment {
  const out: OtlpEnvironment = { disabled: env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true' };
  const protocol = pick(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL');
  if (protocol) {
    if (!PROTOCOLS.includes(protocol.value as OtlpProtocol)) {
      throw new TypeError(`llmtrace: ${protocol.name} must be one of ${PROTOCOLS.join(', ')}, got "${protocol.value}"`);
    }
    out.protocol = protocol.value as OtlpProtocol;
  }
  const effective = protocolOverride ?? out.protocol ?? 'http/protobuf';
  const specific = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  const general = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  // The traces endpoint is used as is, even with no path (the specification: a request to `/`).
  if (specific) out.url = checkEndpoint('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', specific);
  else if (general) out.url = generalEndpoint(general, effective);
  const headers = pick(env, 'OTEL_EXPORTER_OTLP_TRACES_HEADERS', 'OTEL_EXPORTER_OTLP_HEADERS');
  if (headers) out.headers = keyValueList(headers.name, headers.value);
  const timeout = pick(env, 'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', 'OTEL_EXPORTER_OTLP_TIMEOUT');
  if (timeout) {
    const ms = Number(timeout.value);
    if (!Number.isInteger(ms) || ms <= 0) throw new TypeError(`llmtrace: ${timeout.name} must be a positive number of milliseconds, got "${timeout.value}"`);
    out.timeoutMillis = ms;
  }
  const serviceName = env.OTEL_SERVICE_NAME?.trim();
  if (serviceName) out.serviceName = serviceName;
  const resource = env.OTEL_RESOURCE_ATTRIBUTES?.trim();
  if (resource) out.resourceAttributes = keyValueList('OTEL_RESOURCE_ATTRIBUTES', resource);
  return out;
}

/** The OTLP receiver the specification names when nothing else does. */
export function defaultOtlpUrl(protocol: OtlpProtocol): string {
  return protocol === 'grpc' ? 'http://localhost:4317' : 'http://localhost:4318/v1/traces';
}
