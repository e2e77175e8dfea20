/**
 * Pure reading of the `ollama` SDK's request parameters and streamed NDJSON items. No I/O, no span
 * access; never throws on foreign input. (Whole responses are read by lib/extract/ollama.ts.)
 */
import { asRecord } from '../../lib/extract/call-result.js';
import { extractOllama } from '../../lib/extract/ollama.js';
import { readProviderStreamItem } from '../../lib/extract/stream-events.js';
import type { Attributes } from '../../lib/span.js';
import { requestParams } from '../internal/adapter-options.js';
import type { ChunkReading } from '../internal/stream-observer.js';

/** Request attributes of `chat`, `generate` or `embed` params (`options.num_predict` is the token cap). */
export function ollamaRequestAttributes(params: unknown): Attributes {
  const p = asRecord(params) ?? {};
  const options = asRecord(p.options) ?? {};
  return requestParams({
    model: p.model,
    maxTokens: options.num_predict,
    temperature: options.temperature,
    topP: options.top_p,
    topK: options.top_k,
    stop: options.stop,
    seed: options.seed,
    frequencyPenalty: options.frequency_penalty,
    presencePenalty: options.presence_penalty,
    outputType: p.format === 'json' || asRecord(p.format) ? 'json' : undefined,
    stream: p.stream,
  });
}

/**
 * Reads one streamed item as `traced(fn)` reads it (`readProviderStreamItem`: items with text,
 * thinking or tool calls are content; the `done: true` item carries the counts); an item of another
 * shape: `done: false` is content, `done: true` carries the counts.
 */
export function readOllamaChunk(chunk: unknown): ChunkReading {
  const reading = readProviderStreamItem(chunk);
  if (reading) return reading;
  const c = asRecord(chunk);
  if (!c) return { content: false };
  if (c.done !== true) return { content: true };
  const result = extractOllama(c);
  return result ? { content: false, result } : { content: false };
}
