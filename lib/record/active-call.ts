/**
 * ActiveCall: the lifecycle of one traced call after it has started, whichever way it ends (return,
 * throw, promise settle, stream end). It ends its span exactly once and hands it to the store. Every
 * method is safe to call from the record path: failures inside are reported, never thrown.
 */
import { GenAI, LLMTrace, SpanEvents } from '../attributes.js';
import type { CallPlan } from './call-plan.js';
import { applyCallResult } from './call-result-attributes.js';
import type { TraceState } from '../config.js';
import { captureContent, type CaptureMode, type ContentSide } from './content.js';
import { epochAt } from '../clock.js';
import { describeError } from './error-info.js';
import { extractCallResult, hasUserExtractors } from '../extract/index.js';
import { newResult, type CallResult } from '../extract/call-result.js';
import { mayCarryStreamFacts } from '../extract/stream-facts.js';
import { chatChunkHasContent, readProviderStreamItem } from '../extract/stream-events.js';
import { applyUsageDetails, checkUsageFound } from '../extract/usage-details.js';
import { reportInternalError } from '../internal/diagnostics.js';
import { recordCost } from '../pricing/span-cost.js';
import { markResources, resourceAttributes, type ResourceMark } from './resource-usage.js';
import { redactSpan } from '../redact/redact-span.js';
import { requestIdOfResult } from './request-id.js';
import { keepByTailRule, sampleWeight } from '../sampling.js';
import type { Span } from '../span.js';

/**
 * How a stream ended: read to the end, the consumer stopped early, it was aborted or failed, or it
 * was never read to its end through its iterator before it was dropped or the program ended.
 */
export type StreamEnd = 'completed' | 'cancelled' | 'aborted' | 'error' | 'unfinished';

/**
 * What ended below a span that is still running, as `BELOW_*` bits. A model call span with a model
 * call of its kind below it (a decorated method wrapping an instrumented SDK call, say; an `llm`
 * span that embeds its query first is still the `llm` call) is not a model call of its own (`llmtrace.model_call.in_children`), so each request counts once in call counts; one with
 * token usage reported below it records no usage or cost of its own, even when it returns the same
 * response, so tokens and dollars are counted once (`llmtrace.usage.in_children`).
 */
const endedBelow = new WeakMap<Span, number>();
/**
 * The errors calls below a running span failed with, last few first out: a span that fails with one
 * of them (it propagated), or with an error wrapping one (`cause`, the AI SDK's `lastError` and
 * `errors`), failed because a call below it did (`llmtrace.error.in_children`), so that failure is
 * counted once, where it happened.
 */
const failedBelow = new WeakMap<Span, { readonly error: unknown; readonly from: Span }[]>();
/** Errors remembered per span (a wrapper retrying a call many times passes on one of them). */
const MAX_FAILURES_BELOW = 16;

/** Whether `error` is, or wraps (up to three levels), one of `below`. */
function causedBy(error: unknown, below: readonly unknown[], depth = 0): boolean {
  if (below.includes(error)) return true;
  if (depth >= 3 || error === null || typeof error !== 'object') return false;
  try {
    const e = error as { cause?: unknown; lastError?: unknown; errors?: unknown };
    if (e.cause !== undefined && causedBy(e.cause, below, depth + 1)) return true;
    if (e.lastError !== undefined && causedBy(e.lastError, below, depth + 1)) return true;
    return Array.isArray(e.errors) && e.errors.slice(-MAX_FAILURES_BELOW).some((inner) => causedBy(inner, below, depth + 1));
  } catch {
    return false; // a hostile getter
  }
}

/**
 * Whether token usage that `span` would count again was reported below it: an `llm` span's by any
 * call but an embedding (an `llm` call that embeds its query first has usage of its own), an
 * `embedding` span's by an embedding, any other span's by any call.
 */
function usageReportedBelow(span: Span): boolean {
  const mask = span.kind === 'llm' ? BELOW_USAGE : span.kind === 'embedding' ? BELOW_EMBEDDING_USAGE : BELOW_USAGE | BELOW_EMBEDDING_USAGE;
  return ((endedBelow.get(span) ?? 0) & mask) !== 0;
}

/** An `llm` call ended below. */
const BELOW_LLM_CALL = 1;
/** An `embedding` call ended below (it does not make an `llm` span above it a wrapper, nor the reverse). */
const BELOW_EMBEDDING_CALL = 8;
/** Token usage was reported below, by a call other than an embedding. */
const BELOW_USAGE = 2;
/** Token usage was reported below by an embedding call. */
const BELOW_EMBEDDING_USAGE = 16;
/** A call below failed: its error is in `failedBelow`. */
const BELOW_FAILURE = 4;

function withoutUsage(result: CallResult): CallResult {
  return { ...result, inputTokens: undefined, outputTokens: undefined, cachedInputTokens: undefined };
}

/** Where the size of captured request and response content goes on a span. */
const BYTES_ATTRIBUTE = { request: LLMTrace.REQUEST_BYTES, response: LLMTrace.RESPONSE_BYTES } as const;

/** Copies the known facts of `from` into `into` (field by field: no allocation per stream chunk). */
function mergeResults(into: CallResult, from: CallResult): void {
  if (from.provider !== undefined) into.provider = from.provider;
  if (from.model !== undefined) into.model = from.model;
  if (from.responseId !== undefined) into.responseId = from.responseId;
  if (from.inputTokens !== undefined) into.inputTokens = from.inputTokens;
  if (from.outputTokens !== undefined) into.outputTokens = from.outputTokens;
  if (from.cachedInputTokens !== undefined) into.cachedInputTokens = from.cachedInputTokens;
  if (from.cacheWriteInputTokens !== undefined) into.cacheWriteInputTokens = from.cacheWriteInputTokens;
  if (from.reasoningTokens !== undefined) into.reasoningTokens = from.reasoningTokens;
  if (from.finishReasons !== undefined) mergeFinishReasons(into, from);
}

/**
 * Later finish reasons replace earlier ones, except choice by choice when both results number their
 * choices (`finishChoices`): a stream of n > 1 choices finishes each in its own chunk.
 */
function mergeFinishReasons(into: CallResult, from: CallResult): void {
  const known = into.finishReasons;
  const knownChoices = into.finishChoices;
  const choices = from.finishChoices;
  if (known === undefined || knownChoices === undefined || choices === undefined) {
    into.finishReasons = from.finishReasons;
    into.finishChoices = choices;
    return;
  }
  const byChoice = new Map<number, string>();
  for (let i = 0; i < knownChoices.length; i++) byChoice.set(knownChoices[i]!, known[i]!);
  for (let i = 0; i < choices.length; i++) byChoice.set(choices[i]!, from.finishReasons![i]!);
  const order = [...byChoice.keys()].sort((a, b) => a - b);
  into.finishChoices = order;
  into.finishReasons = order.map((choice) => byChoice.get(choice)!);
}

/** What an ended call holds instead of its arguments: nothing of the caller's outlives the call. */
const RELEASED_ARGS: readonly unknown[] = [];

/**
 * The call that ended last. It holds none of the caller's values (its arguments are released at the
 * end); what it keeps, its span and its plan, the store and the traced wrapper keep too, unless the
 * program dropped both since. V8 keeps a hidden class only while some object has it, and an
 * ActiveCall lives only while its call is in flight: at a full GC with no call in flight (between
 * two bursts of calls, or two benchmark rounds), ActiveCall's hidden class was collected, and every
 * optimised function of the record path that had it embedded (startCall, invoke, succeed, the
 * ending, about a dozen) was deoptimised and compiled again on the next calls: up to 3x a call's
 * overhead in rounds of 2,000 calls after a full GC. Written, never read: benchmarks/gc-bursts.ts
 * misses its target without it (docs/performance.md, "Hidden classes across GCs").
 */
const lastEnded: { call: ActiveCall | undefined } = { call: undefined };

/** What a stream's chunks told so far. Made at its first chunk or fact: a call that does not stream pays nothing for it. */
interface StreamProgress {
  chunks: number;
  firstChunkAt: number;
  lastChunkAt: number;
  /** Facts merged from the chunks, in chunk order. */
  readonly result: CallResult;
}

function newStreamProgress(): StreamProgress {
  return { chunks: 0, firstChunkAt: 0, lastChunkAt: 0, result: newResult(undefined) };
}

/** Whether `chunk` is an OpenAI chat completion chunk (any OpenAI-compatible server's too). */
function isChatCompletionChunk(chunk: unknown): chunk is object {
  return chunk !== null && typeof chunk === 'object' && (chunk as { object?: unknown }).object === 'chat.completion.chunk';
}

/**
 * Whether a chunk of a traced function's own stream is worth the extractor registry: the `first`
 * one (the model and response id), then only chunks that can carry usage or a finish reason, unless
 * the user registered extractors of their own (their shapes are unknown).
 */
function mayInform(chunk: unknown, first: boolean): boolean {
  return first || hasUserExtractors() || mayCarryStreamFacts(chunk);
}

/** One call in flight. Created by the recorder; adapters receive it through `RecorderHooks.adoptResult`. */
export class ActiveCall {
  readonly span: Span;
  readonly #plan: CallPlan;
  #args: readonly unknown[];
  readonly #state: TraceState;
  readonly #mark: ResourceMark | undefined;
  readonly #parent: Span | undefined;
  #stream: StreamProgress | undefined;
  /** Runs once when the call ends (set by whoever keeps a way to end it later: `whenEnded`). */
  #onEnd: (() => void) | undefined;

  constructor(span: Span, plan: CallPlan, args: readonly unknown[], state: TraceState, parent?: Span) {
    this.span = span;
    this.#parent = parent;
    this.#plan = plan;
    this.#args = args;
    this.#state = state;
    this.#mark = (plan.resources ?? state.resources) ? markResources() : undefined;
  }

  /** The capture mode in force for this call. */
  get capture(): CaptureMode {
    return this.#plan.capture ?? this.#state.capture;
  }

  /** @internal Records request content (called once at start). */
  recordRequest(): void {
    const mode = this.capture;
    if (mode !== 'off') this.#captureContent(this.#args, mode, 'request');
  }

  /**
   * Records one stream chunk: time to first chunk, chunk timing, and usage the chunk carries. Of a
   * provider's typed event stream (Anthropic, OpenAI Responses) only content events count as chunks;
   * the others add their facts (model, usage, stop reason) without counting.
   */
  chunk(chunk: unknown): void {
    try {
      const stream = (this.#stream ??= newStreamProgress());
      const hook = this.#plan.hooks.chunkResult;
      if (hook !== undefined) {
        this.#countChunk(stream);
        const found = hook(chunk);
        if (found) mergeResults(stream.result, found);
        return;
      }
      if (isChatCompletionChunk(chunk)) {
        // Only content counts (not the role-only first chunk, nor the finish or usage chunk); facts
        // are read from chunks that can carry them, and until the model is known (the role chunk is
        // not counted, so "first" is that).
        if (chatChunkHasContent(chunk)) this.#countChunk(stream);
        const found = mayInform(chunk, stream.result.model === undefined) ? extractCallResult(chunk) : undefined;
        if (found) mergeResults(stream.result, found);
        return;
      }
      const event = readProviderStreamItem(chunk);
      if (event === undefined) {
        this.#countChunk(stream);
        const found = mayInform(chunk, stream.chunks === 1) ? extractCallResult(chunk) : undefined;
        if (found) mergeResults(stream.result, found);
        return;
      }
      if (event.result) mergeResults(stream.result, event.result);
      if (hasUserExtractors()) {
        const found = extractCallResult(chunk); // a user's extractor wins for shapes both understand
        if (found) mergeResults(stream.result, found);
      }
      if (event.content) this.#countChunk(stream);
    } catch (error) {
      reportInternalError('record.chunk', error);
    }
  }

  /** Counts a content chunk: the first sets time to first chunk. */
  #countChunk(stream: StreamProgress): void {
    const now = performance.now();
    if (stream.chunks === 0) {
      stream.firstChunkAt = now;
      const ttftMs = Math.max(0, epochAt(now) - this.span.startTime);
      this.span.attributes[LLMTrace.TIME_TO_FIRST_TOKEN_MS] = ttftMs;
      this.span.attributes[GenAI.RESPONSE_TIME_TO_FIRST_CHUNK] = ttftMs / 1000;
      if (this.capture !== 'off') this.span.addEvent(SpanEvents.FIRST_CHUNK);
    }
    stream.chunks++;
    stream.lastChunkAt = now;
  }

  /**
   * Merges facts a stream carries outside its content chunks (a final usage chunk, Anthropic's
   * `message_start`) without counting a chunk, so time to first chunk and the chunk count stay those
   * of the content.
   */
  streamResult(result: CallResult | undefined): void {
    if (!result) return;
    mergeResults((this.#stream ??= newStreamProgress()).result, result);
  }

  /** Ends a successful call with its value; `endedAt` (epoch ms, default now) for a call ended later than it finished. */
  succeed(value: unknown, result?: CallResult, endedAt?: number): void {
    if (this.span.ended) return;
    try {
      const found = result ?? (this.#plan.readsResult ? extractCallResult(value, this.#plan.extractor) : undefined);
      const usageBelow = usageReportedBelow(this.span);
      if (found) applyCallResult(this.span, usageBelow ? withoutUsage(found) : found);
      if (found && !usageBelow) applyUsageDetails(this.span.attributes, found);
      if (result === undefined && this.span.kind === 'llm' && this.#plan.readsResult && !usageBelow) {
        checkUsageFound(this.#plan, found, value);
      }
      const requestId = requestIdOfResult(value);
      if (requestId !== undefined) this.span.attributes[LLMTrace.REQUEST_ID] = requestId;
      this.#applyHook(value);
      const mode = this.capture;
      if (mode !== 'off' && value !== undefined) this.#captureContent(value, mode, 'response');
    } catch (error) {
      reportInternalError('record.result', error);
    }
    this.#end(undefined, endedAt);
  }

  /**
   * Ends a failed call. The error itself is never changed. `failedAt` (epoch ms, default now) is when
   * it failed, for an adapter that ends the span later (a failed attempt held for a retry).
   */
  fail(error: unknown, failedAt?: number): void {
    if (this.span.ended) return;
    const described = describeError(error, this.#state.redactor);
    try {
      Object.assign(this.span.attributes, described.attributes);
      this.#recordFailureOwnership(error);
      this.#applyHook(undefined);
      this.span.addEvent(
        SpanEvents.EXCEPTION,
        { 'exception.type': described.error.type, 'exception.message': described.error.message },
        failedAt,
      );
    } catch (hookError) {
      reportInternalError('record.error', hookError);
    }
    this.#end(described.error, failedAt);
  }

  /**
   * Ends a streamed call: records chunk timing, usage read from the chunks (or estimated from the
   * chunk count, marked `llmtrace.usage.estimated`), and how the stream ended.
   */
  endStream(how: StreamEnd, error?: unknown, endedAt?: number): void {
    if (this.span.ended) return;
    try {
      const a = this.span.attributes;
      const { chunks, firstChunkAt, lastChunkAt, result } = this.#stream ?? newStreamProgress();
      if (result.outputTokens === undefined && chunks > 0 && this.span.kind === 'llm') {
        result.outputTokens = chunks;
        a[LLMTrace.USAGE_ESTIMATED] = true;
      }
      a[LLMTrace.STREAM_END] = how;
      a[LLMTrace.STREAM_CHUNKS] = chunks;
      if (chunks > 0) {
        // A stream ended later than its last chunk (unfinished: `endedAt` given) lasted until that chunk.
        const streamMs = (endedAt === undefined ? performance.now() : lastChunkAt) - firstChunkAt;
        a[LLMTrace.STREAM_DURATION_MS] = streamMs;
        if (chunks > 1) a[LLMTrace.STREAM_MEAN_CHUNK_INTERVAL_MS] = (lastChunkAt - firstChunkAt) / (chunks - 1);
        if (result.outputTokens !== undefined && streamMs > 0) {
          a[LLMTrace.STREAM_OUTPUT_TOKENS_PER_SECOND] = result.outputTokens / (streamMs / 1000);
        }
      }
      const usageBelow = usageReportedBelow(this.span);
      applyCallResult(this.span, usageBelow ? withoutUsage(result) : result);
      if (!usageBelow) applyUsageDetails(a, result);
    } catch (recordError) {
      reportInternalError('record.stream', recordError);
    }
    if (how === 'error' || how === 'aborted') this.fail(error, endedAt);
    else this.succeed(undefined, {}, endedAt);
  }

  /**
   * Ends a streamed call whose stream was dropped, or outlived by the program, before it was read to
   * its end through its iterator (`unfinished`): as of its last chunk, or of `returnedAt` (epoch ms,
   * when the stream was returned) when none was read.
   */
  endUnfinished(returnedAt: number): void {
    const stream = this.#stream;
    this.endStream('unfinished', undefined, stream && stream.chunks > 0 ? epochAt(stream.lastChunkAt) : returnedAt);
  }

  /** Has `onEnd` run once when the call ends, however it ends (one at a time: a later one replaces it). */
  whenEnded(onEnd: () => void): void {
    this.#onEnd = onEnd;
  }

  /**
   * Records the size of `value` and, in `full` mode, its redacted, capped content (the GenAI message
   * schema for model calls).
   */
  #captureContent(value: unknown, mode: CaptureMode, side: ContentSide): void {
    const maxBytes = this.#plan.maxContentBytes ?? this.#state.maxContentBytes;
    const a = this.span.attributes;
    const model = a[GenAI.REQUEST_MODEL];
    const asMessages = this.span.kind === 'llm';
    const captured = captureContent(value, side, mode, maxBytes, this.#state.redactor, asMessages, typeof model === 'string' ? model : undefined);
    if (!captured) return;
    if (captured.bytes !== undefined) a[BYTES_ATTRIBUTE[side]] = captured.bytes;
    if (captured.attributes) Object.assign(a, captured.attributes);
  }

  #applyHook(result: unknown): void {
    const hook = this.#plan.attributes;
    if (!hook) return;
    try {
      const extra = hook(this.#args, result);
      if (extra) Object.assign(this.span.attributes, extra);
    } catch (error) {
      reportInternalError('record.attributes-hook', error);
    }
  }

  /**
   * Marks a failure that came from a call below, or that a sibling failed with before (a LangChain
   * output parser passing on its model's stream error), see `failedBelow`; then tells the parent.
   */
  #recordFailureOwnership(error: unknown): void {
    const parent = this.#parent;
    const below = ((endedBelow.get(this.span) ?? 0) & BELOW_FAILURE) !== 0 ? failedBelow.get(this.span) : undefined;
    const fromBelow = below !== undefined && causedBy(error, below.map((f) => f.error));
    const fromSibling = parent !== undefined && (failedBelow.get(parent) ?? []).some((f) => f.error === error && f.from !== this.span);
    if (fromBelow || fromSibling) this.span.attributes[LLMTrace.ERROR_IN_CHILDREN] = true;
    this.reportFailureToParent(error);
  }

  /**
   * @internal Tells the parent span that this call failed with `error`, so the parent (or a sibling)
   * failing with it, or with an error wrapping it, is marked as that same failure. An adapter that
   * holds a failed attempt open for a retry calls it when the attempt fails.
   */
  reportFailureToParent(error: unknown): void {
    const parent = this.#parent;
    if (!parent) return;
    const failures = failedBelow.get(parent);
    const failure = { error, from: this.span };
    if (failures === undefined) failedBelow.set(parent, [failure]);
    else if (!failures.some((f) => f.error === error && f.from === this.span)) {
      if (failures.length >= MAX_FAILURES_BELOW) failures.shift();
      failures.push(failure);
    }
    endedBelow.set(parent, (endedBelow.get(parent) ?? 0) | BELOW_FAILURE);
  }

  /**
   * Records cost, or that usage was counted below, and whether model calls below make this one; then
   * tells the parent what ended here or below (a model call, usage).
   */
  #recordUsageOwnership(failed: boolean): void {
    const a = this.span.attributes;
    const below = endedBelow.get(this.span) ?? 0;
    const kind = this.span.kind;
    const callBit = kind === 'llm' ? BELOW_LLM_CALL : kind === 'embedding' ? BELOW_EMBEDDING_CALL : 0;
    if (usageReportedBelow(this.span)) a[LLMTrace.USAGE_IN_CHILDREN] = true;
    else recordCost(this.span, this.#state.prices, failed);
    // A model call with a call of its kind below it: that one is the request to the model.
    if (callBit !== 0 && (below & callBit) !== 0) a[LLMTrace.MODEL_CALL_IN_CHILDREN] = true;
    if (below & BELOW_FAILURE) failedBelow.delete(this.span); // not kept with the stored span
    if (!this.#parent) return;
    const own = a[GenAI.USAGE_INPUT_TOKENS] !== undefined || a[GenAI.USAGE_OUTPUT_TOKENS] !== undefined;
    const ownBit = own ? (kind === 'embedding' ? BELOW_EMBEDDING_USAGE : BELOW_USAGE) : 0;
    const here = (below & ~BELOW_FAILURE) | ownBit | callBit;
    if (here !== 0) endedBelow.set(this.#parent, (endedBelow.get(this.#parent) ?? 0) | here);
  }

  #end(error: { type: string; message: string } | undefined, endedAt?: number): void {
    try {
      if (this.#mark) Object.assign(this.span.attributes, resourceAttributes(this.#mark));
    } catch (resourceError) {
      reportInternalError('record.resources', resourceError);
    }
    try {
      if (!this.span.ended) this.#recordUsageOwnership(error !== undefined);
    } catch (costError) {
      reportInternalError('record.cost', costError);
    }
    if (!this.span.finish(error, endedAt)) return;
    this.#args = RELEASED_ARGS;
    if (this.#onEnd) {
      const onEnd = this.#onEnd;
      this.#onEnd = undefined;
      try {
        onEnd();
      } catch (hookError) {
        reportInternalError('record.on-end', hookError);
      }
    }
    lastEnded.call = this;
    redactSpan(this.span, this.#state.redactor); // the final pass: nothing reaches a sink unredacted
    const sampling = this.#state.sampling;
    if (!this.span.sampled && keepByTailRule(this.span, sampling)) this.span.sampled = true;
    if (sampling.ratio < 1 && this.span.sampled && this.span.ratioDecided) {
      // Readers of a sample (`llmtrace stats`, session files) weight each kept span by it; a span
      // whose trace a remote caller decided to keep stands for itself.
      const weight = sampleWeight(this.span, sampling);
      if (weight !== 1) this.span.attributes[LLMTrace.SAMPLE_WEIGHT] = weight;
    }
    try {
      (this.#plan.store ?? this.#state.store).add(this.span);
    } catch (storeError) {
      reportInternalError('record.store', storeError);
    }
  }
}
