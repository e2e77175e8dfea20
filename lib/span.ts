/**
 * The span model: one timed unit of work (a model call, an embedding, a tool call, or a scope such
 * as a run, iteration or request). Spans are plain-data objects with a few mutators; what
 * `JSON.stringify(span)` gives is exactly what sinks store and exporters send.
 */
import { epochNow } from './clock.js';

/** What a span stands for. Scope kinds (`session`, `run`, `iteration`, `request`) group the calls made inside them. */
export type SpanKind =
  | 'llm'
  | 'embedding'
  | 'chain'
  | 'tool'
  | 'agent'
  | 'retrieval'
  | 'session'
  | 'run'
  | 'iteration'
  | 'request'
  | 'model'
  | 'custom';

/** A span's lifecycle state. */
export type SpanStatus = 'running' | 'success' | 'error';

/** An attribute value. `null` records "known to be unknown" (for example the cost of an unpriced model). */
export type AttributeValue = string | number | boolean | null | readonly string[] | readonly number[];

/** A flat attribute record. */
export type Attributes = Record<string, AttributeValue>;

/** A timestamped event inside a span (request, response, first chunk, retries, user events). */
export interface SpanEvent {
  /** Event name, e.g. `gen_ai.request` or a user's own. */
  readonly name: string;
  /** Epoch milliseconds. */
  readonly time: number;
  /** Event attributes. */
  readonly attributes: Attributes;
}

/** What went wrong, on a failed span. */
export interface SpanError {
  /** The error's class name (`RateLimitError`, `TypeError`) or its `code`. */
  readonly type: string;
  /** The error message, redacted and capped. */
  readonly message: string;
}

/** The scope ids enclosing a span, keyed by scope kind (`{ run: '…', iteration: '…' }`). */
export type ScopeIds = Readonly<Partial<Record<SpanKind, string>>>;

/** Kinds that open a correlation scope: their id is carried by every span and log line inside them. */
const SCOPE_KINDS: ReadonlySet<SpanKind> = new Set<SpanKind>(['session', 'run', 'iteration', 'request', 'model', 'agent']);

const NO_SCOPES: ScopeIds = Object.freeze({});

const NO_EVENTS: readonly SpanEvent[] = Object.freeze([]);

/**
 * What a new span takes from its parent: a local Span, or a remote one (a W3C `traceparent` from
 * an incoming request, or an active OpenTelemetry span).
 */
export interface ParentRef {
  readonly id: string;
  readonly traceId: string;
  readonly sampled: boolean;
  readonly scopes: ScopeIds;
  /** The W3C `tracestate` list carried with the trace (validated; see lib/tracestate.ts). */
  readonly traceState?: string;
  /** True for a parent in another process (an incoming `traceparent`). */
  readonly remote?: boolean;
  /**
   * True when this process's sampling ratio made the trace's keep decision (see `Span.ratioDecided`);
   * absent on a remote or OpenTelemetry parent, whose decision came with it.
   */
  readonly ratioDecided?: boolean;
}


/**
 * One span. Created by the recorder (`traced`, the decorators, `withSpan`, adapters); user code
 * reaches the current one with `currentSpan()`.
 */
export class Span {
  /** 16 lowercase hex digits. */
  readonly id: string;
  /** 32 lowercase hex digits, shared by every span of one trace. */
  readonly traceId: string;
  /** The enclosing span's id, absent on a root span. */
  readonly parentId: string | undefined;
  /** True when the parent is in another process (the trace was continued from a `traceparent`). */
  readonly parentRemote: boolean;
  /** What was called (function or method name, or the scope's name). */
  readonly name: string;
  /** What kind of work this is. */
  readonly kind: SpanKind;
  /** Epoch milliseconds (sub-millisecond precision, from the monotonic clock kept anchored to the wall clock: lib/clock.ts). */
  readonly startTime: number;
  /** Milliseconds, from the monotonic clock (`endTime - startTime`); 0 while running. */
  duration = 0;
  /** `running` until the span ends. */
  status: SpanStatus = 'running';
  /** Flat attributes, OpenTelemetry GenAI names where one exists. */
  readonly attributes: Attributes;
  /**
   * Events in the order they were added (add with `addEvent`). Spans without events share one
   * frozen empty array: most spans have none, and a retained array per span costs GC time
   * (benchmarks/traced-overhead.ts, traced vs traced_store100).
   */
  events: readonly SpanEvent[] = NO_EVENTS;
  /** Present when `status` is `error`. */
  error: SpanError | undefined = undefined;
  /** Ids of the scopes (run, iteration, request, ...) this span sits in, including itself if it is one. */
  readonly scopes: ScopeIds;
  /** Whether the span is kept for storage and export (sampling). Aggregates count every span. */
  sampled: boolean;
  /**
   * True when `sampled` is this process's head decision (the trace started here, under the sampling
   * ratio), so a kept span stands for `1 / ratio` calls; false in a trace continued from a remote or
   * OpenTelemetry parent, whose decision the span follows and which was not this ratio's.
   */
  readonly ratioDecided: boolean;
  /** The W3C `tracestate` of its trace, inherited from the parent (set by `continueTrace`); passed on unchanged. */
  readonly traceState: string | undefined;

  /** @internal Use the recorder or `withSpan`; spans are not constructed by hand. */
  constructor(
    name: string,
    kind: SpanKind,
    parent: ParentRef | undefined,
    attributes: Attributes,
    traceId: string,
    id: string,
    sampled: boolean,
  ) {
    this.id = id;
    this.traceId = traceId;
    this.parentId = parent?.id;
    this.parentRemote = parent?.remote === true;
    this.name = name;
    this.kind = kind;
    this.startTime = epochNow();
    this.attributes = attributes;
    this.sampled = sampled;
    this.ratioDecided = parent === undefined || parent.ratioDecided === true;
    this.traceState = parent?.traceState;
    const inherited = parent ? parent.scopes : NO_SCOPES;
    this.scopes = SCOPE_KINDS.has(kind) ? Object.freeze({ ...inherited, [kind]: id }) : inherited;
  }

  /**
   * Epoch milliseconds; 0 while running. Derived from `startTime + duration` (what `finish` sets,
   * bit for bit) rather than kept: a kept double is a 16-byte heap number and a field, 24 B per
   * retained span (benchmarks/retained-span.ts). Assigning it sets `duration` to match.
   */
  get endTime(): number {
    return this.duration === 0 && this.status === 'running' ? 0 : this.startTime + this.duration;
  }

  set endTime(time: number) {
    this.duration = time - this.startTime;
  }

  /** Whether the span has ended. */
  get ended(): boolean {
    return this.status !== 'running';
  }

  /** Sets one attribute. Ignored once the span has ended. */
  setAttribute(key: string, value: AttributeValue): this {
    if (this.status === 'running') this.attributes[key] = value;
    return this;
  }

  /** Sets several attributes. Ignored once the span has ended. */
  setAttributes(attributes: Attributes): this {
    if (this.status === 'running') Object.assign(this.attributes, attributes);
    return this;
  }

  /** Adds a timestamped event (`time`: epoch ms, default now). Ignored once the span has ended. */
  addEvent(name: string, attributes: Attributes = {}, time?: number): this {
    if (this.status !== 'running') return this;
    const event = { name, time: time ?? epochNow(), attributes };
    if (this.events === NO_EVENTS) this.events = [event];
    else (this.events as SpanEvent[]).push(event);
    return this;
  }

  /**
   * Ends the span: sets `endTime` (`endedAt`, epoch ms, default now), `duration`, `status` and
   * `error`. Returns false (and changes nothing) when it had already ended, so every caller can end
   * defensively and a span ends once.
   * @internal Called by the recorder; user code ends spans by returning from the traced function.
   */
  finish(error?: SpanError, endedAt?: number): boolean {
    if (this.status !== 'running') return false;
    // A correction of the clock's anchor (lib/clock.ts) inside a very short span must not make it negative.
    const duration = Math.max(0, (endedAt ?? epochNow()) - this.startTime);
    this.duration = duration;
    this.status = error ? 'error' : 'success';
    this.error = error;
    return true;
  }

  /** Plain data, as stored and exported. */
  toJSON(): SpanData {
    return {
      id: this.id,
      traceId: this.traceId,
      ...(this.parentId ? { parentId: this.parentId } : {}),
      ...(this.parentRemote ? { parentRemote: true } : {}),
      name: this.name,
      kind: this.kind,
      startTime: this.startTime,
      endTime: this.endTime,
      duration: this.duration,
      status: this.status,
      attributes: this.attributes,
      events: this.events,
      ...(this.error ? { error: this.error } : {}),
      scopes: this.scopes,
      sampled: this.sampled,
    };
  }
}

/** A span as plain JSON data (what sinks write and readers return). */
export interface SpanData {
  readonly id: string;
  readonly traceId: string;
  readonly parentId?: string;
  readonly parentRemote?: boolean;
  readonly name: string;
  readonly kind: SpanKind;
  readonly startTime: number;
  readonly endTime: number;
  readonly duration: number;
  readonly status: SpanStatus;
  readonly attributes: Attributes;
  readonly events: readonly SpanEvent[];
  readonly error?: SpanError;
  readonly scopes: ScopeIds;
  readonly sampled: boolean;
}
