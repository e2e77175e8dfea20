/**
 * The shared shell of `@traceModelCall` and `@monitorLLM`: one decorator function that works under
 * both TypeScript decorator modes, told apart at run time by its arguments. Standard (TC39)
 * decorators get `(method, context)` with `context.kind === 'method'`; legacy
 * (`experimentalDecorators`) ones get `(prototype, key, descriptor)`. Either way the method is
 * replaced by the wrapper core's `wrapWithPlan`, so behaviour is identical in both modes.
 */
import { defineOwnMetadata, designMetadata, getOwnMetadata } from './legacy-metadata.js';
import { compilePlan, type TraceOptions } from '../lib/record/call-plan.js';
import { wrapWithPlan } from '../lib/record/recorder.js';

/** What llmtrace knows about a decorated method. */
export interface TraceMetadata {
  /** `traceModelCall` or `monitorLLM`. */
  readonly decorator: string;
  /** The options the decorator was given. */
  readonly options: Readonly<TraceOptions>;
  /** Parameter type names from `design:paramtypes` (legacy mode with `reflect-metadata` loaded), else []. */
  readonly paramTypes: readonly string[];
  /** Return type name from `design:returntype` (legacy mode), else undefined. */
  readonly returnType: string | undefined;
}

/** Metadata key under which legacy-mode decorators keep per-method TraceMetadata. */
export const TRACE_METADATA_KEY = 'llmtrace:trace';

const byWrapper = new WeakMap<Function, TraceMetadata>();

/**
 * A decorator usable in both decorator modes. The overloads let TypeScript check it as a standard
 * method decorator and as a legacy one.
 */
export interface MethodDecorator {
  <This, Args extends unknown[], Return>(
    method: (this: This, ...args: Args) => Return,
    context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>,
  ): (this: This, ...args: Args) => Return;
  (target: object, propertyKey: string | symbol, descriptor: PropertyDescriptor): PropertyDescriptor;
}

function typeName(type: unknown): string {
  return typeof type === 'function' ? type.name || 'anonymous' : String(type);
}

function isStandardContext(value: unknown): value is DecoratorContext {
  return value !== null && typeof value === 'object' && typeof (value as { kind?: unknown }).kind === 'string';
}

/** @internal Builds a decorator named `decorator` that wraps methods with `options`. */
export function createMethodDecorator(decorator: string, options: TraceOptions): MethodDecorator {
  return function decorate(target: unknown, keyOrContext: unknown, descriptor?: PropertyDescriptor): any {
    if (isStandardContext(keyOrContext)) {
      if (keyOrContext.kind !== 'method' || typeof target !== 'function') {
        throw new TypeError(`llmtrace: @${decorator} decorates methods only, not a ${keyOrContext.kind}`);
      }
      const name = options.name ?? String(keyOrContext.name);
      const wrapper = wrapWithPlan(target as (...args: any[]) => any, compilePlan(target, { ...options, name }));
      byWrapper.set(wrapper, { decorator, options, paramTypes: [], returnType: undefined });
      return wrapper;
    }
    const key = keyOrContext as string | symbol;
    if (!descriptor || typeof descriptor.value !== 'function') {
      throw new TypeError(`llmtrace: @${decorator} decorates methods only; ${String(key)} is not a method`);
    }
    const original = descriptor.value as (...args: any[]) => any;
    const name = options.name ?? String(key);
    const paramTypes = (designMetadata('design:paramtypes', target as object, key) as unknown[] | undefined) ?? [];
    const returnType = designMetadata('design:returntype', target as object, key);
    const metadata: TraceMetadata = {
      decorator,
      options,
      paramTypes: paramTypes.map(typeName),
      returnType: returnType === undefined ? undefined : typeName(returnType),
    };
    const wrapper = wrapWithPlan(original, compilePlan(original, { ...options, name }));
    defineOwnMetadata(TRACE_METADATA_KEY, metadata, target as object, key);
    byWrapper.set(wrapper, metadata);
    return { ...descriptor, value: wrapper };
  } as MethodDecorator;
}

/**
 * What llmtrace knows about a decorated method, in either decorator mode, or undefined when the
 * method is not decorated.
 * @example getTraceMetadata(LLMClient.prototype, 'generateText')?.options.modelParam
 */
export function getTraceMetadata(target: object, key: string | symbol): TraceMetadata | undefined {
  const legacy = getOwnMetadata(target, key) as TraceMetadata | undefined;
  if (legacy) return legacy;
  const method = (target as Record<string | symbol, unknown>)[key];
  return typeof method === 'function' ? byWrapper.get(method) : undefined;
}
