/**
 * Traces: filters (time range, model, function, status, minimum duration, text in names and error
 * messages), sortable columns, pages of 100 served by /api/traces (so 100,000 traces cost one page
 * of rows in the browser). The filters live in the URL hash.
 */
import { useMemo } from 'preact/hooks';
import { count, ms, time, usd } from '../format.js';
import { NameSelect } from '../name-select.js';
import { rangeOf, RangeSelect } from '../range.js';
import { navigate, type Route } from '../router.js';
import { SortableTable } from '../sortable-table.js';
import type { TracePage, TraceSummary } from '../../../lib/query/wire-types.js';
import { useApi } from '../use-api.js';
import { UserText } from '../user-text.js';

/** Rows per page. */
export const PAGE_SIZE = 100;

const FILTERS = ['range', 'model', 'function', 'status', 'minMs', 'q', 'sort', 'order', 'page'] as const;

/** The traces page. */
export function Traces(props: { route: Route }) {
  const p = props.route.params;
  const current = Object.fromEntries(FILTERS.map((k) => [k, p.get(k) ?? undefined])) as Record<(typeof FILTERS)[number], string | undefined>;
  const page = Math.max(0, Number(current.page ?? 0) || 0);
  const range = useMemo(() => rangeOf(current.range ?? '24h'), [current.range]);
  const facets = useApi<{ traces: number; models: string[]; functions: string[] }>('facets');
  const { data, error } = useApi<TracePage>('traces', {
    ...range,
    model: current.model,
    function: current.function,
    status: current.status,
    minMs: current.minMs,
    q: current.q,
    sort: current.sort,
    order: current.order,
    offset: page * PAGE_SIZE,
    limit: PAGE_SIZE,
  });
  const set = (changes: Partial<Record<(typeof FILTERS)[number], string | undefined>>): void => navigate('traces', { ...current, page: undefined, ...changes });
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  return (
    <section aria-labelledby="traces-title">
      <div class="toolbar">
        <h2 id="traces-title">Traces</h2>
      </div>
      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget as HTMLFormElement);
          set({ minMs: String(form.get('minMs') ?? ''), q: String(form.get('q') ?? '') });
        }}
      >
        <RangeSelect value={current.range ?? '24h'} onChange={(value) => set({ range: value })} />
        <NameSelect label="Model" name="model" value={current.model ?? ''} names={facets.data?.models ?? []} none="any" onChange={(value) => set({ model: value })} />
        <NameSelect label="Function" name="function" value={current.function ?? ''} names={facets.data?.functions ?? []} none="any" onChange={(value) => set({ function: value })} />
        <label>
          Status{' '}
          <select name="status" value={current.status ?? ''} onChange={(e) => set({ status: (e.currentTarget as HTMLSelectElement).value })}>
            <option value="">any</option>
            <option value="success">success</option>
            <option value="error">error</option>
          </select>
        </label>
        <label>
          Min ms <input name="minMs" type="number" min="0" value={current.minMs ?? ''} size={6} />
        </label>
        <label>
          Text <input name="q" type="search" value={current.q ?? ''} placeholder="name or error message" />
        </label>
        <button type="submit">Apply</button>
      </form>
      {error && <p role="alert" class="error">{error}</p>}
      {data && (
        <>
          <p class="muted" aria-live="polite" data-total={data.total}>
            {count(data.total)} traces{data.total > PAGE_SIZE ? `, page ${page + 1} of ${pages}` : ''}
          </p>
          <SortableTable<TraceSummary>
            caption="Traces, newest first unless sorted"
            rows={data.rows}
            rowKey={(r) => r.traceId}
            onOpen={(r) => navigate(`trace/${r.traceId}`)}
            sortKey={current.sort ?? 'start'}
            sortOrder={current.order === 'asc' ? 'asc' : 'desc'}
            onSort={(key, order) => set({ sort: key, order })}
            columns={[
              { key: 'start', label: 'Start', cell: (r) => time(r.start), sort: (r) => r.start },
              { key: 'name', label: 'Root', cell: (r) => <UserText text={r.rootName} />, sort: (r) => r.rootName },
              { key: 'trace', label: 'Trace', cell: (r) => <code>{r.traceId.slice(0, 12)}</code> },
              { key: 'duration', label: 'Duration', cell: (r) => ms(r.durationMs), sort: (r) => r.durationMs, numeric: true },
              { key: 'spans', label: 'Spans', cell: (r) => count(r.spanCount), sort: (r) => r.spanCount, numeric: true },
              { key: 'errors', label: 'Errors', cell: (r) => (r.errors ? <span class="bad">{count(r.errors)}</span> : '0'), sort: (r) => r.errors, numeric: true },
              { key: 'models', label: 'Models', cell: (r) => <UserText text={r.models.join(', ')} /> },
              { key: 'tokens', label: 'Tokens', cell: (r) => count(r.inputTokens + r.outputTokens), sort: (r) => r.inputTokens + r.outputTokens, numeric: true },
              { key: 'cost', label: 'Cost', cell: (r) => usd(r.costUsd, r.unpricedCalls), sort: (r) => r.costUsd, numeric: true },
            ]}
          />
          <nav class="pager" aria-label="Pages">
            <button type="button" disabled={page === 0} onClick={() => navigate('traces', { ...current, page: page - 1 })}>
              Previous
            </button>
            <span>
              {page + 1} / {pages}
            </span>
            <button type="button" disabled={page + 1 >= pages} onClick={() => navigate('traces', { ...current, page: page + 1 })}>
              Next
            </button>
          </nav>
        </>
      )}
    </section>
  );
}
