/**
 * Training export from a store written by the library itself: an arbiter program with traced model
 * calls (content captured, or not), evaluations recorded with and without their texts, read back
 * from disk and turned into OpenAI chat fine-tuning (sft), preference (dpo) and raw records.
 */
import { configure, currentSpan, readEvaluations, recordEvaluation, score, startTracing, traced, TraceStore, type SpanData } from '../../../index.js';
import { openFileStoreReader } from '../../../lib/extend/index.js';
import {
  NO_CONTENT_HINT,
  spanContent,
  trainingRecords,
  type DecisionRecord,
  type DpoRecord,
  type EvaluationRecord,
  type RawRecord,
  type SftRecord,
} from '../../../lib/evaluations/index.js';
import { clearEvaluationMemory } from '../../../lib/evaluations/evaluation-sink.js';
import { removeTempDirs, tempDir } from '../../helpers/temp-dir.js';

afterAll(removeTempDirs);

const SECRET = 'sk-proj-AbCdEf0123456789GhIjKlMnOpQrStUv';
const QUESTIONS = ['What is the capital of France?', 'Name a prime above 10.', 'Translate "chat" to English.', 'Sum of 2 and 3?'];

interface Store {
  spans: Map<string, SpanData>;
  evaluations: EvaluationRecord[];
}

/**
 * Runs the arbiter program with content capture `capture`; when `withTexts`, the evaluations carry
 * prompt and responses, otherwise only candidate span ids. Thumbs-up scores go to the chosen span.
 */
async function runArbiter(capture: 'full' | 'off', withTexts: boolean): Promise<Store> {
  clearEvaluationMemory();
  const dir = tempDir();
  const tracing = await startTracing({ store: new TraceStore(), logger: { format: 'hidden' }, fileStore: { dir }, aggregation: false, capture });
  const chat = traced(
    async (request: { model: string; messages: { role: string; content: string }[] }) => {
      const question = request.messages.at(-1)!.content;
      return {
        object: 'chat.completion',
        model: request.model,
        choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: `${request.model} says: ${question.length}` } }],
        usage: { prompt_tokens: 20, completion_tokens: 8 },
        spanId: currentSpan()!.id,
      };
    },
    { name: 'chat', kind: 'llm' },
  );
  const arbiter = traced(
    async (question: string, round: number) => {
      const messages = [
        { role: 'system', content: `Answer briefly. (internal key ${SECRET})` },
        { role: 'user', content: question },
      ];
      const answers = await Promise.all(['gpt-4o', 'claude-haiku-4-5'].map((model) => chat({ model, messages })));
      const chosen = round % 2;
      recordEvaluation({
        evaluator: 'arbiter',
        ...(withTexts && { prompt: messages }),
        candidates: answers.map((a) => ({ model: a.model, spanId: a.spanId, ...(withTexts && { response: a.choices[0]!.message.content }) })),
        chosen,
        ...(round !== 3 && { scores: { [answers[chosen]!.model]: round === 2 ? 0.5 : 0.9 } }),
        analysis: 'the chosen one is shorter',
      });
      if (round === 3) score({ name: 'thumbs_up', value: true, spanId: answers[chosen]!.spanId, traceId: currentSpan()!.traceId });
    },
    { name: 'arbiter', kind: 'chain' },
  );
  for (const [round, question] of QUESTIONS.entries()) await arbiter(question, round);
  await tracing.shutdown();
  configure({ capture: 'metadata' });

  const reader = openFileStoreReader({ dir });
  const spans = new Map<string, SpanData>();
  for await (const span of reader.readSpans()) spans.set(span.id, span);
  const evaluations: EvaluationRecord[] = [];
  for await (const e of readEvaluations(dir)) evaluations.push(e);
  return { spans, evaluations };
}

/** OpenAI's chat fine-tuning line: messages with known roles and text, ending with the assistant. */
function expectOpenAIChat(messages: unknown): void {
  expect(Array.isArray(messages)).toBe(true);
  for (const m of messages as { role: string; content: string }[]) {
    expect(Object.keys(m).sort()).toEqual(['content', 'role']);
    expect(['system', 'user', 'assistant']).toContain(m.role);
    expect(typeof m.content === 'string' && m.content.length > 0).toBe(true);
  }
}

function jsonl(records: unknown[]): unknown[] {
  const text = records.map((r) => JSON.stringify(r)).join('\n') + '\n';
  expect(text).not.toContain(SECRET);
  return text.trimEnd().split('\n').map((line) => JSON.parse(line) as unknown);
}

describe('with the texts given to recordEvaluation', () => {
  let store: Store;
  beforeAll(async () => {
    store = await runArbiter('off', true);
  });

  test('sft: one chat sample per decision, the chosen answer last; minScore keeps those that scored enough', () => {
    const all = trainingRecords(store.evaluations, { format: 'sft' });
    expect(all).toMatchObject({ decisions: 4, used: 4 });
    const lines = jsonl(all.records) as SftRecord[];
    for (const [i, line] of lines.entries()) {
      expectOpenAIChat(line.messages);
      expect(line.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant']);
      expect(line.messages[1]!.content).toBe(QUESTIONS[i]);
      expect(line.messages[2]!.content).toBe(`${i % 2 === 0 ? 'gpt-4o' : 'claude-haiku-4-5'} says: ${QUESTIONS[i]!.length}`);
      expect(line.messages[0]!.content).toContain('[REDACTED]');
    }
    // rounds 0, 1 scored 0.9; round 2 scored 0.5; round 3 has a thumbs-up (1) on its chosen span
    const good = trainingRecords(store.evaluations, { format: 'sft', minScore: 0.8 });
    expect((good.records as SftRecord[]).map((r) => r.messages[1]!.content)).toEqual([QUESTIONS[0], QUESTIONS[1], QUESTIONS[3]]);
    expect(good.skipped.belowMinScore).toBe(1);
  });

  test('dpo: the chosen answer preferred over the rejected one, in OpenAI preference format', () => {
    const out = trainingRecords(store.evaluations, { format: 'dpo' });
    const lines = jsonl(out.records) as DpoRecord[];
    expect(lines).toHaveLength(4);
    for (const [i, line] of lines.entries()) {
      expect(Object.keys(line).sort()).toEqual(['input', 'non_preferred_output', 'preferred_output']);
      expectOpenAIChat(line.input.messages);
      expectOpenAIChat([...line.preferred_output, ...line.non_preferred_output]);
      const [winner, loser] = i % 2 === 0 ? ['gpt-4o', 'claude-haiku-4-5'] : ['claude-haiku-4-5', 'gpt-4o'];
      expect(line.preferred_output).toEqual([{ role: 'assistant', content: `${winner} says: ${QUESTIONS[i]!.length}` }]);
      expect(line.non_preferred_output).toEqual([{ role: 'assistant', content: `${loser} says: ${QUESTIONS[i]!.length}` }]);
    }
  });

  test('raw: prompt, chosen, rejected, analysis and scores of every decision', () => {
    const [first] = trainingRecords(store.evaluations, { format: 'raw' }).records as RawRecord[];
    expect(first).toMatchObject({
      evaluator: 'arbiter',
      chosen: { model: 'gpt-4o', response: `gpt-4o says: ${QUESTIONS[0]!.length}` },
      rejected: [{ model: 'claude-haiku-4-5' }],
      analysis: 'the chosen one is shorter',
      scores: { 'gpt-4o': 0.9 },
      chosenScore: 0.9,
    });
    expect(first!.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  test('bad options are refused', () => {
    expect(() => trainingRecords([], { format: 'preference' as never })).toThrow("llmtrace: trainingRecords: format must be 'sft', 'dpo' or 'raw'");
    expect(() => trainingRecords([], { format: 'sft', min_score: 1 } as never)).toThrow('trainingRecords: unknown option "min_score", did you mean "minScore"?');
    expect(() => trainingRecords([], { format: 'sft', minScore: '0.8' as never })).toThrow('llmtrace: trainingRecords: minScore must be a finite number');
  });
});

describe('with only span ids', () => {
  test('captured content (capture: full) of the candidate spans fills prompts and answers', async () => {
    const store = await runArbiter('full', false);
    const spanById = (id: string) => store.spans.get(id);
    const sft = trainingRecords(store.evaluations, { format: 'sft', spanById });
    expect(sft.used).toBe(4);
    const lines = jsonl(sft.records) as SftRecord[];
    lines.forEach((line) => expectOpenAIChat(line.messages));
    expect(lines[1]!.messages).toEqual([
      { role: 'system', content: 'Answer briefly. (internal key [REDACTED])' },
      { role: 'user', content: QUESTIONS[1] },
      { role: 'assistant', content: `claude-haiku-4-5 says: ${QUESTIONS[1]!.length}` },
    ]);
    expect(trainingRecords(store.evaluations, { format: 'dpo', spanById }).records).toHaveLength(4);
    const chosenSpan = store.spans.get((store.evaluations[0] as DecisionRecord).candidates[0]!.spanId!)!;
    expect(spanContent(chosenSpan).response).toBe(`gpt-4o says: ${QUESTIONS[0]!.length}`);
  });

  test('without captured content nothing empty is written: decisions are counted as noContent', async () => {
    const store = await runArbiter('off', false);
    const out = trainingRecords(store.evaluations, { format: 'sft', spanById: (id) => store.spans.get(id) });
    expect(out.records).toEqual([]);
    expect(out.skipped.noContent).toBe(4);
    expect(NO_CONTENT_HINT).toContain("capture: 'full'");
    expect(trainingRecords(store.evaluations, { format: 'dpo' }).skipped.noContent).toBe(4);
  });
});
