/**
 * Benchmark helper (not a scenario: its name starts with `_`): the minimal-tracer floor, the lower
 * bound llmtrace's overhead is read against. Used by realistic-call.ts and gc-bursts.ts.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ChatCompletion } from './_chat-completion.js';

/** The floor's span: ids, two clock reads, model and tokens. */
export interface FloorSpan {
  traceId: string;
  spanId: string;
  parentId: string | undefined;
  name: string;
  start: number;
  end: number;
  requestModel: string;
  responseModel: string | undefined;
  inputTokens: number | undefined;
  outputTokens: number | undefined;
  ok: boolean;
}

function randomHex32(): string {
  return ((Math.random() * 0x1_0000_0000) >>> 0).toString(16).padStart(8, '0');
}

/**
 * A minimal tracer: the essential work any tracer of this call must do, and nothing else. The lower
 * bound our overhead is read against.
 */
export class FloorTracer {
  private readonly als = new AsyncLocalStorage<FloorSpan>();
  private readonly ring: (FloorSpan | undefined)[];
  private next = 0;
  constructor(capacity: number) {
    this.ring = new Array<FloorSpan | undefined>(capacity);
  }

  /** `fn` traced by the floor; `read` takes the response model and tokens from its result. */
  wrap<M, R>(
    fn: (model: string, messages: M) => Promise<R>,
    name: string,
    read: (span: FloorSpan, result: R) => void,
  ): (model: string, messages: M) => Promise<R> {
    return (model, messages) => {
      const parent = this.als.getStore();
      const span: FloorSpan = {
        traceId: parent ? parent.traceId : randomHex32() + randomHex32() + randomHex32() + randomHex32(),
        spanId: randomHex32() + randomHex32(),
        parentId: parent?.spanId,
        name,
        start: performance.now(),
        end: 0,
        requestModel: model,
        responseModel: undefined,
        inputTokens: undefined,
        outputTokens: undefined,
        ok: true,
      };
      return this.als.run(span, () =>
        fn(model, messages).then(
          (result) => {
            span.end = performance.now();
            read(span, result);
            this.insert(span);
            return result;
          },
          (error: unknown) => {
            span.end = performance.now();
            span.ok = false;
            this.insert(span);
            throw error;
          },
        ),
      );
    };
  }

  private insert(span: FloorSpan): void {
    this.ring[this.next] = span;
    this.next = (this.next + 1) % this.ring.length;
  }
}

/** The floor's reading of an OpenAI chat completion: response model and tokens. */
export function readChatCompletion(span: FloorSpan, r: ChatCompletion): void {
  span.responseModel = r.model;
  span.inputTokens = r.usage.prompt_tokens;
  span.outputTokens = r.usage.completion_tokens;
}
