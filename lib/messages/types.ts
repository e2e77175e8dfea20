/**
 * The OpenTelemetry GenAI message schema (semantic-conventions-genai, `gen-ai-input-messages.json`,
 * `gen-ai-output-messages.json`, `gen-ai-system-instructions.json`): what llmtrace records as
 * `gen_ai.input.messages`, `gen_ai.output.messages` and `gen_ai.system_instructions` when content is
 * captured in `full` mode. Types only.
 */

/** Text sent to or received from the model. */
export interface TextPart {
  readonly type: 'text';
  readonly content: string;
}

/** Reasoning ("thinking") text the model returned. */
export interface ReasoningPart {
  readonly type: 'reasoning';
  readonly content: string;
}

/** A tool call the model asked for. */
export interface ToolCallPart {
  readonly type: 'tool_call';
  readonly id?: string;
  readonly name: string;
  readonly arguments?: unknown;
}

/** A tool's result sent back to the model. */
export interface ToolCallResponsePart {
  readonly type: 'tool_call_response';
  readonly id?: string;
  readonly response: unknown;
}

/** Media referenced by URI (an image URL, a `gs://` file). */
export interface UriPart {
  readonly type: 'uri';
  readonly modality: string;
  readonly uri: string;
  readonly mime_type?: string;
}

/**
 * Media sent inline. llmtrace never copies the bytes (they are not text, and a cap would cut them
 * into garbage): `content` is empty and `llmtrace.omitted_bytes` says how long the data was.
 */
export interface BlobPart {
  readonly type: 'blob';
  readonly modality: string;
  readonly content: '';
  readonly mime_type?: string;
  readonly 'llmtrace.omitted_bytes'?: number;
}

/** A file uploaded to the provider beforehand, by id. */
export interface FilePart {
  readonly type: 'file';
  readonly modality: string;
  readonly file_id: string;
  readonly mime_type?: string;
}

/** A part of a type the schema does not name (only its type is recorded). */
export interface GenericPart {
  readonly type: string;
}

/** One part of a message. */
export type MessagePart =
  | TextPart
  | ReasoningPart
  | ToolCallPart
  | ToolCallResponsePart
  | UriPart
  | BlobPart
  | FilePart
  | GenericPart;

/** One message sent to the model, in order. */
export interface InputMessage {
  /** `system`, `user`, `assistant`, `tool`, or a provider's own role. */
  readonly role: string;
  readonly parts: readonly MessagePart[];
  /** The participant's name, when the message carries one. */
  readonly name?: string;
}

/** One choice (candidate) the model returned. */
export interface OutputMessage extends InputMessage {
  /** Why generation stopped (`stop`, `length`, `tool_calls`, ...; `unknown` when the result does not say). */
  readonly finish_reason: string;
}

/** A call's prompt: system instructions given apart from the chat history, and the history. */
export interface InputCapture {
  readonly system?: readonly MessagePart[];
  readonly messages: readonly InputMessage[];
}
