/**
 * Which stream chunks can carry facts a span records beyond the first chunk's model and id: usage,
 * a finish reason, or the final event of a stream. A traced function's stream is read with the
 * extractor registry only for those (and until the model is known), so a content delta costs a few
 * property reads instead of a pass through every extractor (benchmarks/stream-chunks.ts). Pure.
 */

/** Typed events that carry facts (Anthropic, OpenAI Responses, the Vercel AI SDK). */
const FACT_TYPES: ReadonlySet<string> = new Set([
  'message_start',
  'message_delta',
  'message_stop',
  'response.created',
  'response.completed',
  'response.incomplete',
  'response.failed',
  'finish',
  'finish-step',
  'step-finish',
  'response-metadata',
]);

/** Fields whose presence means usage or a finish is in the chunk, whatever the provider. */
const FACT_FIELDS = [
  'usage',
  'usageMetadata',
  'usage_metadata',
  'response_metadata',
  'amazon-bedrock-invocationMetrics',
  'eval_count',
  'finish_reason',
  'finishReason',
  'stop_reason',
  'done_reason',
] as const;

/** Whether `chunk` may carry usage or a finish reason (false only for plain content deltas). */
export function mayCarryStreamFacts(chunk: unknown): boolean {
  if (chunk === null || typeof chunk !== 'object') return false;
  const c = chunk as Record<string, unknown>;
  for (let i = 0; i < FACT_FIELDS.length; i++) {
    const value = c[FACT_FIELDS[i]!];
    if (value !== undefined && value !== null) return true;
  }
  if (c.done === true) return true;
  if (typeof c.type === 'string' && FACT_TYPES.has(c.type)) return true;
  const choices = c.choices ?? c.candidates;
  if (Array.isArray(choices)) {
    for (let i = 0; i < choices.length; i++) {
      const choice = choices[i] as Record<string, unknown> | null;
      const reason = choice ? (choice.finish_reason ?? choice.finishReason) : undefined;
      if (reason !== undefined && reason !== null) return true;
    }
  }
  return false;
}
