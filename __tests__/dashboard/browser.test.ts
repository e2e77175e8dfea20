/**
 * The dashboard in a real browser (Debian chromium driven by playwright-core), served by the
 * `llmtrace dashboard` command of the packed tarball installed in a fresh project, as a child
 * process over a store the FileStore wrote from a seeded run: the overview's numbers equal the query layer's, the charts render with their axes,
 * filters narrow the trace list, a trace opens as its waterfall with every span in order, an XSS
 * payload in a prompt stays inert, a span a running program writes appears live, and no request
 * goes anywhere but the dashboard's own loopback origin. Over a second store of odd names and
 * unpriced calls: costs read as the CLI writes them (`?`, a trailing `+`), long names keep the page
 * as wide as the window, a right-to-left override stays inside its name, time-axis labels never
 * run together, and no page load logs a console error. With LLMTRACE_SCREENSHOTS=1 it also writes
 * the README's screenshots to docs/images/.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { openFileStore, type Span } from '../../index.js';
import { assembleTrace, groupStats, listRuns, openSource, summariseTraces } from '../../lib/query/index.js';
import type { SpanData } from '../../lib/span.js';
import { REPO_ROOT } from '../helpers/build-for-children.js';
import { packAndInstall, removeInstall, type PackedInstall } from '../helpers/packed-install.js';
import { seedStore, XSS_PROMPT } from '../helpers/dashboard-seed.js';
import { makeSpan } from '../helpers/make-spans.js';
import { removeTempDirs, tempDir } from '../helpers/temp-dir.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SCREENSHOTS = process.env.LLMTRACE_SCREENSHOTS === '1';

let install: PackedInstall;
let dir: string;
let written: SpanData[];
let server: ChildProcess;
let origin: string;
let browser: Browser;
let page: Page;
const requested: string[] = [];
const dialogs: string[] = [];

/** Starts `llmtrace dashboard` of the packed install over `store` on a free port; resolves to its URL. */
function startServer(store: string): { child: ChildProcess; url: Promise<string> } {
  const child = spawn(install.bin, ['dashboard', '--dir', store, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
  return { child, url: waitForUrl(child) };
}

function waitForUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`dashboard exited with ${code}: ${out}`)));
  });
}

beforeAll(async () => {
  install = packAndInstall();
  dir = tempDir('llmtrace-browser-');
  written = await seedStore(dir, { traces: 300 });
  const started = startServer(dir);
  server = started.child;
  origin = await started.url;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // Every request the page makes is recorded; one to anywhere but the dashboard is aborted.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    requested.push(url);
    return url.startsWith(origin) ? route.continue() : route.abort();
  });
  page = await context.newPage();
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.kill('SIGINT');
  removeInstall(install);
  removeTempDirs();
});

const MODEL_KINDS = new Set(['llm', 'tool']);

describe('the dashboard in chromium', () => {
  it('shows the overview with the query layer numbers and charts with axes', async () => {
    await page.goto(origin);
    await page.locator('[data-tile="requests"] .tile-value').waitFor();
    const rows = groupStats(written.filter((s) => MODEL_KINDS.has(s.kind)), 'model');
    const calls = rows.reduce((s, r) => s + r.calls, 0);
    const failures = rows.reduce((s, r) => s + r.failures, 0);
    expect(await page.locator('[data-tile="requests"] .tile-value').textContent()).toBe(calls.toLocaleString('en-US'));
    expect(await page.locator('[data-tile="error-rate"] .tile-value').textContent()).toBe(`${((failures / calls) * 100).toFixed(1)}%`);
    const charts = page.locator('.chart');
    expect(await charts.count()).toBe(3);
    for (let i = 0; i < 3; i++) {
      const chart = charts.nth(i);
      const axes = chart.locator('[role="img"]');
      expect(await axes.getAttribute('data-x-axis')).toBeTruthy();
      expect(await axes.getAttribute('data-y-axis')).toBeTruthy();
      const painted = await chart.locator('canvas').evaluate((element) => {
        // Runs in the page; typed structurally (the tests compile without the DOM library).
        const canvas = element as unknown as { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let n = 0;
        for (let p = 3; p < data.length; p += 4) if (data[p]! > 0) n++;
        return { width: canvas.width, height: canvas.height, n };
      });
      expect(painted.width).toBeGreaterThan(100);
      expect(painted.n).toBeGreaterThan(500);
    }
    // Every call priced: the cost chart has its one axis and no lower-bound note.
    const costChart = page.locator('figure.chart', { hasText: 'Cost over time' });
    expect(await costChart.locator('figcaption').textContent()).toBe('Cost over time');
    expect(await costChart.locator('[data-right-axis]').count()).toBe(0);
    // The per-model table holds the query layer's rows.
    const tableModels = await page.locator('table.grid tbody tr td:first-child').allTextContents();
    expect(tableModels).toEqual(rows.map((r) => r.key));
    if (SCREENSHOTS) {
      mkdirSync(join(REPO_ROOT, 'docs', 'images'), { recursive: true });
      await page.screenshot({ path: join(REPO_ROOT, 'docs', 'images', 'dashboard-overview.png'), fullPage: true });
    }
  });

  it('narrows the trace list with filters and pages through it', async () => {
    const all = summariseTraces(written);
    await page.goto(`${origin}#/traces`);
    await page.locator('[data-total]').waitFor();
    expect(await page.locator('[data-total]').getAttribute('data-total')).toBe(String(all.length));
    expect(await page.locator('table.grid tbody tr').count()).toBe(100);
    await page.getByLabel('Status').selectOption('error');
    const failed = all.filter((t) => t.errors > 0).length;
    await page.locator(`[data-total="${failed}"]`).waitFor();
    await page.getByLabel('Model').selectOption('claude-haiku-4-5');
    // As `llmtrace runs --status error --model claude-haiku-4-5`: traces with a failed claude-haiku-4-5 call.
    const both = (await listRuns([await openSource(dir)], { status: 'error', model: 'claude-haiku-4-5' })).total;
    await page.locator(`[data-total="${both}"]`).waitFor();
    expect(await page.locator('table.grid tbody tr').count()).toBe(Math.min(100, both));
    // Sorting by duration by keyboard: focus the header button and press Enter.
    await page.getByRole('button', { name: /Duration/ }).focus();
    await page.keyboard.press('Enter');
    // The list starts sorted by start time (descending): wait for the sort to move to Duration.
    await page.locator('th[aria-sort="descending"]', { hasText: 'Duration' }).waitFor();
    expect(await page.locator('th[aria-sort="descending"]').count()).toBe(1);
    expect(await page.locator('th[aria-sort="descending"]').textContent()).toContain('Duration');
  });

  it('opens a trace as its waterfall with every span in order', async () => {
    await page.goto(`${origin}#/traces`);
    await page.locator('table.grid tbody tr').first().waitFor();
    const first = summariseTraces(written)[0]!;
    await page.locator('table.grid tbody tr').first().click();
    await page.locator('.wf-row').first().waitFor();
    const ids = await page.locator('.wf-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-span-id')));
    const tree = assembleTrace(written.filter((s) => s.traceId === first.traceId));
    expect(ids).toEqual(tree.nodes.map((n) => n.span.id));
    if (SCREENSHOTS) await page.screenshot({ path: join(REPO_ROOT, 'docs', 'images', 'dashboard-waterfall.png'), fullPage: false });
  });

  it('shows a prompt carrying <script> and <img onerror> as inert text', async () => {
    const span = written.find((s) => String(s.attributes['gen_ai.input.messages'] ?? '').includes('<script>'))!;
    await page.goto(`${origin}#/trace/${span.traceId}`);
    await page.locator(`.wf-row[data-span-id="${span.id}"]`).click();
    const content = page.locator('.span-detail pre.content').first();
    await content.waitFor();
    expect(await content.textContent()).toBe(XSS_PROMPT);
    expect(await page.locator('.span-detail img, .span-detail script').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
  });

  it('ranks the models and compares two with a verdict', async () => {
    await page.goto(`${origin}#/models?a=gpt-4o-mini&b=claude-haiku-4-5`);
    await page.locator('.verdict').waitFor();
    const models = await page.locator('table.grid').first().locator('tbody tr td:nth-child(2)').allTextContents();
    expect(models.sort()).toEqual(['claude-haiku-4-5', 'gpt-4o-mini']);
    const calls = written.filter((s) => s.kind === 'llm' && s.attributes['gen_ai.response.model'] === 'gpt-4o-mini').length;
    expect(await page.locator('table.compare tbody tr').first().locator('td').first().textContent()).toBe(calls.toLocaleString('en-US'));
  });

  it('shows a span written by a running program without reloading', async () => {
    await page.goto(`${origin}#/live`);
    await page.locator('[data-connected="true"]').waitFor();
    const program = `
      import { openFileStore, Span } from 'llmtrace';
      const store = await openFileStore({ dir: ${JSON.stringify(dir)}, flushOnExit: false });
      const span = new Span('live_probe', 'llm', undefined, { 'gen_ai.request.model': 'gpt-4o-mini' }, 'ab'.repeat(16), 'cd'.repeat(8), true);
      span.finish();
      await store.export([span]);
      await store.shutdown();
    `;
    const file = join(install.project, `live-writer-${process.pid}.mjs`);
    writeFileSync(file, program);
    execFileSync(process.execPath, [file], { cwd: install.project, env: { ...process.env, NODE_OPTIONS: '' } });
    const row = page.locator(`tbody.finished tr[data-span-id="${'cd'.repeat(8)}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.textContent()).toContain('live_probe');
  });

  it('never makes a request outside the dashboard origin, even when a page script tries', async () => {
    const blocked = await page.evaluate(async () => {
      try {
        await fetch('http://192.0.2.1/steal');
        return false;
      } catch {
        return true;
      }
    });
    expect(blocked).toBe(true);
    expect(requested.length).toBeGreaterThan(5);
    expect(requested.filter((url) => !url.startsWith(origin))).toEqual([]);
    expect(existsSync(join(install.project, 'node_modules', 'llmtrace', 'dist', 'dashboard', 'ui', 'app.js'))).toBe(true);
  });
});

/** Names a traced program may well produce: a 300-character model, a 5,000-character function, a right-to-left override. */
const LONG_MODEL = 'm'.repeat(300);
const LONG_FUNCTION = 'x'.repeat(5_000);
const RTL_NAME = '\u202Eevil-rtl';

/** Records, on each canvas, the labels drawn under the plot (uPlot's x-axis values: centred, hanging from the top). */
const RECORD_AXIS_LABELS = `
  const fillText = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (text, x, y, ...rest) {
    if (this.textAlign === 'center' && this.textBaseline === 'top') {
      (this.canvas.axisLabels ??= []).push({ text: String(text), x, y, width: this.measureText(String(text)).width });
    }
    return fillText.call(this, text, x, y, ...rest);
  };
`;

/** Least room between two neighbouring axis labels, px. */
const MIN_LABEL_GAP_PX = 8;

interface AxisLabel {
  text: string;
  x: number;
  y: number;
  width: number;
}

/** Pairs of labels in one row of one canvas closer than MIN_LABEL_GAP_PX (a label drawn again by a redraw counts once). */
function crowded(canvases: AxisLabel[][]): string[] {
  const out: string[] = [];
  for (const drawn of canvases) {
    const labels = [...new Map(drawn.map((l) => [`${l.text}@${l.x},${l.y}`, l])).values()];
    for (const y of new Set(labels.map((l) => l.y))) {
      const row = labels.filter((l) => l.y === y).sort((a, b) => a.x - b.x);
      for (let i = 1; i < row.length; i++) {
        const [a, b] = [row[i - 1]!, row[i]!];
        if (b.x - a.x < (a.width + b.width) / 2 + MIN_LABEL_GAP_PX) out.push(`${a.text}|${b.text}`);
      }
    }
  }
  return out;
}

describe('the dashboard in chromium, over odd names and unpriced calls', () => {
  let oddServer: ChildProcess;
  let oddOrigin: string;
  let odd: Page;
  let oddTrace: Span;
  let pricedTrace: Span;
  let rtlSpan: Span;
  let longSpan: Span;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    const oddDir = tempDir('llmtrace-browser-odd-');
    oddTrace = makeSpan({ name: 'odd_run', kind: 'run' });
    pricedTrace = makeSpan({ name: 'priced_run', kind: 'run' });
    rtlSpan = makeSpan({ name: RTL_NAME, parent: oddTrace, attributes: { 'gen_ai.request.model': 'rtl-model', 'llmtrace.cost_usd': null } });
    longSpan = makeSpan({ name: LONG_FUNCTION, parent: oddTrace, attributes: { 'gen_ai.request.model': LONG_MODEL, 'llmtrace.cost_usd': null }, error: { type: 'Error', message: 'boom' } });
    const spans = [
      oddTrace,
      longSpan,
      rtlSpan,
      pricedTrace,
      makeSpan({ name: 'priced', parent: pricedTrace, attributes: { 'gen_ai.request.model': 'priced-model', 'llmtrace.cost_usd': 0.0025 } }),
      makeSpan({ name: 'free', parent: pricedTrace, attributes: { 'gen_ai.request.model': 'free-model', 'llmtrace.cost_usd': null } }),
    ];
    const store = await openFileStore({ dir: oddDir, flushOnExit: false });
    await store.export(spans);
    await store.shutdown();
    const started = startServer(oddDir);
    oddServer = started.child;
    oddOrigin = await started.url;
    // No request routing here: with it, chromium does not fetch /favicon.ico, and a 404 there logs a console error.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript({ content: RECORD_AXIS_LABELS });
    odd = await context.newPage();
    odd.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
  }, 30_000);

  afterAll(() => {
    oddServer?.kill('SIGINT');
  });

  it('writes costs as the CLI does: ? when no call was priced, a + when some were not', async () => {
    await odd.goto(oddOrigin);
    const tile = odd.locator('[data-tile="cost"]');
    await tile.waitFor();
    expect(await tile.locator('.tile-value').textContent()).toBe('$0.002500+');
    expect(await tile.locator('.tile-note').textContent()).toBe('a lower bound: 3 calls unpriced');
    // The cost chart says where its figure is a lower bound: the unpriced calls on a second axis.
    const costChart = odd.locator('figure.chart', { hasText: 'Cost over time' });
    expect(await costChart.locator('figcaption').textContent()).toBe('Cost over time (a lower bound where calls were unpriced)');
    expect(await costChart.locator('[data-right-axis="unpriced calls"]').count()).toBe(1);
    expect(await costChart.locator('.u-legend').textContent()).toContain('unpriced calls');
    const modelCost = async (model: string) => odd.locator('table.grid tbody tr', { hasText: model }).locator('td').last().textContent();
    expect(await modelCost('priced-model')).toBe('$0.002500');
    expect(await modelCost('free-model')).toBe('?');
    expect(await modelCost('rtl-model')).toBe('?');
    await odd.goto(`${oddOrigin}#/traces`);
    const traceCost = (root: string) => odd.locator('table.grid tbody tr', { hasText: root }).locator('td').last();
    await traceCost('odd_run').waitFor();
    expect(await traceCost('odd_run').textContent()).toBe('?');
    expect(await traceCost('priced_run').textContent()).toBe('$0.002500+');
  });

  it('keeps every page as wide as the window with a long model and function name, the full name in a title', async () => {
    const pageWidth = (): Promise<number> => odd.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
    for (const view of ['#/overview', '#/traces', `#/traces?model=${LONG_MODEL}`, '#/models', `#/trace/${oddTrace.traceId}`]) {
      await odd.goto(`${oddOrigin}${view}`);
      await odd.locator('table.grid tbody tr, .wf-row').first().waitFor();
      expect({ view, width: await pageWidth() }).toEqual({ view, width: 1280 });
    }
    // The long span's own detail: its name as the heading, and as the llmtrace.function attribute.
    await odd.locator(`.wf-row[data-span-id="${longSpan.id}"]`).click();
    await odd.locator('.span-detail h3', { hasText: 'xxxx' }).waitFor();
    expect(await pageWidth()).toBe(1280);
    await odd.goto(`${oddOrigin}#/traces`);
    // Each option of the capped select carries its whole name (Preact sets `value` as a property, so match on the title).
    const option = odd.locator(`select[name="function"] option[title="${LONG_FUNCTION}"]`);
    await option.waitFor({ state: 'attached' });
    expect(await option.evaluate((o) => (o as unknown as { value: string }).value)).toBe(LONG_FUNCTION);
    const models = odd.locator('table.grid tbody tr', { hasText: 'odd_run' }).locator(`[title="${LONG_MODEL}, rtl-model"]`);
    expect(await models.textContent()).toBe(`${LONG_MODEL}, rtl-model`);
  });

  it('keeps a right-to-left override inside its span name in the waterfall', async () => {
    await odd.goto(`${oddOrigin}#/trace/${oddTrace.traceId}`);
    const row = odd.locator(`.wf-row[data-span-id="${rtlSpan.id}"]`);
    await row.waitFor();
    const boxes = await row.locator('.wf-name').evaluate((element) => {
      // Runs in the page; typed structurally (the tests compile without the DOM library).
      interface Box { left: number; right: number }
      interface Node { nodeType: number; textContent: string | null; childNodes: ArrayLike<Node> }
      const cell = element as unknown as Node & { querySelector(selector: string): { getBoundingClientRect(): Box } };
      const find = (node: Node): Node | undefined => {
        if (node.nodeType === 3 && node.textContent?.includes('evil-rtl')) return node;
        for (const child of Array.from(node.childNodes)) {
          const found = find(child);
          if (found) return found;
        }
        return undefined;
      };
      const range = (globalThis as unknown as { document: { createRange(): { selectNodeContents(node: Node): void; getBoundingClientRect(): Box } } }).document.createRange();
      range.selectNodeContents(find(cell)!);
      const name = range.getBoundingClientRect();
      const kind = cell.querySelector('.muted').getBoundingClientRect();
      return { name: { left: name.left, right: name.right }, kind: { left: kind.left, right: kind.right } };
    });
    // The kind label follows the name on the right, as in every other row (the override reversed the whole cell).
    expect(boxes.kind.left).toBeGreaterThanOrEqual(boxes.name.right - 1);
  });

  it('thins the time-axis ticks so their labels never run together, at any chart width', async () => {
    await odd.goto(oddOrigin);
    const timeCanvases = '.chart [data-x-axis="time"] canvas';
    const labels = (): Promise<AxisLabel[][]> =>
      odd.locator(timeCanvases).evaluateAll((canvases) => canvases.map((c) => (c as unknown as { axisLabels?: AxisLabel[] }).axisLabels ?? []));
    await odd.locator(timeCanvases).first().waitFor();
    for (let width = 960; width <= 1400; width += 20) {
      await odd.locator(timeCanvases).evaluateAll((canvases) => canvases.forEach((c) => ((c as unknown as { axisLabels?: unknown[] }).axisLabels = [])));
      await odd.setViewportSize({ width, height: 900 });
      await odd.waitForFunction((selector) => {
        const canvases = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ axisLabels?: unknown[] }> } }).document.querySelectorAll(selector);
        return Array.from(canvases).every((c) => (c.axisLabels?.length ?? 0) > 1);
      }, timeCanvases);
      const drawn = await labels();
      expect(drawn).toHaveLength(2);
      expect({ width, crowded: crowded(drawn) }).toEqual({ width, crowded: [] });
    }
    await odd.setViewportSize({ width: 1280, height: 900 });
  });

  it('loads its pages without a console error: no favicon request that could fail', async () => {
    for (const view of ['#/overview', '#/traces', '#/models', '#/live']) {
      await odd.goto(`${oddOrigin}${view}`);
      await odd.locator('h2').waitFor();
    }
    await odd.waitForTimeout(300);
    expect(consoleErrors).toEqual([]);
  });
});
