/**
 * Benchmark helper (not a scenario: its name starts with `_`): realistic finished spans, and a
 * large store written directly in the file store's own format, because a million spans through the
 * store would take minutes. Used by store-flush.ts and store-open.ts.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Span } from '../index.js';
import { DEFAULT_MAX_SEGMENT_RECORDS, DEFAULT_SEGMENT_WINDOW_MS, segmentFileName, windowStartOf } from '../lib/storage/layout.js';
import { sealedTail, segmentHead } from '../lib/storage/segment-lines.js';

/** `n` finished, sampled-in spans shaped like a traced chat completion (model, tokens, cost). */
export function makeSpans(n: number): Span[] {
  const spans: Span[] = [];
  for (let i = 0; i < n; i++) {
    const span = new Span(
      'answer_question',
      'llm',
      undefined,
      {
        'llmtrace.function': 'answer_question',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
        'gen_ai.usage.input_tokens': 120 + (i % 50),
        'gen_ai.usage.output_tokens': 40 + (i % 30),
        'llmtrace.cost_usd': 0.0000432,
      },
      randomBytes(16).toString('hex'),
      randomBytes(8).toString('hex'),
      true,
    );
    span.finish();
    spans.push(span);
  }
  return spans;
}

/** How `fillStore` dates its segments. */
export interface FillOptions {
  /**
   * Spread the segments one window apart, ending `endAgoMs` ago (file mtimes and window names
   * alike), as a store filled over weeks; by default every segment is in the current window.
   */
  spread?: { endAgoMs: number };
}

/**
 * Writes `total` spans as segment files of DEFAULT_MAX_SEGMENT_RECORDS records, each by its own
 * writer instance (as many short runs would leave them), fsync'ed like the store's own writes. The
 * files are what the store writes today: the line layout, sealed with the trace-id index, as a
 * writer leaves a segment it filled or that it closed at shutdown (lib/storage/segment-lines.ts).
 */
export function fillStore(dir: string, total: number, options: FillOptions = {}): void {
  const spansDir = join(dir, 'spans');
  mkdirSync(spansDir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'meta.json'), JSON.stringify({ schemaVersion: 1, createdAt: new Date().toISOString() }), { mode: 0o600 });
  const spans = makeSpans(DEFAULT_MAX_SEGMENT_RECORDS).map((s) => s.toJSON());
  const template = spans.map((span) => JSON.stringify(span));
  const traceIds = spans.map((span) => span.traceId);
  const files = Math.ceil(total / DEFAULT_MAX_SEGMENT_RECORDS);
  const now = Date.now();
  for (let f = 0; f < files; f++) {
    const time = options.spread ? now - options.spread.endAgoMs - (files - 1 - f) * DEFAULT_SEGMENT_WINDOW_MS : now;
    const windowStart = windowStartOf(time, DEFAULT_SEGMENT_WINDOW_MS);
    const instance = `${100_000 + f}-${randomBytes(3).toString('hex')}`;
    // Same records in every file, each with a distinct id prefix so ids stay unique.
    const records = template.map((json) => json.replace(/"id":"(.{4})/, `"id":"${(f % 65536).toString(16).padStart(4, '0')}`));
    const path = join(spansDir, segmentFileName(windowStart, instance, 1));
    const fd = openSync(path, 'wx', 0o600);
    writeFileSync(fd, `${segmentHead('spans', instance, windowStart)}${records.join('\n,')}\n${sealedTail('spans', traceIds)}`);
    fsyncSync(fd);
    closeSync(fd);
    if (options.spread) utimesSync(path, time / 1000, time / 1000);
  }
}
