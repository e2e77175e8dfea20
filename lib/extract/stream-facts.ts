/**
 * Which stream chunks can carry facts a span records beyond the first chunk's model and id: usage,
 * a finish reason, or the final event of a stream. A traced function's stream is read with the
 * extractor registry only for those (and until the model is known), so a content delta costs a few
 * property reads instead of a pass through every extractor (benchmarks/stream-chunks.ts). Pure.
 */

/**
 * Typed stream parts that carry facts (the Vercel AI SDK's). Anthropic and OpenAI Responses events
 * are read before this check (lib/extract/stream-events.ts).
 */
const FACT_TYPES: ReadonlySet<string> = new Set([
  'finish',
  'finish-step',
  'step-finish',
  'response-metadata',
]);

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/**
 * Whether `chunk` may carry usage or a finish reason (false only for plain content deltas). Each
 * field is read by name, not from a list, so every read keeps its own inline cache: this runs on
 * every chunk of a traced stream.
 */
export function mayCarryStreamFacts(chunk: unknown): boolean {
  if (chunk === null || typeof chunk !== 'object') return false;
  const c = chunk as Record<string, unknown>;
  // An OpenAI chat chunk (the most common stream, OpenAI-compatible servers included) carries facts
  // only in `usage`, its choices' finish reasons and, from Groq, `x_groq.usage` (on the last chunk,
  // with or without a finish reason): four reads instead of the dozen below (~40 ns a chunk in
  // benchmarks/stream-chunks.ts). `x_groq` is read last, so an OpenAI content chunk pays one miss.
  if (c.object === 'chat.completion.chunk') return present(c.usage) || anyFinishReason(c.choices) || hasGroqUsage(c.x_groq);
  // Usage, whatever the provider calls it; a finish reason or the end of an Ollama stream.
  if (present(c.usage) || present(c.usageMetadata) || present(c.usage_metadata) || present(c.response_metadata)) return true;
  if (present(c['amazon-bedrock-invocationMetrics']) || present(c.eval_count) || c.done === true) return true;
  if (present(c.finish_reason) || present(c.finishReason) || present(c.stop_reason) || present(c.done_reason)) return true;
  if (typeof c.type === 'string' && FACT_TYPES.has(c.type)) return true;
  return anyFinishReason(c.choices ?? c.candidates);
}

/** Whether Groq's `x_groq` extension of a chat chunk carries usage (its last chunk's). */
function hasGroqUsage(groq: unknown): boolean {
  return groq !== undefined && groq !== null && present((groq as Record<string, unknown>).usage);
}

/** Whether any of `choices` (choices or candidates) has a finish reason. */
function anyFinishReason(choices: unknown): boolean {
  if (!Array.isArray(choices)) return false;
  for (let i = 0; i < choices.length; i++) {
    const choice = choices[i] as Record<string, unknown> | null;
    const reason = choice ? (choice.finish_reason ?? choice.finishReason) : undefined;
    if (reason !== undefined && reason !== null) return true;
  }
  return false;
}
