import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configure, TraceStore, type Span } from '../../../index.js';
import { createSessionFileExporter } from '../../../lib/extend/index.js';
import { ensureNotEmpty, openSource, QueryError, readSpans, sessionEventsToSpans } from '../../../lib/query/index.js';
import { readSpanBatches } from '../../../lib/query/source.js';
import { readSessionFile } from '../../../lib/storage/session-file-reader.js';
import { collect } from '../../helpers/collect.js';
import { seededSpans, summariesOf, writeStore } from '../../helpers/query-store.js';
import { listFilesDeep, removeTempDirs, tempDir } from '../../helpers/temp-dir.js';

beforeAll(() => configure({ store: new TraceStore(), logger: { format: 'hidden' } }));
afterAll(removeTempDirs);

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(listFilesDeep(dir).map((f) => [f, `${statSync(f).size}:${readFileSync(f, 'utf8')}`]));
}

describe('sources', () => {
  test('streams every span a FileStore wrote, and its summaries', async () => {
    const dir = tempDir();
    const spans = seededSpans(1, 30);
    const summaries = summariesOf(spans);
    await writeStore(dir, spans, summaries);
    const source = await openSource(dir);
    expect(source.kind).toBe('store');
    const read = await collect(source.spans());
    expect(read.map((s) => s.id).sort()).toEqual(spans.map((s) => s.id).sort());
    expect(read.find((s) => s.id === spans[0]!.id)).toEqual(spans[0]);
    expect((await source.summaries()).length).toBe(summaries.length);
    const inventory = await source.inventory();
    expect(inventory.spanSegments).toBeGreaterThan(0);
    expect(inventory.summarySegments).toBeGreaterThan(0);
  });

  test('a time range keeps exactly the spans that ended inside it', async () => {
    const dir = tempDir();
    const spans = seededSpans(2, 40);
    await writeStore(dir, spans);
    const source = await openSource(dir);
    const from = spans[50]!.endTime;
    const to = spans[120]!.endTime;
    const read = await collect(readSpans([source], { from, to }));
    const expected = spans.filter((s) => s.endTime >= from && s.endTime < to).map((s) => s.id).sort();
    expect(read.map((s) => s.id).sort()).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
  });

  test('a corrupt segment is skipped and reported, and the store is left exactly as it was', async () => {
    const dir = tempDir();
    const spans = seededSpans(3, 10);
    await writeStore(dir, spans.slice(0, 30));
    await writeStore(dir, spans.slice(30));
    const segments = readdirSync(join(dir, 'spans')).sort();
    expect(segments.length).toBeGreaterThanOrEqual(2);
    const broken = join(dir, 'spans', segments[0]!);
    writeFileSync(broken, '{"format":"llmtrace.segment","records":[{"id":');
    const before = snapshot(dir);
    const source = await openSource(dir);
    const read = await collect(source.spans());
    expect(read.length).toBeGreaterThan(0);
    expect(read.length).toBeLessThan(spans.length);
    expect(source.problems()).toEqual([{ file: broken, message: `skipped corrupt segment ${broken}` }]);
    expect(snapshot(dir)).toEqual(before);
  });

  test('a segment with one damaged line is read in part, and the problem says one line was skipped, not the segment', async () => {
    const dir = tempDir();
    const spans = seededSpans(3, 10);
    await writeStore(dir, spans);
    const segment = join(dir, 'spans', readdirSync(join(dir, 'spans')).sort()[0]!);
    const lines = readFileSync(segment, 'utf8').split('\n');
    const inRecords = lines.map((line, i) => (/^,?\{/.test(line) && i > 1 ? i : -1)).filter((i) => i > 0);
    const damaged = inRecords[Math.floor(inRecords.length / 2)]!;
    lines[damaged] = lines[damaged]!.replace('{"id"', '{"id"}'); // no longer JSON
    writeFileSync(segment, lines.join('\n'));
    const source = await openSource(dir);
    const stored = (await collect((await openSource(dir)).spans())).length;
    expect(stored).toBe(inRecords.length - 1 + (spans.length - inRecords.length)); // only that line's span is missing
    expect(source.problems()).toEqual([]);
    await collect(source.spans());
    expect(source.problems()).toEqual([{ file: segment, message: `read segment ${segment} in part: skipped a line cut short or damaged` }]);
  });

  test('batches hold the same spans in the same order as the span stream, over a range, with corrupt segments skipped in order', async () => {
    const dir = tempDir();
    const spans = seededSpans(4, 30);
    await writeStore(dir, spans, [], { maxSegmentRecords: 11 });
    const segments = readdirSync(join(dir, 'spans')).sort();
    expect(segments.length).toBeGreaterThan(6);
    const broken = [segments[1]!, segments[4]!].map((name) => join(dir, 'spans', name));
    for (const file of broken) writeFileSync(file, '{"format":"llmtrace.segment","records":[{"id":');
    const range = { from: spans[20]!.endTime, to: spans[150]!.endTime };
    const source = await openSource(dir);
    const batches = await collect(source.spanBatches(range));
    expect(batches.every((batch) => batch.length > 0)).toBe(true);
    expect(batches.flat()).toEqual(await collect((await openSource(dir)).spans(range)));
    const expected = (await collect((await openSource(dir)).spans())).filter((s) => s.endTime >= range.from && s.endTime < range.to);
    expect(batches.flat()).toEqual(expected);
    expect(source.problems()).toEqual(broken.map((file) => ({ file, message: `skipped corrupt segment ${file}` })));
    const kept = await collect(readSpanBatches([source], {}, (s) => s.kind === 'tool'));
    expect(kept.flat()).toEqual(await collect(readSpans([source], {}, (s) => s.kind === 'tool')));
  });

  test('a scan stopped early leaves nothing behind: the next scan reads every segment as it is then', async () => {
    const dir = tempDir();
    const spans = seededSpans(5, 20);
    await writeStore(dir, spans, [], { maxSegmentRecords: 9 });
    const source = await openSource(dir);
    for await (const batch of source.spanBatches()) {
      expect(batch.length).toBeGreaterThan(0);
      break;
    }
    // A segment changes after the early stop: the next scan sees it as it is now.
    const second = join(dir, 'spans', readdirSync(join(dir, 'spans')).sort()[1]!);
    const doc = JSON.parse(readFileSync(second, 'utf8')) as { records: { name: string }[] };
    doc.records[0]!.name = 'renamed';
    writeFileSync(second, JSON.stringify(doc));
    const read = await collect(source.spans());
    expect(read.length).toBe(spans.length);
    expect(read.filter((s) => s.name === 'renamed').length).toBe(1);
  });

  test('a missing path and an empty store are refused with the fix', async () => {
    await expect(openSource(join(tempDir(), 'nope'))).rejects.toThrow(/no store at .*nope: did the program call startTracing\(\)\?/);
    const empty = await openSource(tempDir());
    const error = await ensureNotEmpty(empty, './.llmtrace').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryError);
    expect((error as QueryError).code).toBe('EEMPTY');
    expect((error as QueryError).message).toBe('llmtrace: no spans in ./.llmtrace: did the program call startTracing()? see README');
  });

  test('a JSONL session file reads back as the spans it was written from', async () => {
    const dir = tempDir();
    const spans = seededSpans(4, 3).map((s) => ({ ...s, scopes: { ...s.scopes, session: 'sess-1' } }));
    // One call captured in full: its prompt and answer come back as GenAI message attributes.
    const captured = spans.find((s) => s.kind === 'llm' && s.status === 'success')!;
    const input = JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'Capital of France?' }] }]);
    const output = JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'Paris.' }], finish_reason: 'stop' }]);
    const system = JSON.stringify([{ type: 'text', content: 'Be brief.' }]);
    Object.assign(captured.attributes, { 'gen_ai.input.messages': input, 'gen_ai.output.messages': output, 'gen_ai.system_instructions': system });
    const exporter = createSessionFileExporter({ dir, flushOnExit: false });
    await exporter.export(spans.map((data) => ({ ...data, sampled: true, toJSON: () => data }) as unknown as Span));
    await exporter.shutdown();
    const [file] = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
    const source = await openSource(join(dir, file!));
    expect(source.kind).toBe('session-file');
    const read = await collect(source.spans());
    const calls = spans.filter((s) => s.kind === 'llm');
    const readCalls = read.filter((s) => s.kind === 'llm');
    expect(readCalls.map((s) => s.id).sort()).toEqual(calls.map((s) => s.id).sort());
    for (const call of calls) {
      const back = readCalls.find((s) => s.id === call.id)!;
      expect(back.traceId).toBe(call.traceId);
      expect(back.parentId).toBe(call.parentId);
      expect(back.duration).toBe(call.duration);
      expect(back.status).toBe(call.status);
      expect(back.error?.type).toBe(call.error?.type);
      expect(back.attributes['gen_ai.request.model']).toBe(call.attributes['gen_ai.request.model']);
      expect(back.attributes['gen_ai.usage.input_tokens']).toBe(call.attributes['gen_ai.usage.input_tokens']);
    }
    expect(readCalls.find((s) => s.id === captured.id)!.attributes).toMatchObject({
      'gen_ai.input.messages': input,
      'gen_ai.output.messages': output,
      'gen_ai.system_instructions': system,
    });
    // Scope and tool lines carry their trace and parent ids, so they land in their trace's tree.
    for (const kind of ['run', 'tool'] as const) {
      const written = spans.find((x) => x.kind === kind)!;
      const back = read.find((s) => s.id === written.id)!;
      expect([back.traceId, back.parentId]).toEqual([written.traceId, written.parentId]);
    }
    const { events } = await readSessionFile(join(dir, file!));
    expect(sessionEventsToSpans(events).length).toBe(read.length);
  });
});
