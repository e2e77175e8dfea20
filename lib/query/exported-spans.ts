/**
 * The other `.jsonl` llmtrace writes: `llmtrace export <file>.jsonl`, one span (`SpanData`, as
 * stored) a line. Read back as a source next to session files, so `llmtrace report` and the other
 * commands take what `export` wrote. Pure.
 */
import type { SpanData } from '../span.js';
import { parseJsonLines, type JsonLineError } from '../storage/json-lines.js';

/** A file's spans, and the lines that were not one. */
export interface ExportedSpans {
  spans: SpanData[];
  errors: JsonLineError[];
}

/** Why `value` is not a span line, or undefined when it is one. */
function checkSpan(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object';
  const span = value as Record<string, unknown>;
  for (const key of ['id', 'traceId', 'name', 'kind', 'status'] as const) {
    if (typeof span[key] !== 'string') return `not a span: missing ${key}`;
  }
  for (const key of ['startTime', 'endTime', 'duration'] as const) {
    if (typeof span[key] !== 'number' || !Number.isFinite(span[key])) return `not a span: missing ${key}`;
  }
  if (span.attributes === null || typeof span.attributes !== 'object') return 'not a span: missing attributes';
  return undefined;
}

/**
 * Whether `text` is exported spans rather than session events: its first line that parses is a
 * span (a `traceId`, no event `type`).
 */
export function isExportedSpans(text: string): boolean {
  for (const line of text.split('\n', 20)) {
    try {
      const value = JSON.parse(line) as Record<string, unknown> | null;
      return value !== null && typeof value === 'object' && typeof value.traceId === 'string' && value.type === undefined;
    } catch {
      // A blank or cut line: look at the next one.
    }
  }
  return false;
}

/** Parses exported span lines (`file` names it in errors); lines that are not a span are skipped and listed. */
export function parseExportedSpans(text: string, file: string): ExportedSpans {
  const { records, errors } = parseJsonLines<SpanData & { events?: unknown; scopes?: unknown; sampled?: unknown }>(text, file, checkSpan);
  const spans = records.map(
    (span) =>
      ({
        ...span,
        events: Array.isArray(span.events) ? span.events : [],
        scopes: span.scopes !== null && typeof span.scopes === 'object' ? span.scopes : {},
        sampled: span.sampled !== false,
      }) as SpanData,
  );
  return { spans, errors };
}
