/**
 * Evaluations in the JSON file store: recorded through startTracing, written as their own segment
 * kind, read back by filter; redaction on disk; a burst does not overflow the backlog; retention and
 * the start check cover evaluation segments; a corrupt one is skipped.
 */
import { readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { currentSpan, getEvaluations, openFileStore, readEvaluations, recordEvaluation, score, startTracing, traced, TraceStore, type EvaluationRecord } from '../../../index.js';
import { attachEvaluationSink, openFileStoreReader } from '../../../lib/extend/index.js';
import { clearEvaluationMemory } from '../../../lib/evaluations/evaluation-sink.js';
import { listFilesDeep, removeTempDirs, tempDir } from '../../helpers/temp-dir.js';

afterAll(removeTempDirs);
beforeEach(clearEvaluationMemory);

const SECRET = 'sk-proj-AbCdEf0123456789GhIjKlMnOpQrStUv';

async function all(iterable: AsyncIterable<EvaluationRecord>): Promise<EvaluationRecord[]> {
  const out: EvaluationRecord[] = [];
  for await (const record of iterable) out.push(record);
  return out;
}

test('evaluations recorded in traced calls reach <dir>/evaluations and read back linked, by filter', async () => {
  const dir = tempDir();
  const tracing = await startTracing({ store: new TraceStore(), logger: { format: 'hidden' }, fileStore: { dir }, aggregation: false });
  const answer = traced(async (model: string) => ({ model, text: `answer of ${model}`, span: currentSpan()!.id }), { name: 'answer', kind: 'llm' });
  const arbiter = traced(
    async (round: number) => {
      const a = await answer('gpt-4o');
      const b = await answer('claude-haiku-4-5');
      recordEvaluation({
        evaluator: 'arbiter',
        prompt: `question ${round}, key ${SECRET}`,
        candidates: [
          { model: 'gpt-4o', response: a.text, spanId: a.span },
          { model: 'claude-haiku-4-5', response: b.text, spanId: b.span },
        ],
        chosen: round % 3 === 0 ? 'claude-haiku-4-5' : 'gpt-4o',
        scores: { 'gpt-4o': round % 3 === 0 ? 0.4 : 0.9, 'claude-haiku-4-5': 0.6 },
        analysis: 'reasons',
      });
      score({ name: 'thumbs_up', value: round % 2 === 0, model: 'gpt-4o', spanId: a.span, traceId: currentSpan()!.traceId });
      return currentSpan()!.traceId;
    },
    { name: 'arbiter', kind: 'chain' },
  );
  const traces: string[] = [];
  for (let round = 0; round < 9; round++) traces.push(await arbiter(round));
  await tracing.shutdown();
  expect(tracing.fileStore!.stats()).toMatchObject({ writtenEvaluations: 18, failedEvaluations: 0, droppedEvaluations: 0 });
  score({ name: 'after-shutdown', value: 1 }); // the store was detached at shutdown: memory only
  expect(tracing.fileStore!.stats().rejectedAfterShutdown).toBe(0);

  const files = readdirSync(join(dir, 'evaluations'));
  expect(files.length).toBeGreaterThan(0);
  for (const file of listFilesDeep(dir)) expect(readFileSync(file, 'utf8')).not.toContain(SECRET);

  const stored = await all(readEvaluations(dir));
  expect(stored).toEqual(getEvaluations().slice(0, -1)); // same records, same order, on disk and in memory
  const haikuWins = await all(readEvaluations(dir, { evaluator: 'arbiter', chosen: 'claude-haiku-4-5', over: 'gpt-4o' }));
  expect(haikuWins.map((e) => e.traceId)).toEqual([traces[0], traces[3], traces[6]]);
  const oneTrace = await all(readEvaluations(dir, { traceId: traces[4]!.slice(0, 8) }));
  expect(oneTrace.map((e) => e.type).sort()).toEqual(['decision', 'score']);
  expect(await all(readEvaluations(dir, { type: 'score', from: Date.now() + 60_000 }))).toEqual([]);
  expect((await openFileStoreReader({ dir }).stats()).evaluationSegments).toBe(files.length);
});

test('a burst of evaluations shares backlog slots: none dropped with a backlog of 2', async () => {
  const dir = tempDir();
  const fileStore = await openFileStore({ dir, maxPendingBatches: 2, flushOnExit: false });
  const detach = attachEvaluationSink(fileStore);
  for (let i = 0; i < 500; i++) score({ name: 'n', value: i, model: 'm' });
  detach();
  await fileStore.shutdown();
  expect(fileStore.stats()).toMatchObject({ writtenEvaluations: 500, droppedEvaluations: 0, droppedBatches: 0 });
  const values = (await all(readEvaluations(dir))).map((e) => (e.type === 'score' ? e.value : null));
  expect(values).toEqual(Array.from({ length: 500 }, (_, i) => i));
});

test('readEvaluations refuses a bad filter at once', () => {
  expect(() => readEvaluations('/nowhere', { choosen: 'a' } as never)).toThrow('unknown option "choosen", did you mean "chosen"?');
  expect(() => readEvaluations('/nowhere', { from: '1h' as never })).toThrow('evaluation filter from must be epoch milliseconds');
});

test('retention deletes old evaluation segments it can prove are llmtrace\'s; cut and corrupt ones are skipped by readers and left as they are', async () => {
  const dir = tempDir();
  const first = await openFileStore({ dir, flushOnExit: false });
  first.writeEvaluations([{ type: 'score', id: '1'.repeat(16), time: Date.now(), name: 'n', value: 1 }]);
  await first.shutdown();
  const [kept] = readdirSync(join(dir, 'evaluations'));
  const old = join(dir, 'evaluations', '2026-01-01T00-00.1-aaaaaa-0001.json');
  const doc = JSON.parse(readFileSync(join(dir, 'evaluations', kept!), 'utf8')) as { instance: string };
  writeFileSync(old, JSON.stringify({ ...doc, instance: '1-aaaaaa' }));
  utimesSync(old, 0, 0);
  const cutText = '{"format":"llmtrace.segment","kind":"evaluations","records":[';
  const cut = join(dir, 'evaluations', '2026-01-02T00-00.1-aaaaaa-0002.json');
  writeFileSync(cut, cutText);
  const garbage = join(dir, 'evaluations', '2026-01-03T00-00.1-aaaaaa-0003.json');

  const second = await openFileStore({ dir, flushOnExit: false, retentionMs: 24 * 3_600_000 });
  await second.shutdown();
  writeFileSync(garbage, 'not json at all "complete":true}');
  const names = readdirSync(join(dir, 'evaluations'));
  expect(names).not.toContain('2026-01-01T00-00.1-aaaaaa-0001.json');
  expect((await all(readEvaluations(dir))).map((e) => e.id)).toEqual(['1'.repeat(16)]);
  expect(readFileSync(cut, 'utf8')).toBe(cutText);
  expect(readFileSync(garbage, 'utf8')).toBe('not json at all "complete":true}');
  expect(readdirSync(join(dir, 'evaluations')).some((n) => n.includes('.corrupt-'))).toBe(false);
});

test('without a file store, evaluations stay in memory and one evicted unstored is warned about and counted', async () => {
  const { DEFAULT_MAX_EVALUATIONS_IN_MEMORY, diagnosticCounts } = await import('../../../index.js');
  const { evaluationMemoryStats } = await import('../../../lib/extend/index.js');
  for (let i = 0; i < DEFAULT_MAX_EVALUATIONS_IN_MEMORY + 3; i++) score({ name: 'n', value: i });
  expect(evaluationMemoryStats()).toEqual({ held: DEFAULT_MAX_EVALUATIONS_IN_MEMORY, evictedStored: 0, evictedUnstored: 3 });
  expect(diagnosticCounts()['evaluations.memory-full']).toBe(3);
  const kept = getEvaluations();
  expect(kept[0]!.type === 'score' && kept[0]!.value).toBe(3);
});

test('records of an unexpected shape in a segment are skipped, the others read', async () => {
  const dir = tempDir();
  const store = await openFileStore({ dir, flushOnExit: false });
  const good = { type: 'decision', id: 'a'.repeat(16), time: Date.now(), evaluator: 'e', candidates: [{ model: 'm' }], chosen: 0, scores: {} };
  const strangers = [
    { ...good, id: 'b'.repeat(16), chosen: 3 },
    { ...good, id: 'c'.repeat(16), candidates: [{ name: 'm' }] },
    { type: 'vote', id: 'd'.repeat(16), time: Date.now() },
  ];
  store.writeEvaluations([good, ...strangers] as never);
  await store.shutdown();
  expect((await all(readEvaluations(dir))).map((e) => e.id)).toEqual(['a'.repeat(16)]);
});
