/**
 * The dashboard's JSON API (documented in docs/dashboard.md): each route reads the query string,
 * asks lib/query (and lib/evaluations) for the answer and returns it as JSON. Read-only: no route
 * changes the store. A bad parameter is a 400 with one line naming it.
 */
import { headToHead, leaderboard, spanContent, LEADERBOARD_METRICS, type LeaderboardMetric } from '../../lib/evaluations/index.js';
import { withCountedModels } from '../../lib/evaluations/head-to-head.js';
import { ModelAliases } from '../../lib/model-aliases.js';
import { compareModels, assembleTrace } from '../../lib/query/index.js';
import type { SpanData } from '../../lib/span.js';
import { generateDashboardData } from '../../lib/query/dashboard-data.js';
import { TRACE_SORT_KEYS, type TraceQuery, type TraceSortKey } from '../../lib/query/trace-listing.js';
import type { DashboardSource } from './dashboard-source.js';

/** Ranges at most this long are counted from spans (exact); longer ones from stored window summaries. */
export const SPAN_BASIS_MAX_MS = 60 * 60_000;

/** Default time range of the overview and the models page, ms back from now. */
export const DEFAULT_RANGE_MS = 60 * 60_000;

/** A 400 answer: a parameter was wrong. */
export class BadRequest extends Error {}

/** What a route returns: a status and a JSON body. */
export interface ApiAnswer {
  status: number;
  body: unknown;
}

type Route = (params: URLSearchParams, source: DashboardSource, now: number, rest: string) => Promise<ApiAnswer>;

function numberParam(params: URLSearchParams, name: string): number | undefined {
  const text = params.get(name);
  if (text === null || text === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new BadRequest(`${name} must be a number, got ${JSON.stringify(text)}`);
  return value;
}

function stringParam(params: URLSearchParams, name: string): string | undefined {
  const text = params.get(name);
  return text === null || text === '' ? undefined : text;
}

function oneOfParam<T extends string>(params: URLSearchParams, name: string, allowed: readonly T[]): T | undefined {
  const text = stringParam(params, name);
  if (text !== undefined && !allowed.includes(text as T)) throw new BadRequest(`${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(text)}`);
  return text as T | undefined;
}

function rangeParams(params: URLSearchParams, now: number): { from: number; to: number } {
  const to = numberParam(params, 'to') ?? now;
  const from = numberParam(params, 'from') ?? to - DEFAULT_RANGE_MS;
  if (from >= to) throw new BadRequest(`from must be before to, got ${from} and ${to}`);
  return { from, to };
}

async function collect(source: DashboardSource, range: { from: number; to: number }): Promise<SpanData[]> {
  const out: SpanData[] = [];
  for await (const span of source.spans(range)) out.push(span);
  return out;
}

const overview: Route = async (params, source, now) => {
  const range = rangeParams(params, now);
  const basis = oneOfParam(params, 'basis', ['spans', 'summaries'] as const);
  const buckets = numberParam(params, 'buckets') ?? 60;
  if (!Number.isInteger(buckets) || buckets < 1 || buckets > 1_000) throw new BadRequest(`buckets must be an integer from 1 to 1000, got ${buckets}`);
  let summaries = basis === 'spans' || (basis === undefined && range.to - range.from <= SPAN_BASIS_MAX_MS) ? undefined : await source.summaries(range);
  if (basis === undefined && summaries?.length === 0) summaries = undefined;
  const data = summaries
    ? generateDashboardData({ summaries, ...range, buckets })
    : generateDashboardData({ spans: await collect(source, range), ...range, buckets });
  return { status: 200, body: data };
};

function traceQuery(params: URLSearchParams): TraceQuery {
  return {
    from: numberParam(params, 'from'),
    to: numberParam(params, 'to'),
    model: stringParam(params, 'model'),
    function: stringParam(params, 'function'),
    status: oneOfParam(params, 'status', ['success', 'error'] as const),
    minDurationMs: numberParam(params, 'minMs'),
    text: stringParam(params, 'q'),
    sort: oneOfParam<TraceSortKey>(params, 'sort', TRACE_SORT_KEYS),
    order: oneOfParam(params, 'order', ['asc', 'desc'] as const),
    offset: numberParam(params, 'offset'),
    limit: numberParam(params, 'limit'),
  };
}

const traces: Route = async (params, source) => {
  const listing = await source.listing();
  return { status: 200, body: listing.query(traceQuery(params)) };
};

const facets: Route = async (_params, source) => {
  const listing = await source.listing();
  const { models, functions } = listing.facets();
  return { status: 200, body: { traces: listing.size, models, functions } };
};

const traceDetail: Route = async (_params, source, _now, id) => {
  if (!/^[0-9a-f]{1,64}$/.test(id)) throw new BadRequest(`trace id must be lowercase hex, got ${JSON.stringify(id)}`);
  const spans = await source.traceSpans(id);
  if (spans.length === 0) return { status: 404, body: { error: `no trace ${id}` } };
  const tree = assembleTrace(spans);
  const evaluations = await source.evaluations({ traceId: id }, 200);
  return {
    status: 200,
    body: {
      traceId: tree.traceId,
      start: tree.start,
      end: tree.end,
      spans: tree.nodes.map((node) => ({ depth: node.depth, span: node.span, content: spanContent(node.span) })),
      evaluations,
    },
  };
};

const models: Route = async (params, source, now) => {
  const range = rangeParams(params, now);
  const by = oneOfParam<LeaderboardMetric>(params, 'by', LEADERBOARD_METRICS);
  const evaluations = await source.evaluations(range);
  const rows = leaderboard(await collect(source, range), evaluations, by === undefined ? {} : { by });
  return { status: 200, body: { ...range, rows } };
};

const compare: Route = async (params, source, now) => {
  const a = stringParam(params, 'a');
  const b = stringParam(params, 'b');
  if (a === undefined || b === undefined || a === b) throw new BadRequest('give two different models as a and b');
  const range = rangeParams(params, now);
  const spans = await collect(source, range);
  const aliases = new ModelAliases();
  for (const span of spans) aliases.learn(span.attributes);
  const h = headToHead(withCountedModels(await source.evaluations(range), (model) => aliases.countedName(model)), a, b);
  const comparison = compareModels(spans, a, b, h.aWins + h.bWins > 0 ? h : undefined);
  return { status: 200, body: { ...range, comparison, headToHead: h } };
};

const evaluations: Route = async (params, source) => {
  const limit = numberParam(params, 'limit') ?? 200;
  const filter = {
    ...(stringParam(params, 'trace') ? { traceId: stringParam(params, 'trace') } : {}),
    ...(stringParam(params, 'model') ? { model: stringParam(params, 'model') } : {}),
    ...(numberParam(params, 'from') !== undefined ? { from: numberParam(params, 'from') } : {}),
    ...(numberParam(params, 'to') !== undefined ? { to: numberParam(params, 'to') } : {}),
  };
  return { status: 200, body: { evaluations: await source.evaluations(filter, Math.max(1, Math.min(limit, 5_000))) } };
};

const ROUTES: Readonly<Record<string, Route>> = {
  overview,
  traces,
  facets,
  models,
  compare,
  evaluations,
};

/**
 * Answers `GET /api/<path>?<query>`. Unknown paths are 404; bad parameters 400.
 * @param path the part after `/api/` (`traces`, `traces/<id>`, ...).
 */
export async function answerApi(path: string, params: URLSearchParams, source: DashboardSource, now: number): Promise<ApiAnswer> {
  try {
    if (path.startsWith('traces/')) return await traceDetail(params, source, now, path.slice('traces/'.length));
    const route = Object.hasOwn(ROUTES, path) ? ROUTES[path] : undefined;
    if (!route) return { status: 404, body: { error: `no API route ${path}` } };
    return await route(params, source, now, '');
  } catch (error) {
    if (error instanceof BadRequest || error instanceof TypeError) return { status: 400, body: { error: error.message } };
    throw error;
  }
}
