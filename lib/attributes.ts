/**
 * Span attribute names. Where the OpenTelemetry GenAI semantic conventions (the
 * semantic-conventions-genai registry; GEN_AI_SEMCONV_VERSION in llmtrace/otel) define a name we use
 * it; everything llmtrace adds lives under `llmtrace.*`. The full list, with meanings, is in
 * docs/attributes.md. Also the one reading of them that pricing and aggregation share: which model a
 * call is about.
 */
import type { Attributes, SpanKind } from './span.js';

/** OpenTelemetry GenAI semantic-convention attribute names used by llmtrace. */
export const GenAI = {
  OPERATION_NAME: 'gen_ai.operation.name',
  PROVIDER_NAME: 'gen_ai.provider.name',
  REQUEST_MODEL: 'gen_ai.request.model',
  REQUEST_MAX_TOKENS: 'gen_ai.request.max_tokens',
  REQUEST_TEMPERATURE: 'gen_ai.request.temperature',
  REQUEST_STREAM: 'gen_ai.request.stream',
  REQUEST_TOP_P: 'gen_ai.request.top_p',
  REQUEST_TOP_K: 'gen_ai.request.top_k',
  REQUEST_STOP_SEQUENCES: 'gen_ai.request.stop_sequences',
  REQUEST_SEED: 'gen_ai.request.seed',
  REQUEST_FREQUENCY_PENALTY: 'gen_ai.request.frequency_penalty',
  REQUEST_PRESENCE_PENALTY: 'gen_ai.request.presence_penalty',
  REQUEST_CHOICE_COUNT: 'gen_ai.request.choice.count',
  OUTPUT_TYPE: 'gen_ai.output.type',
  CONVERSATION_ID: 'gen_ai.conversation.id',
  INPUT_MESSAGES: 'gen_ai.input.messages',
  OUTPUT_MESSAGES: 'gen_ai.output.messages',
  SYSTEM_INSTRUCTIONS: 'gen_ai.system_instructions',
  TOOL_NAME: 'gen_ai.tool.name',
  TOOL_CALL_ID: 'gen_ai.tool.call.id',
  TOOL_TYPE: 'gen_ai.tool.type',
  AGENT_NAME: 'gen_ai.agent.name',
  RESPONSE_MODEL: 'gen_ai.response.model',
  RESPONSE_ID: 'gen_ai.response.id',
  RESPONSE_FINISH_REASONS: 'gen_ai.response.finish_reasons',
  RESPONSE_TIME_TO_FIRST_CHUNK: 'gen_ai.response.time_to_first_chunk',
  EMBEDDINGS_DIMENSION_COUNT: 'gen_ai.embeddings.dimension.count',
  USAGE_INPUT_TOKENS: 'gen_ai.usage.input_tokens',
  USAGE_OUTPUT_TOKENS: 'gen_ai.usage.output_tokens',
  USAGE_CACHED_INPUT_TOKENS: 'gen_ai.usage.cache_read.input_tokens',
  USAGE_CACHE_CREATION_INPUT_TOKENS: 'gen_ai.usage.cache_creation.input_tokens',
  USAGE_REASONING_OUTPUT_TOKENS: 'gen_ai.usage.reasoning.output_tokens',
  ERROR_TYPE: 'error.type',
  HTTP_STATUS_CODE: 'http.response.status_code',
  SERVER_ADDRESS: 'server.address',
  SERVER_PORT: 'server.port',
} as const;

/** llmtrace's own attribute names. */
export const LLMTrace = {
  FUNCTION: 'llmtrace.function',
  CONTEXT: 'llmtrace.context',
  MODEL_SCOPE: 'llmtrace.model_scope',
  CACHED: 'llmtrace.cached',
  RETRY_AFTER_S: 'llmtrace.error.retry_after_s',
  REQUEST_ID: 'llmtrace.request_id',
  COST_USD: 'llmtrace.cost_usd',
  USAGE_ESTIMATED: 'llmtrace.usage.estimated',
  USAGE_IN_CHILDREN: 'llmtrace.usage.in_children',
  MODEL_CALL_IN_CHILDREN: 'llmtrace.model_call.in_children',
  ERROR_IN_CHILDREN: 'llmtrace.error.in_children',
  SAMPLE_WEIGHT: 'llmtrace.sample_weight',
  REQUEST_BYTES: 'llmtrace.request.bytes',
  RESPONSE_BYTES: 'llmtrace.response.bytes',
  REQUEST_CONTENT: 'llmtrace.request.content',
  RESPONSE_CONTENT: 'llmtrace.response.content',
  REQUEST_TRUNCATED: 'llmtrace.request.truncated',
  RESPONSE_TRUNCATED: 'llmtrace.response.truncated',
  TIME_TO_FIRST_TOKEN_MS: 'llmtrace.time_to_first_token_ms',
  STREAM_CHUNKS: 'llmtrace.stream.chunks',
  STREAM_DURATION_MS: 'llmtrace.stream.duration_ms',
  STREAM_MEAN_CHUNK_INTERVAL_MS: 'llmtrace.stream.mean_chunk_interval_ms',
  STREAM_OUTPUT_TOKENS_PER_SECOND: 'llmtrace.stream.output_tokens_per_second',
  STREAM_END: 'llmtrace.stream.end',
  RETRY_COUNT: 'llmtrace.retry.count',
  RESOURCE_HEAP_DELTA_BYTES: 'llmtrace.resource.heap_delta_bytes',
  RESOURCE_RSS_DELTA_BYTES: 'llmtrace.resource.rss_delta_bytes',
  RESOURCE_CPU_USER_US: 'llmtrace.resource.cpu_user_us',
  RESOURCE_CPU_SYSTEM_US: 'llmtrace.resource.cpu_system_us',
} as const;

/**
 * @internal The model that answered a call: `gen_ai.response.model`, else `gen_ai.request.model`
 * (only non-empty strings count); undefined when neither is known. What a call is priced by.
 */
export function modelOfAttributes(a: Readonly<Attributes>): string | undefined {
  const response = a[GenAI.RESPONSE_MODEL];
  if (typeof response === 'string' && response !== '') return response;
  const request = a[GenAI.REQUEST_MODEL];
  return typeof request === 'string' && request !== '' ? request : undefined;
}

/**
 * What a provider appends to the requested name when it answers with a dated or pinned snapshot:
 * `-2024-07-18`, `-0125` (OpenAI), `-20250929` (Anthropic), `-001` (Gemini), `-2411` (Mistral),
 * `@20240620` (Vertex), `:latest`.
 */
const SNAPSHOT_SUFFIX = /^(?:-\d{4}-\d{2}-\d{2}|-\d{8}|-\d{3,4}|@\d{8}|[-:]latest)$/;

/**
 * Whether `response` names `request` or a snapshot of it; a request for `-latest` is answered by a
 * dated one (`claude-3-5-sonnet-latest` by `claude-3-5-sonnet-20241022`), and Gemini requests may
 * carry the `models/` resource prefix.
 */
function isSnapshotOf(response: string, request: string): boolean {
  const base = request.replace(/[-:]latest$/, '');
  return response === base || (response.startsWith(base) && SNAPSHOT_SUFFIX.test(response.slice(base.length)));
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** @internal The names a call gives its model: requested and answered (non-empty strings, else undefined). */
export function modelNamesOf(a: Readonly<Attributes>): readonly [request: string | undefined, response: string | undefined] {
  return [nonEmpty(a[GenAI.REQUEST_MODEL]), nonEmpty(a[GenAI.RESPONSE_MODEL])];
}

/** A Gemini model name without the `models/` resource prefix some requests carry (`models/gemini-1.5-pro`). */
function withoutResourcePrefix(name: string | undefined): string | undefined {
  return name !== undefined && name.startsWith('models/') && name.length > 7 ? name.slice(7) : name;
}

/**
 * @internal The model a call is counted under: the requested model (`gen_ai.request.model`) when the
 * answer names it or a snapshot of it, else the answered one (`gen_ai.response.model`: the request
 * named another model, or was a default guessed from the client); undefined when neither is known.
 * A failed call has no answer, so by the requested name its failures and successes fall in one
 * group: `gpt-4o-mini`, answered as `gpt-4o-mini-2024-07-18`.
 */
export function callModelOf(a: Readonly<Attributes>): string | undefined {
  const [asked, response] = modelNamesOf(a);
  const request = withoutResourcePrefix(asked);
  if (request === undefined || response === undefined || response === request) return request ?? response;
  return isSnapshotOf(response, request) ? request : response;
}

/**
 * @internal Whether a span is a model call: kind `llm` or `embedding`, and not made of the model
 * calls of its kind below it (`llmtrace.model_call.in_children`: a decorated method around an
 * instrumented SDK call), so each request to a model counts once.
 */
export function isModelCallOf(kind: SpanKind, a: Readonly<Attributes>): boolean {
  return (kind === 'llm' || kind === 'embedding') && a[LLMTrace.MODEL_CALL_IN_CHILDREN] !== true;
}

/** Names of the events llmtrace itself adds to spans. */
export const SpanEvents = {
  FIRST_CHUNK: 'llmtrace.first_chunk',
  RETRY: 'llmtrace.retry',
  EXCEPTION: 'exception',
} as const;
