/**
 * recordEvaluation and score in one process: linking to the current trace and span, precise option
 * errors, redaction and capping before anything is kept, and the in-memory side (getEvaluations).
 */
import {
  configure,
  currentSpan,
  getEvaluations,
  MAX_EVALUATION_TEXT_BYTES,
  recordEvaluation,
  score,
  traced,
  withSpan,
  type DecisionRecord,
  type ScoreRecord,
} from '../../../index.js';
import { clearEvaluationMemory } from '../../../lib/evaluations/evaluation-sink.js';
import { freshStore } from '../../helpers/fresh-store.js';

const OPENAI_KEY = 'sk-proj-AbCdEf0123456789GhIjKlMnOpQrStUv';

beforeEach(() => {
  freshStore();
  clearEvaluationMemory();
});

function only<T>(list: T[]): T {
  expect(list).toHaveLength(1);
  return list[0]!;
}

describe('linking', () => {
  test('a decision recorded inside a traced call links to that call\'s trace and span', async () => {
    const arbiter = traced(
      async (question: string) => {
        const here = currentSpan()!;
        recordEvaluation({
          evaluator: 'arbiter',
          prompt: question,
          candidates: [
            { model: 'gpt-4o', response: 'A' },
            { model: 'claude-haiku-4-5', response: 'B' },
          ],
          chosen: 'claude-haiku-4-5',
        });
        return here;
      },
      { name: 'arbiter', kind: 'chain' },
    );
    const span = await arbiter('which?');
    const record = only(getEvaluations()) as DecisionRecord;
    expect(record.type).toBe('decision');
    expect(record.traceId).toBe(span.traceId);
    expect(record.spanId).toBe(span.id);
    expect(record.chosen).toBe(1);
    expect(record.candidates.map((c) => c.model)).toEqual(['gpt-4o', 'claude-haiku-4-5']);
  });

  test('a score inside a model call takes its span and model; explicit ids win over the context', async () => {
    const call = traced(
      async (_request: { model: string; messages: { role: string; content: string }[] }) => {
        score({ name: 'relevance', value: 0.75 });
        return { choices: [{ message: { role: 'assistant', content: 'ok' } }] };
      },
      { name: 'ask', kind: 'llm' },
    );
    await call({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    const inside = only(getEvaluations({ type: 'score' })) as ScoreRecord;
    expect(inside.model).toBe('gpt-4o-mini');
    expect(inside.spanId).toMatch(/^[0-9a-f]{16}$/);

    clearEvaluationMemory();
    const traceId = 'ab'.repeat(16);
    const spanId = 'cd'.repeat(8);
    await withSpan('elsewhere', {}, async () => score({ name: 'thumbs_up', value: true, traceId, spanId }));
    const explicit = only(getEvaluations()) as ScoreRecord;
    expect([explicit.traceId, explicit.spanId, explicit.model]).toEqual([traceId, spanId, undefined]);
  });

  test('outside any span nothing is linked', () => {
    score({ name: 'grade', value: 'good', model: 'm' });
    const record = only(getEvaluations()) as ScoreRecord;
    expect(record.traceId).toBeUndefined();
    expect(record.spanId).toBeUndefined();
    expect(record.value).toBe('good');
  });
});

describe('option errors are precise and nothing is recorded', () => {
  const base = { evaluator: 'arbiter', candidates: [{ model: 'a' }, { model: 'b' }] };
  test.each([
    [{ ...base, candidate: [] }, 'recordEvaluation: unknown option "candidate", did you mean "candidates"?'],
    [{ ...base, evaluator: '' }, 'recordEvaluation evaluator must be a non-empty string, got  (string)'],
    [{ ...base, candidates: [] }, 'recordEvaluation candidates must be a non-empty array'],
    [{ ...base, candidates: [{ model: 'a', respones: 'x' }] }, 'recordEvaluation candidates[0]: unknown option "respones", did you mean "response"?'],
    [{ ...base, chosen: 'c' }, 'recordEvaluation chosen: "c" is not a candidate model (candidates: a, b)'],
    [{ ...base, chosen: 2 }, 'recordEvaluation chosen must be a candidate index from 0 to 1'],
    [{ ...base, candidates: [{ model: 'a' }, { model: 'a' }], chosen: 'a' }, 'names 2 candidates; pass the index instead (0 or 1)'],
    [{ ...base, scores: { c: 1 } }, 'recordEvaluation scores: "c" is not a candidate model'],
    [{ ...base, scores: { a: Number.NaN } }, 'recordEvaluation scores["a"] must be a finite number, a boolean or a non-empty category string'],
    [{ ...base, prompt: [{ role: 'user', text: 'hi' }] }, 'recordEvaluation prompt[0]: unknown option "text"'],
    [{ ...base, spanId: 'xyz' }, 'recordEvaluation spanId must be a span id of 16 lowercase hex digits'],
  ])('%o', (options, message) => {
    expect(() => recordEvaluation(options as never)).toThrow(message);
    expect(getEvaluations()).toEqual([]);
  });

  test.each([
    [{ name: 'x', value: 1, comments: '' }, 'score: unknown option "comments", did you mean "comment"?'],
    [{ name: 'x', value: null }, 'score value must be a finite number, a boolean or a non-empty category string, got null (object)'],
    [{ name: 'x', value: 1, traceId: 'ABC' }, 'score traceId must be a trace id of 32 lowercase hex digits'],
    [{ value: 1 }, 'score name must be a non-empty string'],
  ])('score %o', (options, message) => {
    expect(() => score(options as never)).toThrow(message);
    expect(getEvaluations()).toEqual([]);
  });

  test('a filter with an unknown key is refused', () => {
    expect(() => getEvaluations({ chosenModel: 'a' } as never)).toThrow('evaluation filter: unknown option "chosenModel"');
  });
});

describe('what is kept', () => {
  test('a secret in the prompt, a response, the analysis or a comment is masked before it is kept', () => {
    recordEvaluation({
      evaluator: 'judge',
      prompt: [{ role: 'user', content: `my key is ${OPENAI_KEY}, summarise` }],
      candidates: [{ model: 'a', response: `Bearer ${OPENAI_KEY}` }],
      chosen: 0,
      analysis: `the answer leaked ${OPENAI_KEY}`,
    });
    score({ name: 'safety', value: 0, model: 'a', comment: `leaked ${OPENAI_KEY}` });
    const text = JSON.stringify(getEvaluations());
    expect(text).not.toContain(OPENAI_KEY);
    expect(text).toContain('[REDACTED]');
    expect(text).toContain('summarise');
  });

  test('the configured redaction mask applies too', () => {
    configure({ redaction: { patterns: [/\bEMP-\d{6}\b/g] } });
    try {
      recordEvaluation({ evaluator: 'j', prompt: 'employee EMP-123456 asks', candidates: [{ model: 'a' }] });
      expect(JSON.stringify(getEvaluations())).not.toContain('EMP-123456');
    } finally {
      configure({ redaction: {} });
    }
  });

  test('a text over the cap is cut (UTF-8 safe) and the record says so', () => {
    recordEvaluation({ evaluator: 'j', candidates: [{ model: 'a', response: 'é'.repeat(MAX_EVALUATION_TEXT_BYTES) }], chosen: 0 });
    const record = only(getEvaluations()) as DecisionRecord;
    expect(record.truncated).toBe(true);
    expect(Buffer.byteLength(record.candidates[0]!.response!, 'utf8')).toBeLessThanOrEqual(MAX_EVALUATION_TEXT_BYTES);
    expect(record.candidates[0]!.response!.endsWith('é')).toBe(true);
  });

  test('with tracing disabled nothing is recorded and undefined is returned', () => {
    configure({ enabled: false });
    try {
      expect(recordEvaluation({ evaluator: 'j', candidates: [{ model: 'a' }] })).toBeUndefined();
      expect(score({ name: 'x', value: 1 })).toBeUndefined();
      expect(getEvaluations()).toEqual([]);
    } finally {
      configure({ enabled: true });
    }
  });
});

describe('getEvaluations filters', () => {
  test('"chosen A over B", evaluator, model, type, name and trace-id prefix', () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const ids = {
      aOverB: recordEvaluation({ evaluator: 'arbiter', candidates: [{ model: 'A' }, { model: 'B' }], chosen: 'A', traceId }),
      bOverA: recordEvaluation({ evaluator: 'arbiter', candidates: [{ model: 'A' }, { model: 'B' }], chosen: 'B' }),
      aOverC: recordEvaluation({ evaluator: 'judge', candidates: [{ model: 'A' }, { model: 'C' }], chosen: 'A' }),
      none: recordEvaluation({ evaluator: 'arbiter', candidates: [{ model: 'A' }, { model: 'B' }] }),
      scoreA: score({ name: 'thumbs_up', value: true, model: 'A' }),
    };
    const idsOf = (filter: Parameters<typeof getEvaluations>[0]) => getEvaluations(filter).map((e) => e.id);
    expect(idsOf({ chosen: 'A', over: 'B' })).toEqual([ids.aOverB]);
    expect(idsOf({ over: 'A' })).toEqual([ids.bOverA]);
    expect(idsOf({ chosen: 'A' })).toEqual([ids.aOverB, ids.aOverC]);
    expect(idsOf({ evaluator: 'arbiter' })).toEqual([ids.aOverB, ids.bOverA, ids.none]);
    expect(idsOf({ model: 'A' })).toEqual([ids.aOverB, ids.bOverA, ids.aOverC, ids.none, ids.scoreA]);
    expect(idsOf({ model: 'C' })).toEqual([ids.aOverC]);
    expect(idsOf({ type: 'score' })).toEqual([ids.scoreA]);
    expect(idsOf({ name: 'thumbs_up' })).toEqual([ids.scoreA]);
    expect(idsOf({ traceId: '4bf92f35' })).toEqual([ids.aOverB]);
    const all = getEvaluations();
    expect(idsOf({ from: all[2]!.time, to: all[2]!.time + 1 })).toContain(ids.aOverC);
  });
});
