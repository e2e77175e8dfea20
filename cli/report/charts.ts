/**
 * The report's charts, drawn by Vega-Lite (compiled to Vega, rendered headless to SVG: no DOM, no
 * canvas, no network): latency histogram, model usage, requests and errors over time, latency per
 * model. Each returns a standalone SVG document. Loaded only by `llmtrace report`.
 */
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { histogram, timeBuckets } from '../../lib/query/buckets.js';
import type { CallPoint } from './collect.js';

/** One chart: a file name, a title and the SVG. */
export interface Chart {
  file: string;
  title: string;
  svg: string;
}

async function render(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const BASE = { width: 560, height: 240, background: 'white' } as const;

/** Latency histogram of every call: one bar per bucket. */
export async function latencyHistogram(calls: readonly CallPoint[]): Promise<Chart> {
  const buckets = histogram(calls.map((c) => c.durationMs));
  const svg = await render({
    ...BASE,
    title: 'Latency histogram',
    data: { values: buckets.map((b) => ({ from: b.from, to: b.to, count: b.count })) },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: 'from', type: 'quantitative', bin: { binned: true }, title: 'latency (ms)' },
      x2: { field: 'to' },
      y: { field: 'count', type: 'quantitative', title: 'calls' },
    },
  });
  return { file: 'latency-histogram.svg', title: 'Latency histogram', svg };
}

/** Model calls per model. */
export async function modelUsage(calls: readonly CallPoint[]): Promise<Chart> {
  const counts = new Map<string, number>();
  for (const c of calls) if (c.modelCall) counts.set(c.model, (counts.get(c.model) ?? 0) + 1);
  const svg = await render({
    ...BASE,
    title: 'Model usage',
    data: { values: [...counts].map(([model, n]) => ({ model, calls: n })) },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: { field: 'model', type: 'nominal', sort: '-x', title: 'model' },
      x: { field: 'calls', type: 'quantitative', title: 'calls' },
    },
  });
  return { file: 'model-usage.svg', title: 'Model usage', svg };
}

/** Requests and errors per time bucket. */
export async function requestsOverTime(calls: readonly CallPoint[]): Promise<Chart> {
  const buckets = timeBuckets(calls.map((c) => [c.time, c.failed] as const));
  const values = buckets.flatMap((b) => [
    { time: b.start, series: 'requests', count: b.requests },
    { time: b.start, series: 'errors', count: b.errors },
  ]);
  const svg = await render({
    ...BASE,
    title: 'Requests and errors over time',
    data: { values },
    mark: { type: 'line', point: true, tooltip: true },
    encoding: {
      x: { field: 'time', type: 'temporal', title: 'time (UTC)', scale: { type: 'utc' }, axis: { format: '%H:%M' } },
      y: { field: 'count', type: 'quantitative', title: 'calls per bucket' },
      color: { field: 'series', type: 'nominal', title: null, scale: { domain: ['requests', 'errors'], range: ['#4c78a8', '#e45756'] } },
    },
  });
  return { file: 'requests-over-time.svg', title: 'Requests and errors over time', svg };
}

/** Latency distribution of the model calls per model (box plot: quartiles, whiskers at 1.5 IQR). */
export async function latencyByModel(calls: readonly CallPoint[]): Promise<Chart> {
  const svg = await render({
    ...BASE,
    title: 'Latency per model',
    data: { values: calls.filter((c) => c.modelCall).map((c) => ({ model: c.model, latency: c.durationMs })) },
    mark: { type: 'boxplot', extent: 1.5 },
    encoding: {
      y: { field: 'model', type: 'nominal', title: 'model' },
      x: { field: 'latency', type: 'quantitative', title: 'latency (ms)' },
    },
  });
  return { file: 'latency-by-model.svg', title: 'Latency per model', svg };
}

/** Every chart of a report, in the order shown. */
export async function reportCharts(calls: readonly CallPoint[]): Promise<Chart[]> {
  if (calls.length === 0) return [];
  return [await latencyHistogram(calls), await modelUsage(calls), await requestsOverTime(calls), await latencyByModel(calls)];
}
