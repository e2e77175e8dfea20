import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configure, TraceStore, type DecisionRecord, type SpanData } from '../../../index.js';
import { createFileStore } from '../../../lib/extend/index.js';
import { assembleTrace, findTrace, listRuns, openSource, QueryError, slowestSpans, summariseTraces, groupErrors, TraceListing, type TraceSummary } from '../../../lib/query/index.js';
import { wholeFileReads } from '../../helpers/faulty-fs.js';
import { asSpans, seededSpans, writeStore } from '../../helpers/query-store.js';
import { removeTempDirs, tempDir } from '../../helpers/temp-dir.js';

beforeAll(() => configure({ store: new TraceStore(), logger: { format: 'hidden' } }));
afterAll(removeTempDirs);

const spans = seededSpans(21, 25);

describe('traces', () => {
  test('one summary per trace, newest first, with totals counted independently', () => {
    const rows = summariseTraces(spans);
    const traceIds = [...new Set(spans.map((s) => s.traceId))];
    expect(rows.length).toBe(traceIds.length);
    for (let i = 1; i < rows.length; i++) expect(rows[i - 1]!.start).toBeGreaterThanOrEqual(rows[i]!.start);
    for (const row of rows) {
      const mine = spans.filter((s) => s.traceId === row.traceId);
      const root = mine.find((s) => s.parentId === undefined)!;
      expect(row.rootName).toBe(root.name);
      expect(row.spanCount).toBe(mine.length);
      expect(row.modelCalls).toBe(mine.filter((s) => s.kind === 'llm').length);
      expect(row.errors).toBe(mine.filter((s) => s.status === 'error').length);
      expect(row.inputTokens).toBe(mine.reduce((n, s) => n + ((s.attributes['gen_ai.usage.input_tokens'] as number) ?? 0), 0));
      expect(row.costUsd).toBeCloseTo(mine.reduce((n, s) => n + ((s.attributes['llmtrace.cost_usd'] as number) ?? 0), 0), 12);
      expect(row.unpricedCalls).toBe(mine.filter((s) => s.attributes['llmtrace.cost_usd'] === null).length);
      expect(row.durationMs).toBeCloseTo(Math.max(...mine.map((s) => s.endTime)) - Math.min(...mine.map((s) => s.startTime)), 6);
      expect(row.models).toEqual([...new Set(mine.map((s) => s.attributes['gen_ai.request.model']).filter(Boolean))].sort());
    }
  });

  test("a cache hit's tokens and cost are not counted in its run's totals (as in stats)", () => {
    const [call, hit] = spans.filter((s) => s.kind === 'llm' && s.attributes['gen_ai.usage.input_tokens']).slice(0, 2);
    const cached = { ...hit!, traceId: call!.traceId, attributes: { ...hit!.attributes, 'llmtrace.cached': true } };
    const [row] = summariseTraces([call!, cached]);
    expect(row!.inputTokens).toBe(call!.attributes['gen_ai.usage.input_tokens']);
    expect(row!.outputTokens).toBe(call!.attributes['gen_ai.usage.output_tokens'] ?? 0);
    expect(row!.spanCount).toBe(2);
  });

  test('listRuns picks the runs with a matching span and totals each over all its spans', async () => {
    const dir = tempDir();
    await writeStore(dir, spans);
    const source = await openSource(dir);
    const failing = new Set(spans.filter((s) => s.status === 'error').map((s) => s.traceId));
    const { runs, total } = await listRuns([source], { status: 'error' }, { limit: 3 });
    expect(total).toBe(failing.size);
    expect(runs.length).toBe(Math.min(3, failing.size));
    for (const run of runs) {
      expect(failing.has(run.traceId)).toBe(true);
      expect(run.spanCount).toBe(spans.filter((s) => s.traceId === run.traceId).length);
    }
    expect((await listRuns([source])).total).toBe(new Set(spans.map((s) => s.traceId)).size);
    expect(await listRuns([source], { model: 'nobody' })).toEqual({ runs: [], total: 0 });
  });

  test('listRuns with an evaluation filter lists the runs of the matching decisions, alone or with a span filter', async () => {
    const dir = tempDir();
    const traceIds = [...new Set(spans.map((s) => s.traceId))];
    const decisions: DecisionRecord[] = traceIds.map((traceId, i) => ({
      type: 'decision',
      id: i.toString(16).padStart(16, '0'),
      time: spans.find((s) => s.traceId === traceId)!.endTime,
      traceId,
      evaluator: i % 3 === 0 ? 'user' : 'arbiter',
      candidates: [{ model: 'gpt-4o' }, { model: 'claude-haiku-4-5' }],
      chosen: i % 2,
      scores: {},
    }));
    const store = createFileStore({ dir, flushOnExit: false });
    await store.export(asSpans(spans));
    store.writeEvaluations(decisions);
    await store.shutdown();
    const source = await openSource(dir);
    const gptOverHaiku = decisions.filter((d) => d.evaluator === 'arbiter' && d.chosen === 0).map((d) => d.traceId!);
    const judged = await listRuns([source], {}, { evaluation: { evaluator: 'arbiter', chosen: 'gpt-4o', over: 'claude-haiku-4-5' } });
    expect(judged.runs.map((r) => r.traceId).sort()).toEqual([...gptOverHaiku].sort());
    for (const run of judged.runs) expect(run.spanCount).toBe(spans.filter((s) => s.traceId === run.traceId).length);
    const failing = new Set(spans.filter((s) => s.status === 'error').map((s) => s.traceId));
    const judgedAndFailing = await listRuns([source], { status: 'error' }, { evaluation: { chosen: 'gpt-4o' } });
    const expected = decisions.filter((d) => d.chosen === 0 && failing.has(d.traceId!)).map((d) => d.traceId!);
    expect(expected.length).toBeGreaterThan(0);
    expect(judgedAndFailing.runs.map((r) => r.traceId).sort()).toEqual([...expected].sort());
    expect(await listRuns([source], {}, { evaluation: { chosen: 'nobody' } })).toEqual({ runs: [], total: 0 });
    await expect(listRuns([source], {}, { evaluation: { chosen: '' } })).rejects.toThrow(/evaluation filter chosen must be a non-empty string/);
  });

  test('runs rows of traces calling many models, with spans of traces interleaved across segments, are the totals counted independently', async () => {
    const MODELS = ['gpt-4o-mini', 'claude-haiku-4-5', 'Zeta-large', 'a-small', 'gemini-2.5-flash', 'llama3.1:8b', 'mistral-small'];
    // Trace t calls 1 + t % 7 models, first seen in an order that differs from trace to trace; some
    // calls are answered by a dated snapshot of the model; the requested model is the one counted.
    const base = seededSpans(31, 24, 7);
    const many = base.map((span, i) => {
      if (span.kind !== 'llm') return span;
      const t = Number(base.find((s) => s.traceId === span.traceId && s.kind === 'run')!.name.slice(4));
      const model = MODELS[(t * 3 + i) % (1 + (t % 7))]!;
      const attributes: SpanData['attributes'] = { ...span.attributes, 'gen_ai.request.model': model };
      if (i % 5 === 0) attributes['gen_ai.response.model'] = `${model}-2024-07-18`;
      return { ...span, attributes } as SpanData;
    });
    // Interleave the traces: spans of neighbouring traces alternate.
    const interleaved = [...many].sort((a, b) => (many.indexOf(a) % 9) - (many.indexOf(b) % 9) || many.indexOf(a) - many.indexOf(b));
    const dir = tempDir();
    await writeStore(dir, interleaved, [], { maxSegmentRecords: 17 });
    const expected = [...new Set(interleaved.map((s) => s.traceId))]
      .map((traceId): TraceSummary => {
        const mine = interleaved.filter((s) => s.traceId === traceId);
        const root = mine.filter((s) => s.parentId === undefined).sort((a, b) => a.startTime - b.startTime)[0]!;
        const start = Math.min(...mine.map((s) => s.startTime));
        const end = Math.max(...mine.map((s) => s.endTime));
        const models = mine.map((s) => (s.attributes['gen_ai.request.model'] ?? s.attributes['gen_ai.response.model']) as string | undefined);
        const cost = (s: SpanData) => s.attributes['llmtrace.cost_usd'];
        return {
          traceId,
          rootName: root.name,
          rootKind: root.kind,
          start,
          end,
          durationMs: end - start,
          spanCount: mine.length,
          modelCalls: mine.filter((s) => s.kind === 'llm').length,
          errors: mine.filter((s) => s.status === 'error').length,
          models: [...new Set(models.filter((m): m is string => !!m))].sort(),
          inputTokens: mine.reduce((n, s) => n + ((s.attributes['gen_ai.usage.input_tokens'] as number | undefined) ?? 0), 0),
          outputTokens: mine.reduce((n, s) => n + ((s.attributes['gen_ai.usage.output_tokens'] as number | undefined) ?? 0), 0),
          costUsd: mine.reduce((n, s) => n + (typeof cost(s) === 'number' ? (cost(s) as number) : 0), 0),
          unpricedCalls: mine.filter((s) => cost(s) === null).length,
        };
      })
      .sort((a, b) => b.start - a.start);
    expect(new Set(expected.map((r) => r.models.length)).size).toBe(7); // one to seven models a trace

    const source = await openSource(dir);
    const { runs, total } = await listRuns([source]);
    expect(runs).toEqual(expected);
    expect(total).toBe(expected.length);
    // The fields in the order `llmtrace runs --json` prints them.
    expect(Object.keys(runs[0]!)).toEqual(Object.keys(expected[0]!));
    // The first rows of a limited listing are the first rows of the full one.
    expect(await listRuns([source], {}, { limit: 5 })).toEqual({ runs: expected.slice(0, 5), total: expected.length });
    // Rows that called the same models are still separate rows.
    const [a, b] = runs.filter((r) => r.models.length === 1 && r.models[0] === 'gpt-4o-mini');
    a!.models.push('changed');
    expect(b!.models).toEqual(['gpt-4o-mini']);

    // The dashboard's listing folds the same spans in parts (a segment each) and merges them.
    const listing = new TraceListing();
    for (let part = 0; part < 3; part++) listing.setPart(`part-${part}`, interleaved.filter((_, i) => i % 3 === part));
    expect(listing.query({ limit: 1_000 }).rows).toEqual(expected);
  });

  test('a trace assembles into a tree: the root, its children by start time, depth-first order', () => {
    const traceId = spans[0]!.traceId;
    const mine = spans.filter((s) => s.traceId === traceId);
    const tree = assembleTrace([...mine].reverse());
    expect(tree.roots.length).toBe(1);
    expect(tree.roots[0]!.span.kind).toBe('run');
    expect(tree.nodes.length).toBe(mine.length);
    expect(tree.nodes[0]!.depth).toBe(0);
    const children = tree.roots[0]!.children.map((n) => n.span.startTime);
    expect(children).toEqual([...children].sort((a, b) => a - b));
    expect(tree.nodes.slice(1).every((n) => n.depth === 1)).toBe(true);
  });

  test('a span whose parent was not stored becomes a root, not lost', () => {
    const mine = spans.filter((s) => s.traceId === spans[0]!.traceId && s.kind !== 'run');
    const tree = assembleTrace(mine);
    expect(tree.roots.length).toBe(mine.length);
  });

  test('findTrace takes a unique prefix, lists the matches of an ambiguous one, and names a missing one', async () => {
    const dir = tempDir();
    const original = seededSpans(22, 2);
    const renamed = new Map([...new Set(original.map((s) => s.traceId))].map((id, i) => [id, `abc${i + 1}${id.slice(4)}`]));
    const twins = original.map((s) => ({ ...s, traceId: renamed.get(s.traceId)! }));
    await writeStore(dir, [...spans, ...twins]);
    const source = await openSource(dir);
    const wanted = spans[0]!.traceId;
    const tree = await findTrace([source], wanted.slice(0, 10));
    expect(tree.traceId).toBe(wanted);
    expect(tree.nodes.length).toBe(spans.filter((s) => s.traceId === wanted).length);
    const ambiguous = await findTrace([source], 'abc').catch((e: unknown) => e as QueryError);
    expect(ambiguous).toBeInstanceOf(QueryError);
    expect((ambiguous as QueryError).code).toBe('EAMBIGUOUS');
    const twinIds = [...new Set(twins.map((s) => s.traceId))].sort();
    expect((ambiguous as QueryError).message).toBe(`llmtrace: trace id prefix abc matches 2 traces (${twinIds.join(', ')}): give more digits`);
    await expect(findTrace([source], 'ffffffffffff')).rejects.toThrow('llmtrace: no trace id starts with ffffffffffff: list them with `llmtrace runs`');
    await expect(findTrace([source], 'xyz')).rejects.toThrow(/must be hex digits/);
  });

  test('findTrace parses only the segments whose trace-id index can hold the trace, and every segment without an index', async () => {
    const dir = tempDir();
    await writeStore(dir, spans, [], { maxSegmentRecords: 13 });
    const spanDir = join(dir, 'spans');
    const names = readdirSync(spanDir).sort();
    expect(names.length).toBeGreaterThan(8);
    // One segment as a store written before the index existed has it: no traceIds key.
    const older = names[names.length - 1]!;
    const doc = JSON.parse(readFileSync(join(spanDir, older), 'utf8')) as { traceIds?: string[]; records: SpanData[] };
    delete doc.traceIds;
    writeFileSync(join(spanDir, older), JSON.stringify(doc));
    const holding = (traceId: string) =>
      names.filter((name) => (JSON.parse(readFileSync(join(spanDir, name), 'utf8')) as { records: SpanData[] }).records.some((s) => s.traceId === traceId));

    for (const wanted of [spans[0]!.traceId, doc.records[0]!.traceId]) {
      const { fs, files: parsed } = wholeFileReads(spanDir);
      const tree = await findTrace([await openSource(dir, { fs })], wanted.slice(0, 8));
      expect(tree.traceId).toBe(wanted);
      expect(tree.nodes.map((n) => n.span.id).sort()).toEqual(spans.filter((s) => s.traceId === wanted).map((s) => s.id).sort());
      expect(parsed.sort()).toEqual([...new Set([...holding(wanted), older])].sort());
      expect(parsed.length).toBeLessThan(names.length / 2);
    }
  });
});

describe('slow calls and errors', () => {
  test('slowestSpans returns the n longest, slowest first, like a full sort', () => {
    const top = slowestSpans(spans, 7);
    const sorted = [...spans].sort((a, b) => b.duration - a.duration).slice(0, 7);
    expect(top.map((s) => s.duration)).toEqual(sorted.map((s) => s.duration));
    expect(slowestSpans(spans.slice(0, 3), 10).length).toBe(3);
    expect(() => slowestSpans(spans, 0)).toThrow(/limit must be a positive integer/);
  });

  test('runs list a deployment\'s failed call under the model its answered calls named, as stats does', () => {
    const [base] = spans.filter((s) => s.kind === 'llm');
    const call = (traceId: string, answered?: string): SpanData => ({
      ...base!, traceId, id: `${traceId.slice(0, 8)}${answered ? 'aaaaaaaa' : 'bbbbbbbb'}`, parentId: undefined,
      attributes: { 'gen_ai.request.model': 'prod-chat', ...(answered ? { 'gen_ai.response.model': answered } : {}) },
    });
    const rows = summariseTraces([call('1'.repeat(32), 'gpt-4o-2024-08-06'), call('2'.repeat(32))]);
    expect(rows.map((r) => r.models)).toEqual([['gpt-4o-2024-08-06'], ['gpt-4o-2024-08-06']]);
  });

  test('errors group failed calls by type and model, most first, newest examples first; a failed run is not a second failure', () => {
    const groups = groupErrors(spans, 2);
    const failed = spans.filter((s) => s.status === 'error' && s.kind === 'llm');
    const expected = new Map<string, number>();
    for (const s of failed) {
      const key = `${s.error!.type}|${s.attributes['gen_ai.request.model']}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    // The failed runs (there are some) are scopes, not calls: the call failing in them is counted once.
    expect(spans.filter((s) => s.status === 'error' && s.kind === 'run').length).toBeGreaterThan(0);
    expect(Object.fromEntries(groups.map((g) => [`${g.type}|${g.model}`, g.count]))).toEqual(Object.fromEntries(expected));
    for (let i = 1; i < groups.length; i++) expect(groups[i - 1]!.count).toBeGreaterThanOrEqual(groups[i]!.count);
    for (const g of groups) {
      expect(g.examples.length).toBe(Math.min(2, g.count));
      for (let i = 1; i < g.examples.length; i++) expect(g.examples[i - 1]!.time).toBeGreaterThanOrEqual(g.examples[i]!.time);
    }
  });
});
