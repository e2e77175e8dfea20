/**
 * Pure reading of the `@google/genai` SDK's request parameters and of Gemini REST paths. No I/O, no
 * span access; never throws on foreign input. (Responses and stream chunks are read by
 * lib/extract/gemini.ts.)
 */
import { asRecord } from '../../lib/extract/call-result.js';
import type { Attributes } from '../../lib/span.js';
import { requestParams } from '../internal/adapter-options.js';

export { GEMINI_API_PROVIDER, VERTEX_AI_PROVIDER } from '../../lib/extract/gemini.js';

/** A model name as the requests spell it, without the resource prefix (`models/gemini-2.0-flash` → `gemini-2.0-flash`). */
export function geminiModelName(model: unknown): string | undefined {
  if (typeof model !== 'string' || model === '') return undefined;
  const at = model.lastIndexOf('models/');
  return at < 0 ? model : model.slice(at + 'models/'.length) || undefined;
}

/**
 * Request attributes of `generateContent` / `generateContentStream` / `embedContent` parameters
 * (`{ model, contents, config: { maxOutputTokens, temperature } }`), or of a REST body
 * (`generationConfig`) with the model taken from its path.
 */
export function geminiRequestAttributes(params: unknown, stream: boolean, pathModel?: string): Attributes {
  const p = asRecord(params) ?? {};
  const config = asRecord(p.config) ?? asRecord(p.generationConfig) ?? {};
  const mime = config.responseMimeType;
  return requestParams({
    model: geminiModelName(p.model) ?? pathModel,
    maxTokens: config.maxOutputTokens,
    temperature: config.temperature,
    topP: config.topP,
    topK: config.topK,
    stop: config.stopSequences,
    seed: config.seed,
    frequencyPenalty: config.frequencyPenalty,
    presencePenalty: config.presencePenalty,
    choiceCount: config.candidateCount,
    outputType: mime === 'application/json' ? 'json' : mime === 'text/plain' ? 'text' : undefined,
    stream,
  });
}

/** What a Gemini REST path names: the model and the method (`generateContent`, `streamGenerateContent`). */
export interface GeminiPath {
  readonly model: string;
  readonly method: string;
}

const GEMINI_PATH = /\/models\/([^/:]+):([A-Za-z]+)$/;

/** The model and method of a Gemini REST path (`/v1beta/models/gemini-2.0-flash:generateContent`). */
export function geminiPathOf(pathname: string): GeminiPath | undefined {
  const match = GEMINI_PATH.exec(pathname);
  if (!match) return undefined;
  let model: string;
  try {
    model = decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
  return { model, method: match[2]! };
}
