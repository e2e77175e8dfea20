/**
 * Sending llmtrace spans out through an application's own OpenTelemetry SDK: each finished span is
 * converted (ids kept) and handed to the provider's span processors, so it goes wherever the
 * application's other spans go, under the application's resource. The provider is never shut
 * down by llmtrace.
 */
import type { Resource } from '@opentelemetry/resources';
import type { OtelSpanProcessor } from './sdk-shapes.js';
import type { SpanExporter } from '../../lib/export/span-exporter.js';
import type { Span } from '../../lib/span.js';
import { checkConventions, type AttributeConventions } from './conventions.js';
import { startExport, type ExportHandle, type ExportTargetOptions } from './export-handle.js';
import { LLMTRACE_SCOPE, toReadableSpan } from './readable-span.js';
import { checkOtelOptions } from './option-schemas.js';

/** Explicit processors (and resource) to forward to, for SDK setups where the provider cannot be read. */
export interface ProviderTarget {
  /** The span processors the application's provider was built with. */
  spanProcessors: readonly OtelSpanProcessor[];
  /** Resource to export under. @default the provider's; required when passing processors */
  resource: Resource;
}

/** Options of `forwardToProvider`. */
export interface ForwardToProviderOptions extends ExportTargetOptions {
  /** Attribute naming on forwarded spans. @default 'gen_ai' */
  conventions?: AttributeConventions;
}

/** An SDK provider, read structurally: BasicTracerProvider/NodeTracerProvider, or the API's proxy. */
interface SdkProviderShape {
  getDelegate?: () => unknown;
  _activeSpanProcessor?: OtelSpanProcessor;
  _resource?: Resource;
}

function resolveTarget(provider: unknown): { processor: OtelSpanProcessor; resource: Resource } {
  const explicit = provider as Partial<ProviderTarget> | null;
  if (explicit && Array.isArray(explicit.spanProcessors)) {
    if (!explicit.resource) throw new TypeError('llmtrace: resource is required with spanProcessors');
    const processors = explicit.spanProcessors;
    return {
      processor: {
        onEnd: (span) => processors.forEach((p) => p.onEnd(span)),
        forceFlush: async () => void (await Promise.all(processors.map((p) => p.forceFlush()))),
      },
      resource: explicit.resource,
    };
  }
  let sdk = provider as SdkProviderShape | null;
  if (sdk && typeof sdk.getDelegate === 'function') sdk = sdk.getDelegate() as SdkProviderShape;
  const processor = sdk?._activeSpanProcessor;
  if (!sdk || !processor || typeof processor.onEnd !== 'function' || !sdk._resource) {
    throw new TypeError(
      'llmtrace: provider must be an OpenTelemetry SDK tracer provider (NodeTracerProvider, BasicTracerProvider) ' +
        'or { spanProcessors, resource }',
    );
  }
  return { processor, resource: sdk._resource };
}

/** An llmtrace SpanExporter that emits spans through an OpenTelemetry SDK's span processors. */
export class ProviderSpanExporter implements SpanExporter {
  readonly #processor: OtelSpanProcessor;
  readonly #resource: Resource;
  readonly #conventions: AttributeConventions;

  /** @throws TypeError when `provider` is neither an SDK provider nor `{ spanProcessors, resource }`. */
  constructor(provider: object | ProviderTarget, conventions?: AttributeConventions) {
    const target = resolveTarget(provider);
    this.#processor = target.processor;
    this.#resource = target.resource;
    this.#conventions = checkConventions(conventions);
  }

  /** Hands each span to the provider's processors (which batch and export on their own schedule). */
  async export(spans: readonly Span[]): Promise<void> {
    for (const span of spans) this.#processor.onEnd(toReadableSpan(span, this.#resource, LLMTRACE_SCOPE, this.#conventions));
  }

  /** Flushes the provider's processors. */
  async forceFlush(): Promise<void> {
    await this.#processor.forceFlush();
  }

  /** Flushes; the application's provider stays up (it is theirs to shut down). */
  async shutdown(): Promise<void> {
    await this.forceFlush();
  }
}

/**
 * Sends llmtrace spans out through the application's own OpenTelemetry SDK provider (its
 * processors, exporters and resource), keeping llmtrace's span ids so the trace stays nested.
 * @example
 * const provider = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())] });
 * provider.register();
 * bridgeOpenTelemetry();
 * forwardToProvider(provider);
 */
export function forwardToProvider(provider: object | ProviderTarget, options: ForwardToProviderOptions = {}): ExportHandle {
  checkOtelOptions('forwardToProvider', options);
  return startExport(new ProviderSpanExporter(provider, options.conventions), options);
}
