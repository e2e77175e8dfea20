/**
 * Overview: tiles (requests, error rate, p50/p90/p99, TTFT p50, tokens, cost, throughput) over the
 * chosen range; the latency histogram, requests and errors over time, cost over time; per-model
 * table. Every number is /api/overview's (generateDashboardData).
 */
import { useMemo } from 'preact/hooks';
import { Chart } from '../chart.js';
import { count, ms, percent, usd } from '../format.js';
import { rangeOf, RangeSelect } from '../range.js';
import { navigate, type Route } from '../router.js';
import { SortableTable } from '../sortable-table.js';
import type { DashboardData, GroupStats } from '../../../lib/query/wire-types.js';
import { useApi } from '../use-api.js';
import { UserText } from '../user-text.js';

/** A bucket bound as a short tick label: 250ms, 2.5s. */
function short(value: number): string {
  return value < 1_000 ? `${value}ms` : `${value / 1_000}s`;
}

function Tile(props: { label: string; value: string; id: string; note?: string }) {
  return (
    <div class="tile" data-tile={props.id}>
      <div class="tile-label">{props.label}</div>
      <div class="tile-value">{props.value}</div>
      {props.note && <div class="tile-note">{props.note}</div>}
    </div>
  );
}

/** What the cost tile says under its sum when some calls were not priced (the sum is then a lower bound). */
function unpricedNote(unpriced: number, priced: boolean): string | undefined {
  if (unpriced === 0) return undefined;
  const calls = `${count(unpriced)} call${unpriced === 1 ? '' : 's'} unpriced`;
  return priced ? `a lower bound: ${calls}` : calls;
}

/** The overview page. */
export function Overview(props: { route: Route }) {
  const rangeName = props.route.params.get('range');
  const range = useMemo(() => rangeOf(rangeName), [rangeName]);
  const { data, error } = useApi<DashboardData>('overview', { ...range, buckets: 60 });
  const charts = useMemo(() => {
    if (!data) return undefined;
    const x = data.timeline.map((b) => b.start / 1_000);
    const unpriced = data.timeline.some((b) => b.unpricedCalls > 0);
    return {
      x,
      histogramX: data.latencyHistogram.map((_, i) => i),
      histogramTicks: data.latencyHistogram.map((b) => (b.upperMs === null ? `≥${short(b.lowerMs)}` : `<${short(b.upperMs)}`)),
      histogram: [{ label: 'calls', values: data.latencyHistogram.map((b) => b.count), bars: true }],
      requests: [
        { label: 'requests', values: data.timeline.map((b) => b.requests) },
        { label: 'errors', values: data.timeline.map((b) => b.errors), dash: [6, 4] },
      ],
      cost: [
        { label: 'cost (USD)', values: data.timeline.map((b) => b.costUsd) },
        // Calls of unpriced models, against the right-hand axis: the cost of their buckets is a lower bound.
        ...(unpriced ? [{ label: 'unpriced calls', values: data.timeline.map((b) => b.unpricedCalls), bars: true, right: true }] : []),
      ],
      unpriced,
    };
  }, [data]);
  return (
    <section aria-labelledby="overview-title">
      <div class="toolbar">
        <h2 id="overview-title">Overview</h2>
        <RangeSelect value={rangeName} onChange={(value) => navigate('overview', { range: value })} />
        {data && <span class="muted">from {data.basis === 'spans' ? 'spans' : 'stored window summaries'}</span>}
      </div>
      {error && <p role="alert" class="error">{error}</p>}
      {data && charts && (
        <>
          <div class="tiles">
            <Tile id="requests" label="Requests" value={count(data.summary.requests)} />
            <Tile id="error-rate" label="Error rate" value={percent(data.summary.errorRate)} />
            <Tile id="p50" label="p50 latency" value={ms(data.summary.p50Ms)} />
            <Tile id="p90" label="p90 latency" value={ms(data.summary.p90Ms)} />
            <Tile id="p99" label="p99 latency" value={ms(data.summary.p99Ms)} />
            <Tile id="ttft" label="TTFT p50" value={ms(data.summary.ttftP50Ms)} />
            <Tile id="tokens" label="Tokens in / out" value={`${count(data.summary.inputTokens)} / ${count(data.summary.outputTokens)}`} />
            <Tile id="cost" label="Cost" value={usd(data.summary.costUsd, data.summary.unpricedCalls)} note={unpricedNote(data.summary.unpricedCalls, data.summary.costUsd > 0)} />
            <Tile id="throughput" label="Throughput" value={`${data.summary.requestsPerMinute.toFixed(2)} /min`} />
          </div>
          <div class="charts">
            <Chart title="Latency histogram" x={charts.histogramX} xTicks={charts.histogramTicks} series={charts.histogram} xLabel="latency" yLabel="calls" />
            <Chart title="Requests and errors over time" x={charts.x} time series={charts.requests} xLabel="time" yLabel="calls" />
            <Chart
              title={charts.unpriced ? 'Cost over time (a lower bound where calls were unpriced)' : 'Cost over time'}
              x={charts.x}
              time
              series={charts.cost}
              xLabel="time"
              yLabel="USD"
              rightLabel={charts.unpriced ? 'unpriced calls' : undefined}
            />
          </div>
          <SortableTable<GroupStats>
            caption="Per model"
            rows={data.models}
            rowKey={(r) => r.key}
            onOpen={(r) => navigate('traces', { model: r.key, range: rangeName ?? undefined })}
            columns={[
              { key: 'model', label: 'Model', cell: (r) => <UserText text={r.key} />, sort: (r) => r.key },
              { key: 'calls', label: 'Calls', cell: (r) => count(r.calls), sort: (r) => r.calls, numeric: true },
              { key: 'errors', label: 'Errors', cell: (r) => count(r.failures), sort: (r) => r.failures, numeric: true },
              { key: 'success', label: 'Success', cell: (r) => percent(r.successRate), sort: (r) => r.successRate, numeric: true },
              { key: 'p50', label: 'p50', cell: (r) => ms(r.p50Ms), sort: (r) => r.p50Ms ?? -1, numeric: true },
              { key: 'p90', label: 'p90', cell: (r) => ms(r.p90Ms), sort: (r) => r.p90Ms ?? -1, numeric: true },
              { key: 'p99', label: 'p99', cell: (r) => ms(r.p99Ms), sort: (r) => r.p99Ms ?? -1, numeric: true },
              { key: 'ttft', label: 'TTFT p50', cell: (r) => ms(r.ttftP50Ms), sort: (r) => r.ttftP50Ms ?? -1, numeric: true },
              { key: 'tokens', label: 'Tokens', cell: (r) => count(r.inputTokens + r.outputTokens), sort: (r) => r.inputTokens + r.outputTokens, numeric: true },
              { key: 'cost', label: 'Cost', cell: (r) => usd(r.costUsd, r.unpricedCalls), sort: (r) => r.costUsd, numeric: true },
            ]}
          />
        </>
      )}
    </section>
  );
}
