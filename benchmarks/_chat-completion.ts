/**
 * Benchmark helper (not a scenario: its name starts with `_`): the realistic call's payloads, an
 * OpenAI chat request's messages and the chat completion it gets back. Used by realistic-call.ts and
 * gc-bursts.ts.
 */

/** One chat message. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A system message and a user message whose contents total about `bytes` bytes of ASCII text. */
export function makeMessages(bytes: number): ChatMessage[] {
  const system = 'You are a concise assistant.';
  const sentence = 'The quick brown fox jumps over the lazy dog while the model reads this prompt. ';
  const userBytes = Math.max(1, bytes - system.length);
  const user = sentence.repeat(Math.ceil(userBytes / sentence.length)).slice(0, userBytes);
  return [
    { role: 'system', content: system },
    { role: 'user', content: user },
  ];
}

let completionCounter = 0;

/** An OpenAI chat completion, a fresh object per call as a parsed response is. */
export function completionOf(model: string, messages: readonly ChatMessage[]) {
  completionCounter++;
  return {
    id: `chatcmpl-${completionCounter}`,
    object: 'chat.completion',
    created: 1_764_000_000,
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: 'Hello! How can I help you today?', refusal: null },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: { prompt_tokens: messages.length * 7 + 5, completion_tokens: 9, total_tokens: messages.length * 7 + 14 },
    system_fingerprint: 'fp_bench',
  };
}

/** What `completionOf` returns. */
export type ChatCompletion = ReturnType<typeof completionOf>;

/**
 * The traced body: one async function resolving to the completion. Every subject, the bare method
 * and the decorated methods included, is exactly one async function around `completionOf`, so the
 * bare call is the baseline of each (a method that awaited `chatCompletion` would add an async layer,
 * ~0.8 KB and a few hundred ns, to the baseline of the function-wrapped subjects only).
 */
export async function chatCompletion(model: string, messages: ChatMessage[]): Promise<ChatCompletion> {
  return completionOf(model, messages);
}
