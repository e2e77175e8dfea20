/**
 * The dashboard's JSON API, in-process, over a store the real FileStore wrote from a seeded run:
 * its answers equal the query layer's, filters and paging narrow the trace list, a trace comes
 * back as its tree, nothing but GET/HEAD is answered, every answer carries the CSP, a loopback
 * dashboard refuses a foreign Host, a non-loopback one requires the token, and live spans of the
 * running program (starts and ends) arrive over SSE.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request } from 'node:http';
import { startDashboard, type DashboardHandle } from '../../dashboard/server/index.js';
import { TraceStore, traced } from '../../index.js';
import { groupStats, listRuns, openSource, spanMatcher, summariseTraces, type SpanFilter } from '../../lib/query/index.js';
import type { SpanData } from '../../lib/span.js';
import { SEED_MODELS, seedStore } from '../helpers/dashboard-seed.js';
import { removeTempDirs, tempDir } from '../helpers/temp-dir.js';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const NOW = Date.now();
let dir: string;
let written: SpanData[];
let dashboard: DashboardHandle;

beforeAll(async () => {
  dir = tempDir('llmtrace-dashboard-');
  written = await seedStore(dir, { traces: 300, now: NOW });
  dashboard = await startDashboard({ dir, port: 0, print: () => undefined });
});

afterAll(async () => {
  await dashboard.close();
  removeTempDirs();
});

async function get(path: string, base = dashboard.url): Promise<{ status: number; headers: Headers; body: any }> {
  const res = await fetch(new URL(path, base));
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, headers: res.headers, body };
}

function snapshot(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      const stats = statSync(path);
      if (stats.isDirectory()) walk(path);
      else out.push(`${path}:${stats.size}:${stats.mtimeMs}`);
    }
  };
  walk(root);
  return out.sort();
}

describe('overview', () => {
  it('equals the query layer over the same range', async () => {
    const from = NOW - 30 * 60_000;
    const to = NOW + 1;
    const { status, body } = await get(`/api/overview?from=${from}&to=${to}`);
    expect(status).toBe(200);
    expect(body.basis).toBe('spans');
    const source = await openSource(dir);
    const spans: SpanData[] = [];
    for await (const span of source.spans({ from, to })) spans.push(span);
    const byModel = groupStats(spans, 'model');
    expect(body.models).toEqual(byModel);
    const calls = byModel.reduce((s, r) => s + r.calls, 0);
    const failures = byModel.reduce((s, r) => s + r.failures, 0);
    expect(body.summary.requests).toBe(calls);
    expect(body.summary.errors).toBe(failures);
    expect(body.summary.errorRate).toBeCloseTo(failures / calls, 12);
    expect(body.summary.costUsd).toBeCloseTo(byModel.reduce((s, r) => s + r.costUsd, 0), 12);
    expect(body.latencyHistogram.reduce((s: number, b: { count: number }) => s + b.count, 0)).toBe(calls);
    expect(body.timeline.reduce((s: number, b: { requests: number }) => s + b.requests, 0)).toBe(calls);
    expect(body.summary.requestsPerMinute).toBeCloseTo(calls / ((to - from) / 60_000), 9);
  });

  it('refuses a bad parameter with a 400 naming it', async () => {
    const { status, body } = await get('/api/overview?from=yesterday');
    expect(status).toBe(400);
    expect(body.error).toMatch(/^from must be a number/);
  });
});

describe('traces', () => {
  it('lists every trace, newest first, in pages', async () => {
    const expected = summariseTraces(written);
    const first = await get('/api/traces?limit=100');
    expect(first.body.total).toBe(300);
    expect(first.body.rows.map((r: { traceId: string }) => r.traceId)).toEqual(expected.slice(0, 100).map((t) => t.traceId));
    const third = await get('/api/traces?limit=100&offset=200');
    expect(third.body.rows.map((r: { traceId: string }) => r.traceId)).toEqual(expected.slice(200).map((t) => t.traceId));
  });

  it('narrows by status, model, minimum duration and text, and sorts', async () => {
    const all = summariseTraces(written);
    const errors = await get('/api/traces?status=error&limit=1000');
    expect(errors.body.total).toBe(all.filter((t) => t.errors > 0).length);
    expect(errors.body.total).toBeGreaterThan(0);
    const model = await get('/api/traces?model=claude-haiku-4-5&limit=1000');
    expect(model.body.total).toBe(all.filter((t) => t.models.includes('claude-haiku-4-5')).length);
    const slow = await get('/api/traces?minMs=3000&sort=duration&order=desc&limit=1000');
    const slowExpected = all.filter((t) => t.durationMs >= 3000).sort((a, b) => b.durationMs - a.durationMs);
    expect(slow.body.rows.map((r: { durationMs: number }) => r.durationMs)).toEqual(slowExpected.map((t) => t.durationMs));
    const text = await get('/api/traces?q=RATE%20LIMITED%20(turn%2017)');
    const withMessage = new Set(written.filter((s) => s.error?.message === '429 rate limited (turn 17)').map((s) => s.traceId));
    expect(text.body.rows.map((r: { traceId: string }) => r.traceId)).toEqual([...withMessage]);
  });

  it('narrows by status, model and function as `llmtrace runs` does: traces with one span matching them all', async () => {
    const source = await openSource(dir);
    const all = summariseTraces(written);
    const filters: SpanFilter[] = [
      ...SEED_MODELS.flatMap((model) => [{ status: 'error' as const, model }, { status: 'success' as const, model }]),
      { status: 'error', function: 'summarise' },
      { model: 'gpt-4o-mini', function: 'lookup' },
    ];
    for (const filter of filters) {
      const query = new URLSearchParams({ ...(filter as Record<string, string>), limit: '1000' });
      const { body } = await get(`/api/traces?${query}`);
      const runs = await listRuns([source], filter);
      expect({ filter, total: body.total, rows: body.rows }).toEqual({ filter, total: runs.total, rows: runs.runs });
    }
    // Not "any failure and any call of the model": a trace whose failed call was another model's is left out.
    const failedClaude = (await listRuns([source], { status: 'error', model: 'claude-haiku-4-5' })).total;
    expect(all.filter((t) => t.errors > 0 && t.models.includes('claude-haiku-4-5')).length).toBeGreaterThan(failedClaude);
    // A tool span names no model: no trace has a `lookup` span that called gpt-4o-mini.
    expect((await get('/api/traces?model=gpt-4o-mini&function=lookup')).body.total).toBe(0);
  });

  it('returns one trace as its tree, every span in waterfall order', async () => {
    const traceId = written[0]!.traceId;
    const { status, body } = await get(`/api/traces/${traceId}`);
    expect(status).toBe(200);
    const mine = written.filter((s) => s.traceId === traceId);
    expect(body.spans).toHaveLength(mine.length);
    expect(body.spans[0].depth).toBe(0);
    expect(body.spans[0].span.kind).toBe('run');
    const children = body.spans.slice(1).map((n: { span: SpanData }) => n.span.startTime);
    expect(children).toEqual([...children].sort((a, b) => a - b));
    expect((await get('/api/traces/ffffffffffffffffffffffffffffffff')).status).toBe(404);
    expect((await get('/api/traces/not-hex')).status).toBe(400);
  });
});

describe('models', () => {
  it('ranks the models and compares two with the query layer figures', async () => {
    const range = `from=${NOW - 30 * 60_000}&to=${NOW + 1}`;
    const board = await get(`/api/models?${range}&by=latency`);
    expect(board.body.rows.map((r: { model: string }) => r.model).sort()).toEqual(['claude-haiku-4-5', 'gpt-4o-mini']);
    const compare = await get(`/api/compare?a=gpt-4o-mini&b=claude-haiku-4-5&${range}`);
    const keep = spanMatcher({ model: 'gpt-4o-mini', kind: 'llm' });
    expect(compare.body.comparison.a.calls).toBe(written.filter(keep).length);
    expect(typeof compare.body.comparison.verdict).toBe('string');
    expect((await get(`/api/compare?a=x&b=x`)).status).toBe(400);
  });
});

describe('safety', () => {
  it('answers nothing but GET and HEAD, and never changes the store', async () => {
    const before = snapshot(dir);
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const res = await fetch(new URL('/api/traces', dashboard.url), { method });
      expect(res.status).toBe(405);
    }
    await get('/api/overview');
    await get('/api/traces?limit=5');
    expect(snapshot(dir)).toEqual(before);
  });

  it('sends a content security policy that allows only this origin', async () => {
    for (const path of ['/', '/api/overview', '/api/nothing']) {
      const { headers } = await get(path);
      const csp = headers.get('content-security-policy')!;
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*|https?:/);
      expect(headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('refuses a request naming another host (DNS rebinding)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(dashboard.url);
      request({ host: '127.0.0.1', port: url.port, path: '/api/overview', headers: { Host: 'attacker.example:80' } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(421);
  });

  it('requires the printed token on a non-loopback bind, and warns', async () => {
    const lines: string[] = [];
    const open = await startDashboard({ dir, port: 0, host: '0.0.0.0', print: (line) => lines.push(line) });
    try {
      expect(lines.join('\n')).toMatch(/WARNING/);
      expect(open.token).toMatch(/^[0-9a-f]{32}$/);
      const base = `http://127.0.0.1:${open.port}/`;
      expect((await get('/api/overview', base)).status).toBe(401);
      expect((await get(`/api/overview?token=${'0'.repeat(32)}`, base)).status).toBe(401);
      const withToken = await fetch(new URL(`/api/overview?token=${open.token}`, base));
      expect(withToken.status).toBe(200);
      const cookie = withToken.headers.get('set-cookie')!.split(';')[0]!;
      expect(cookie).toBe(`llmtrace_token=${open.token}`);
      expect((await fetch(new URL('/api/traces', base), { headers: { cookie } })).status).toBe(200);
    } finally {
      await open.close();
    }
  });

  it('rejects unknown options and bad values when it starts', async () => {
    await expect(startDashboard({ prot: 1 } as never)).rejects.toThrow('unknown option "prot", did you mean "port"?');
    await expect(startDashboard({ port: -1 })).rejects.toThrow('llmtrace: startDashboard: port must be an integer from 0 to 65535, got -1 (number)');
  });
});

describe('live', () => {
  it('streams a running call when it starts and again when it ends', async () => {
    const store = new TraceStore();
    const live = await startDashboard({ store, dir: false, port: 0, print: () => undefined });
    const controller = new AbortController();
    try {
      const res = await fetch(new URL('/api/live', live.url), { signal: controller.signal });
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      const messages: { type: string; span: SpanData }[] = [];
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const call = traced(async () => {
        await gate;
        return 'done';
      }, { name: 'slow_call', kind: 'chain', store });
      let buffer = '';
      const next = async (): Promise<void> => {
        while (!buffer.includes('\n\n')) buffer += decoder.decode((await reader.read()).value, { stream: true });
        const [chunk, ...rest] = buffer.split('\n\n');
        buffer = rest.join('\n\n');
        if (chunk!.startsWith('data: ')) messages.push(JSON.parse(chunk!.slice(6)));
      };
      await next(); // the opening comment
      const pending = call();
      while (messages.length < 1) await next();
      expect(messages[0]!.type).toBe('start');
      expect(messages[0]!.span.name).toBe('slow_call');
      expect(messages[0]!.span.status).toBe('running');
      release();
      await pending;
      while (messages.length < 2) await next();
      expect(messages[1]!.type).toBe('end');
      expect(messages[1]!.span.id).toBe(messages[0]!.span.id);
      expect(messages[1]!.span.status).toBe('success');
    } finally {
      controller.abort();
      await live.close();
    }
  });
});
