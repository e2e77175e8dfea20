/**
 * leaderboard and headToHead: hand-checkable cases, then seeded realistic data (three models,
 * skewed latencies, errors, cache hits, wrapper spans, decisions and scores) checked against an
 * independent computation for every ranking.
 */
import type { SpanData } from '../../../index.js';
import {
  headToHead,
  leaderboard,
  LeaderboardBuilder,
  LEADERBOARD_METRICS,
  type DecisionRecord,
  type EvaluationRecord,
  type LeaderboardRow,
  type ScoreRecord,
} from '../../../lib/evaluations/index.js';
import { exactPercentile, seededLogNormal, seededUniform } from '../../helpers/seeded-random.js';
import { withCountedModels } from '../../../lib/evaluations/head-to-head.js';
import { ModelAliases } from '../../../lib/model-aliases.js';

let seq = 0;
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

function span(model: string | undefined, fields: Partial<SpanData> & { attributes?: SpanData['attributes'] } = {}): SpanData {
  seq++;
  return {
    id: hex(seq, 16),
    traceId: hex(seq, 32),
    name: 'call',
    kind: 'llm',
    startTime: 1_000,
    endTime: 1_000 + (fields.duration ?? 100),
    duration: 100,
    status: 'success',
    events: [],
    scopes: {},
    sampled: true,
    ...fields,
    attributes: { ...(model === undefined ? {} : { 'gen_ai.request.model': model }), ...fields.attributes },
  };
}

function decision(models: string[], chosen: number | null, scores: Record<string, number | boolean | string> = {}): DecisionRecord {
  seq++;
  return { type: 'decision', id: hex(seq, 16), time: seq, evaluator: 'arbiter', candidates: models.map((model) => ({ model })), chosen, scores };
}

function scoreOf(model: string | undefined, value: number | boolean | string): ScoreRecord {
  seq++;
  return { type: 'score', id: hex(seq, 16), time: seq, name: 'grade', value, ...(model !== undefined && { model }) };
}

describe('leaderboard, by hand', () => {
  const spans = [
    span('a', { duration: 100, attributes: { 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.output_tokens': 5, 'llmtrace.cost_usd': 0.01 } }),
    span('a', { duration: 300, status: 'error', attributes: { 'llmtrace.cost_usd': null } }),
    span('a', { duration: 200, attributes: { 'gen_ai.usage.input_tokens': 20, 'gen_ai.usage.output_tokens': 15, 'llmtrace.cost_usd': 0.03 } }),
    span('b', { duration: 50 }),
    span('b', { duration: 70, attributes: { 'llmtrace.cached': true } }), // cache hit: not a call
    span('b', { duration: 900, attributes: { 'llmtrace.usage.in_children': true } }), // wrapper: counted by its child
    span('b', { duration: 900, kind: 'run' }), // a scope, not a model call
    span(undefined, { duration: 5 }), // no model
  ];
  const evaluations: EvaluationRecord[] = [
    decision(['a', 'b'], 0, { a: 0.9, b: 0.5 }),
    decision(['a', 'b'], 1, { a: true, b: 'meh' }),
    decision(['a', 'b', 'c'], 0),
    decision(['a', 'b'], null, { b: 0.1 }), // no choice: not a decision for win rate, scores still count
    scoreOf('c', 1),
    scoreOf('c', 'excellent'), // categorical: counted as an evaluation, not in the mean
    scoreOf(undefined, 1), // about no model
  ];

  test('rows hold calls, rates, medians, means and counts', () => {
    const byModel = Object.fromEntries(leaderboard(spans, evaluations).map((r) => [r.model, r]));
    expect(byModel.a).toMatchObject({
      calls: 3, successRate: 2 / 3, p50LatencyMs: 200, tokensPerCall: 25, costPerCall: 0.02, unpricedCalls: 1,
      evaluations: 4, decisions: 3, wins: 2, winRate: 2 / 3, scoreCount: 2, meanScore: 0.95,
    });
    expect(byModel.b).toMatchObject({
      calls: 1, successRate: 1, p50LatencyMs: 50, tokensPerCall: null, costPerCall: null,
      evaluations: 4, decisions: 3, wins: 1, winRate: 1 / 3, scoreCount: 2, meanScore: 0.3,
    });
    expect(byModel.c).toMatchObject({ calls: 0, successRate: null, p50LatencyMs: null, evaluations: 3, decisions: 1, wins: 0, scoreCount: 1, meanScore: 1 });
  });

  test('each metric orders the rows, nulls last', () => {
    const order = (by: (typeof LEADERBOARD_METRICS)[number]) => leaderboard(spans, evaluations, { by }).map((r) => r.model);
    expect(order('score')).toEqual(['c', 'a', 'b']);
    expect(order('winRate')).toEqual(['a', 'b', 'c']);
    expect(order('latency')).toEqual(['b', 'a', 'c']);
    expect(order('tokens')).toEqual(['a', 'b', 'c']); // only a reported tokens
    expect(order('cost')).toEqual(['a', 'b', 'c']);
    expect(order('success')).toEqual(['b', 'a', 'c']);
    expect(leaderboard(spans, evaluations, { by: 'latency' }).map((r) => r.rank)).toEqual([1, 2, 3]);
  });

  test('a bad option is refused before any work', () => {
    expect(() => leaderboard(spans, evaluations, { by: 'speed' as never })).toThrow(
      "llmtrace: leaderboard: by must be one of 'score', 'winRate', 'latency', 'tokens', 'cost', 'success', got \"speed\" (string)",
    );
    expect(() => leaderboard(spans, evaluations, { order: 'cost' } as never)).toThrow('leaderboard: unknown option "order"');
  });

  test('headToHead counts only decisions with both models', () => {
    expect(headToHead(evaluations, 'a', 'b')).toEqual({ a: 'a', b: 'b', decisions: 4, aWins: 2, bWins: 1, otherWins: 0, noChoice: 1, aWinRate: 2 / 3 });
    expect(headToHead(evaluations, 'b', 'c')).toMatchObject({ decisions: 1, aWins: 0, bWins: 0, otherWins: 1, aWinRate: null });
    expect(() => headToHead(evaluations, '', 'b')).toThrow('headToHead a must be a non-empty string');
  });
});

describe('leaderboard and head-to-head across the names of one model', () => {
  const snapshot = { 'gpt-4o-mini': 'gpt-4o-mini-2024-07-18' } as const;
  const answered = (status: 'success' | 'error') => span('gpt-4o-mini', { status, attributes: status === 'success' ? { 'gen_ai.response.model': snapshot['gpt-4o-mini'] } : {} });
  const spans = [answered('success'), answered('success'), answered('error'), span('claude-haiku-4-5')];
  // The natural code names the answered model: `candidates: [{ model: response.model }, ...]`.
  const decisions = [decision([snapshot['gpt-4o-mini'], 'claude-haiku-4-5'], 0), decision([snapshot['gpt-4o-mini'], 'claude-haiku-4-5'], 1), decision([snapshot['gpt-4o-mini'], 'claude-haiku-4-5'], 0)];

  it('gives an evaluation naming the answered snapshot the row of its calls', () => {
    const rows = leaderboard(spans, decisions);
    expect(rows.map((r) => [r.model, r.calls, r.evaluations, r.wins]).sort()).toEqual([
      ['claude-haiku-4-5', 1, 3, 1],
      ['gpt-4o-mini', 3, 3, 2],
    ]);
  });

  it('counts those decisions between the models compared by their counted names', () => {
    const aliases = new ModelAliases();
    for (const s of spans) aliases.learn(s.attributes);
    expect(headToHead(withCountedModels(decisions, (m) => aliases.countedName(m)), 'gpt-4o-mini', 'claude-haiku-4-5')).toMatchObject({ decisions: 3, aWins: 2, bWins: 1 });
  });
});

describe('leaderboard over seeded realistic data, against an independent computation', () => {
  const MODELS = ['gpt-4o', 'gpt-4o-mini', 'claude-haiku-4-5'];
  const uniform = seededUniform(42);
  const latency = MODELS.map((_, i) => seededLogNormal(100 + i, 5 + i * 0.4, 0.6));
  const spans: SpanData[] = [];
  for (let i = 0; i < 3_000; i++) {
    const m = Math.floor(uniform() * MODELS.length);
    const roll = uniform();
    const attributes: SpanData['attributes'] = {
      'gen_ai.response.model': MODELS[m]!,
      'gen_ai.usage.input_tokens': 50 + Math.floor(uniform() * 500),
      'gen_ai.usage.output_tokens': 10 + Math.floor(uniform() * 300),
      'llmtrace.cost_usd': m === 2 && roll < 0.2 ? null : uniform() * 0.01 * (m + 1),
    };
    if (roll > 0.97) attributes['llmtrace.cached'] = true;
    else if (roll > 0.95) attributes['llmtrace.usage.in_children'] = true;
    spans.push(span(undefined, { duration: latency[m]!(), status: uniform() < 0.05 * (m + 1) ? 'error' : 'success', attributes }));
  }
  const evaluations: EvaluationRecord[] = [];
  for (let i = 0; i < 800; i++) {
    const pair = [...MODELS].sort(() => uniform() - 0.5).slice(0, 2 + Math.floor(uniform() * 2));
    const chosen = uniform() < 0.1 ? null : Math.floor(uniform() * pair.length);
    const scores = Object.fromEntries(pair.map((model) => [model, Math.round(uniform() * 100) / 100]));
    evaluations.push(decision(pair, chosen, scores));
    if (uniform() < 0.3) evaluations.push(scoreOf(MODELS[Math.floor(uniform() * 3)], uniform() < 0.5));
  }

  function expected(model: string): Omit<LeaderboardRow, 'rank'> {
    const calls = spans.filter(
      (s) => s.attributes['gen_ai.response.model'] === model && s.attributes['llmtrace.cached'] !== true && s.attributes['llmtrace.usage.in_children'] !== true,
    );
    const priced = calls.map((s) => s.attributes['llmtrace.cost_usd']).filter((c): c is number => typeof c === 'number');
    const tokens = calls.map((s) => (s.attributes['gen_ai.usage.input_tokens'] as number) + (s.attributes['gen_ai.usage.output_tokens'] as number));
    const decisions = evaluations.filter((e): e is DecisionRecord => e.type === 'decision' && e.candidates.some((c) => c.model === model));
    const decided = decisions.filter((d) => d.chosen !== null);
    const wins = decided.filter((d) => d.candidates[d.chosen!]!.model === model).length;
    const scoreRecords = evaluations.filter((e): e is ScoreRecord => e.type === 'score' && e.model === model);
    const values = [...decisions.map((d) => d.scores[model] as number), ...scoreRecords.map((s) => (s.value === true ? 1 : 0))];
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    return {
      model,
      calls: calls.length,
      successRate: calls.filter((s) => s.status === 'success').length / calls.length,
      p50LatencyMs: exactPercentile(calls.map((s) => s.duration), 0.5),
      tokensPerCall: mean(tokens),
      costPerCall: mean(priced),
      unpricedCalls: calls.length - priced.length,
      evaluations: decisions.length + scoreRecords.length,
      decisions: decided.length,
      wins,
      winRate: wins / decided.length,
      scoreCount: values.length,
      meanScore: mean(values),
    };
  }

  test('every figure of every model matches, and every ranking sorts by its figure', () => {
    const want = new Map(MODELS.map((m) => [m, expected(m)]));
    const figure: Record<string, (r: Omit<LeaderboardRow, 'rank'>) => number> = {
      score: (r) => -r.meanScore!, winRate: (r) => -r.winRate!, latency: (r) => r.p50LatencyMs!,
      tokens: (r) => r.tokensPerCall!, cost: (r) => r.costPerCall!, success: (r) => -r.successRate!,
    };
    for (const by of LEADERBOARD_METRICS) {
      const rows = leaderboard(spans, evaluations, { by });
      expect(rows).toHaveLength(3);
      for (const row of rows) {
        const { rank: _rank, ...rest } = row;
        const exp = want.get(row.model)!;
        for (const [key, value] of Object.entries(exp)) {
          if (typeof value === 'number') expect([key, rest[key as keyof typeof rest]]).toEqual([key, expect.closeTo(value, 9)]);
          else expect(rest[key as keyof typeof rest]).toEqual(value);
        }
      }
      const independent = [...want.values()].sort((x, y) => figure[by]!(x) - figure[by]!(y)).map((r) => r.model);
      expect([by, rows.map((r) => r.model)]).toEqual([by, independent]);
    }
  });

  test('feeding a builder one record at a time gives the same rows as the iterable form', () => {
    const builder = new LeaderboardBuilder();
    evaluations.forEach((e) => builder.addEvaluation(e));
    spans.forEach((s) => builder.addSpan(s));
    expect(builder.rows({ by: 'cost' })).toEqual(leaderboard(spans, evaluations, { by: 'cost' }));
  });
});
