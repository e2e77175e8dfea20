/**
 * Attribute conventions for export: which attribute names an exported span carries. Pure mapping.
 * `gen_ai` (the default) exports llmtrace's attributes as recorded: OpenTelemetry GenAI semantic
 * conventions names (GEN_AI_SEMCONV_VERSION) plus `llmtrace.*`, and spans named as those conventions
 * name them (`exportSpanName`). `openinference` adds the OpenInference names that
 * Arize Phoenix reads (`openinference.span.kind`, `llm.model_name`, `llm.token_count.*`,
 * `input.value`/`output.value`), keeping the GenAI ones. Captured content is used as recorded: it
 * was redacted and capped at capture time.
 */
import type { Attributes as OtelAttributes } from '@opentelemetry/api';
import { GenAI } from '../../lib/attributes.js';
import { capturedText } from '../../lib/messages/captured-content.js';
import type { Span, SpanKind } from '../../lib/span.js';

/** Attribute naming used on exported spans. */
export type AttributeConventions = 'gen_ai' | 'openinference';

/**
 * The OpenTelemetry GenAI semantic conventions the exported names follow. They moved out of
 * open-telemetry/semantic-conventions (last there in v1.41) into open-telemetry/semantic-conventions-genai;
 * llmtrace follows that repository's registry as of commit 002c8a6 (2026-11), vendored for the tests in
 * __tests__/fixtures/genai-semconv-registry.json.
 */
export const GEN_AI_SEMCONV_VERSION = 'semantic-conventions-genai@002c8a6';

/** OpenInference attribute names llmtrace maps to. */
export const OpenInference = {
  SPAN_KIND: 'openinference.span.kind',
  MODEL_NAME: 'llm.model_name',
  PROVIDER: 'llm.provider',
  TOKEN_COUNT_PROMPT: 'llm.token_count.prompt',
  TOKEN_COUNT_COMPLETION: 'llm.token_count.completion',
  TOKEN_COUNT_TOTAL: 'llm.token_count.total',
  TOKEN_COUNT_CACHE_READ: 'llm.token_count.prompt_details.cache_read',
  EMBEDDING_MODEL_NAME: 'embedding.model_name',
  INPUT_VALUE: 'input.value',
  INPUT_MIME_TYPE: 'input.mime_type',
  OUTPUT_VALUE: 'output.value',
  OUTPUT_MIME_TYPE: 'output.mime_type',
  SESSION_ID: 'session.id',
} as const;

const OPENINFERENCE_KIND: Record<SpanKind, string> = {
  llm: 'LLM',
  embedding: 'EMBEDDING',
  chain: 'CHAIN',
  tool: 'TOOL',
  agent: 'AGENT',
  retrieval: 'RETRIEVER',
  session: 'CHAIN',
  run: 'CHAIN',
  iteration: 'CHAIN',
  request: 'CHAIN',
  model: 'CHAIN',
  custom: 'CHAIN',
};

/** Operations whose exported span is named after the model: `{operation} {model}`. */
const MODEL_OPERATIONS = new Set(['chat', 'text_completion', 'generate_content', 'embeddings']);

/**
 * The name an exported span carries, as the GenAI conventions name spans: `{operation} {model}` for
 * model calls (`chat gpt-4o-mini`, `embeddings text-embedding-3-small`; the operation alone when the
 * model is unknown), `execute_tool {tool}`, `invoke_agent {agent}`; any other span keeps its name.
 * llmtrace's own name (the function's) stays on the span as `llmtrace.function`.
 */
export function exportSpanName(span: Span): string {
  const a = span.attributes;
  const operation = a[GenAI.OPERATION_NAME];
  if (typeof operation !== 'string' || operation === '') return span.name;
  let subject: unknown;
  if (MODEL_OPERATIONS.has(operation)) subject = a[GenAI.REQUEST_MODEL] ?? a[GenAI.RESPONSE_MODEL];
  else if (operation === 'execute_tool') subject = a[GenAI.TOOL_NAME] ?? span.name;
  else if (operation === 'invoke_agent') subject = a[GenAI.AGENT_NAME] ?? span.name;
  else return span.name;
  return typeof subject === 'string' && subject !== '' ? `${operation} ${subject}` : operation;
}

/** @internal Validates the `conventions` option, naming it in the error. */
export function checkConventions(value: unknown): AttributeConventions {
  if (value === undefined) return 'gen_ai';
  if (value !== 'gen_ai' && value !== 'openinference') {
    throw new TypeError(`llmtrace: conventions must be 'gen_ai' or 'openinference', got ${String(value)} (${typeof value})`);
  }
  return value;
}

/**
 * The attributes an exported span carries: the recorded ones without nulls (OpenTelemetry has no
 * null attribute), `llmtrace.span.kind`, the enclosing scope ids as `llmtrace.scope.<kind>`, and
 * under `openinference` the OpenInference names.
 */
export function exportAttributes(span: Span, conventions: AttributeConventions = 'gen_ai'): OtelAttributes {
  const out: OtelAttributes = {};
  // Tokens another instrumentation's span in the same trace carries (`llmtrace.usage.counted_by`,
  // set by llmtrace/ai-sdk when the AI SDK's telemetry is on) are exported once, on that span.
  const countedElsewhere = typeof span.attributes['llmtrace.usage.counted_by'] === 'string';
  for (const [key, value] of Object.entries(span.attributes)) {
    if (countedElsewhere && key.startsWith('gen_ai.usage.')) continue;
    if (value !== null && value !== undefined) out[key] = value as OtelAttributes[string];
  }
  out['llmtrace.span.kind'] = span.kind;
  for (const [kind, id] of Object.entries(span.scopes)) {
    if (id) out[`llmtrace.scope.${kind}`] = id;
  }
  if (conventions === 'openinference') Object.assign(out, openInferenceAttributes(span));
  return out;
}

function numberAttr(span: Span, key: string): number | undefined {
  const value = span.attributes[key];
  return typeof value === 'number' ? value : undefined;
}

/** The OpenInference attributes for `span` (only those whose source is known). */
export function openInferenceAttributes(span: Span): OtelAttributes {
  const a = span.attributes;
  const out: OtelAttributes = { [OpenInference.SPAN_KIND]: OPENINFERENCE_KIND[span.kind] };
  const model = a[GenAI.RESPONSE_MODEL] ?? a[GenAI.REQUEST_MODEL];
  if (typeof model === 'string') {
    out[span.kind === 'embedding' ? OpenInference.EMBEDDING_MODEL_NAME : OpenInference.MODEL_NAME] = model;
  }
  const provider = a[GenAI.PROVIDER_NAME];
  if (typeof provider === 'string') out[OpenInference.PROVIDER] = provider;
  const input = numberAttr(span, GenAI.USAGE_INPUT_TOKENS);
  const output = numberAttr(span, GenAI.USAGE_OUTPUT_TOKENS);
  const cached = numberAttr(span, GenAI.USAGE_CACHED_INPUT_TOKENS);
  if (input !== undefined) out[OpenInference.TOKEN_COUNT_PROMPT] = input;
  if (output !== undefined) out[OpenInference.TOKEN_COUNT_COMPLETION] = output;
  if (input !== undefined || output !== undefined) out[OpenInference.TOKEN_COUNT_TOTAL] = (input ?? 0) + (output ?? 0);
  if (cached !== undefined) out[OpenInference.TOKEN_COUNT_CACHE_READ] = cached;
  const inputText = capturedText(span, 'request');
  if (inputText !== undefined) {
    out[OpenInference.INPUT_VALUE] = inputText.text;
    out[OpenInference.INPUT_MIME_TYPE] = 'application/json';
  }
  const outputText = capturedText(span, 'response');
  if (outputText !== undefined) {
    out[OpenInference.OUTPUT_VALUE] = outputText.text;
    out[OpenInference.OUTPUT_MIME_TYPE] = 'application/json';
  }
  if (span.scopes.session) out[OpenInference.SESSION_ID] = span.scopes.session;
  return out;
}
