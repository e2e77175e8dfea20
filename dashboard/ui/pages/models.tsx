/**
 * Models: the leaderboard (calls, success, p50, tokens and cost per call, win rate, mean score),
 * two models compared (95% intervals, the rank test's verdict, head-to-head wins) and the
 * evaluations of a chosen model.
 */
import { useMemo } from 'preact/hooks';
import { count, ms, percent, text, time, usd } from '../format.js';
import { NameSelect } from '../name-select.js';
import { rangeOf, RangeSelect } from '../range.js';
import { navigate, type Route } from '../router.js';
import { SortableTable } from '../sortable-table.js';
import type { EvaluationRecord } from '../../../lib/evaluations/types.js';
import type { HeadToHead, LeaderboardRow } from '../../../lib/evaluations/wire-types.js';
import type { Estimate, ModelComparison, ModelSide } from '../../../lib/query/wire-types.js';
import { useApi } from '../use-api.js';
import { UserText } from '../user-text.js';

/** What /api/compare answers. */
interface CompareAnswer {
  comparison: ModelComparison;
  headToHead: HeadToHead;
}

function interval(e: Estimate, format: (v: number) => string): string {
  if (e.value === null) return '-';
  return e.low !== null && e.high !== null ? `${format(e.value)} [${format(e.low)}, ${format(e.high)}]` : format(e.value);
}

const COMPARE_ROWS: [string, (s: ModelSide) => string][] = [
  ['Calls', (s) => (s.sampledSpans === undefined ? count(s.calls) : `~${count(s.calls)} (from ${count(s.sampledSpans)} sampled spans)`)],
  ['Success rate', (s) => interval(s.successRate, percent)],
  ['p50 latency', (s) => interval(s.p50Ms, ms)],
  ['p90 latency', (s) => interval(s.p90Ms, ms)],
  ['p99 latency', (s) => interval(s.p99Ms, ms)],
  ['TTFT p50', (s) => interval(s.ttftP50Ms, ms)],
  ['Input tokens / call', (s) => interval(s.inputTokensPerCall, (v) => v.toFixed(1))],
  ['Output tokens / call', (s) => interval(s.outputTokensPerCall, (v) => v.toFixed(1))],
  ['Cost / call', (s) => interval(s.costPerCallUsd, usd)],
];

/** The models page. */
export function Models(props: { route: Route }) {
  const p = props.route.params;
  const rangeName = p.get('range');
  const range = useMemo(() => rangeOf(rangeName ?? '24h'), [rangeName]);
  const a = p.get('a') ?? '';
  const b = p.get('b') ?? '';
  const model = p.get('model') ?? '';
  const current = { range: rangeName ?? undefined, a, b, model };
  const board = useApi<{ rows: LeaderboardRow[] }>('models', range);
  const compare = useApi<CompareAnswer>(a && b && a !== b ? 'compare' : undefined, { ...range, a, b });
  const evaluations = useApi<{ evaluations: EvaluationRecord[] }>(model ? 'evaluations' : undefined, { model, ...range, limit: 100 });
  const models = board.data?.rows.map((r) => r.model) ?? [];
  return (
    <section aria-labelledby="models-title">
      <div class="toolbar">
        <h2 id="models-title">Models</h2>
        <RangeSelect value={rangeName ?? '24h'} onChange={(value) => navigate('models', { ...current, range: value })} />
      </div>
      {board.error && <p role="alert" class="error">{board.error}</p>}
      {board.data && (
        <SortableTable<LeaderboardRow>
          caption="Leaderboard (choose a row for its evaluations)"
          rows={board.data.rows}
          rowKey={(r) => r.model}
          onOpen={(r) => navigate('models', { ...current, model: r.model })}
          columns={[
            { key: 'rank', label: '#', cell: (r) => String(r.rank), sort: (r) => r.rank, numeric: true },
            { key: 'model', label: 'Model', cell: (r) => <UserText text={r.model} />, sort: (r) => r.model },
            { key: 'calls', label: 'Calls', cell: (r) => count(r.calls), sort: (r) => r.calls, numeric: true },
            { key: 'success', label: 'Success', cell: (r) => percent(r.successRate), sort: (r) => r.successRate ?? -1, numeric: true },
            { key: 'p50', label: 'p50', cell: (r) => ms(r.p50LatencyMs), sort: (r) => r.p50LatencyMs ?? -1, numeric: true },
            { key: 'tokens', label: 'Tokens / call', cell: (r) => (r.tokensPerCall === null ? '-' : r.tokensPerCall.toFixed(1)), sort: (r) => r.tokensPerCall ?? -1, numeric: true },
            { key: 'cost', label: 'Cost / call', cell: (r) => usd(r.costPerCall), sort: (r) => r.costPerCall ?? -1, numeric: true },
            { key: 'win', label: 'Win rate', cell: (r) => (r.winRate === null ? '-' : `${percent(r.winRate)} of ${r.decisions}`), sort: (r) => r.winRate ?? -1, numeric: true },
            { key: 'score', label: 'Mean score', cell: (r) => (r.meanScore === null ? '-' : `${r.meanScore.toFixed(3)} (${r.scoreCount})`), sort: (r) => r.meanScore ?? -1, numeric: true },
          ]}
        />
      )}
      <h3>Compare two models</h3>
      <div class="filters">
        <NameSelect label="Model A" name="a" value={a} names={models} none="choose" onChange={(v) => navigate('models', { ...current, a: v })} />
        <NameSelect label="Model B" name="b" value={b} names={models} none="choose" onChange={(v) => navigate('models', { ...current, b: v })} />
      </div>
      {compare.error && <p role="alert" class="error">{compare.error}</p>}
      {compare.data && (
        <>
          <table class="grid compare">
            <caption>95% intervals in brackets</caption>
            <thead>
              <tr>
                <th scope="col" />
                <th scope="col"><UserText text={compare.data.comparison.a.model} /></th>
                <th scope="col"><UserText text={compare.data.comparison.b.model} /></th>
              </tr>
            </thead>
            <tbody>
              {COMPARE_ROWS.map(([label, cell]) => (
                <tr key={label}>
                  <th scope="row">{label}</th>
                  <td class="num">{cell(compare.data!.comparison.a)}</td>
                  <td class="num">{cell(compare.data!.comparison.b)}</td>
                </tr>
              ))}
              <tr>
                <th scope="row">Head to head</th>
                <td class="num">{compare.data.headToHead.aWins} wins</td>
                <td class="num">{compare.data.headToHead.bWins} wins</td>
              </tr>
            </tbody>
          </table>
          <p class="verdict">{compare.data.comparison.verdict}</p>
        </>
      )}
      {model && (
        <>
          <h3>Evaluations of <UserText text={model} /></h3>
          {evaluations.data?.evaluations.length === 0 && <p class="muted">none recorded</p>}
          <ul class="evaluations">
            {evaluations.data?.evaluations.map((e, i) => (
              <li key={i}>
                <span class="muted">{e.time ? time(e.time) : ''}</span>{' '}
                {e.type === 'decision'
                  ? `${e.evaluator ?? ''} chose ${e.chosen === null || e.chosen === undefined ? 'none' : (e.candidates?.[e.chosen]?.model ?? '?')} of ${e.candidates?.map((c) => c.model).join(', ') ?? ''}`
                  : `${e.name ?? 'score'}: ${text(e.value)}`}
                {e.traceId && (
                  <>
                    {' '}
                    <a href={`#/trace/${e.traceId}`}>trace</a>
                  </>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
