/**
 * Checks a value against the GenAI message schema's required fields (semantic-conventions-genai
 * gen-ai-input-messages.json / gen-ai-output-messages.json / gen-ai-system-instructions.json): each
 * message has a string `role` and a `parts` array; each part a string `type` and the fields its type
 * requires; output messages a string `finish_reason`.
 */
import { expect } from '@jest/globals';

const REQUIRED_BY_TYPE: Record<string, readonly string[]> = {
  text: ['content'],
  reasoning: ['content'],
  tool_call: ['name'],
  tool_call_response: ['response'],
  uri: ['modality', 'uri'],
  blob: ['modality', 'content'],
  file: ['modality', 'file_id'],
  server_tool_call: ['name', 'server_tool_call'],
  server_tool_call_response: ['server_tool_call_response'],
};

const STRING_FIELDS = new Set(['content', 'name', 'modality', 'uri', 'file_id']);

/** Asserts every part follows the schema. */
export function expectParts(parts: unknown): void {
  expect(Array.isArray(parts)).toBe(true);
  for (const part of parts as Record<string, unknown>[]) {
    expect(typeof part.type).toBe('string');
    for (const field of REQUIRED_BY_TYPE[part.type as string] ?? []) {
      expect(part).toHaveProperty(field);
      if (STRING_FIELDS.has(field)) expect(typeof part[field]).toBe('string');
    }
  }
}

/** Asserts `messages` is a list of schema input messages. */
export function expectInputMessages(messages: unknown): void {
  expect(Array.isArray(messages)).toBe(true);
  for (const m of messages as Record<string, unknown>[]) {
    expect(typeof m.role).toBe('string');
    expectParts(m.parts);
  }
}

/** Asserts `messages` is a list of schema output messages. */
export function expectOutputMessages(messages: unknown): void {
  expectInputMessages(messages);
  for (const m of messages as Record<string, unknown>[]) expect(typeof m.finish_reason).toBe('string');
}
