/**
 * `startDashboard`: serves the dashboard (the built page and its JSON API, node:http only) over a
 * store directory and/or the running program's TraceStore. Binds 127.0.0.1 unless told otherwise;
 * a non-loopback host prints a warning and every request must then carry the random access token
 * printed in the URL. Only GET and HEAD are answered: nothing can change the store.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { reportInternalError } from '../../lib/internal/diagnostics.js';
import { checkStore, type TraceStore } from '../../lib/trace-store.js';
import { answerApi } from './api.js';
import { checkDashboardEntryOptions } from './option-schemas.js';
import { DashboardSource } from './dashboard-source.js';
import { streamLive } from './live.js';
import { hostHeaderIsLoopback, isLoopbackHost, newAccessToken, SECURITY_HEADERS, TOKEN_COOKIE, tokenOf } from './security.js';
import { defaultAssetsDir, loadAssets, type Asset } from './static-assets.js';

/** Port the dashboard listens on when none is given. */
export const DEFAULT_DASHBOARD_PORT = 3014;

/** Host the dashboard binds when none is given: this machine only. */
export const DEFAULT_DASHBOARD_HOST = '127.0.0.1';

/** Store directory shown when none is given. */
export const DEFAULT_DASHBOARD_DIR = './.llmtrace';

/** Options of `startDashboard`. */
export interface DashboardOptions {
  /**
   * The running program's TraceStore, shown live with calls in flight (in-process mode; the
   * server then does not keep the program alive). @default none
   */
  store?: TraceStore;
  /** Store directory to show, or `false` for the in-memory store only. @default './.llmtrace' */
  dir?: string | false;
  /** Port; 0 picks a free one. @default 3014 */
  port?: number;
  /**
   * Address to bind. Anything but loopback (127.0.0.1, ::1, localhost) prints a warning and
   * requires the access token in the URL.
   * @default '127.0.0.1'
   */
  host?: string;
  /** Where the URL and warnings are printed. @default a line to standard error */
  print?: (line: string) => void;
}

/** A running dashboard. */
export interface DashboardHandle {
  /** The URL to open (with `?token=` when one is required). */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /** The address it is bound to. */
  readonly host: string;
  /** The access token, when the bind is not loopback. */
  readonly token: string | undefined;
  /** Stops serving (open live streams are ended). Idempotent. */
  close(): Promise<void>;
}

/**
 * Checks `startDashboard` options without starting anything (startTracing checks its `dashboard`
 * option with it before anything starts).
 * @throws TypeError naming the option, value and type.
 */
export function checkDashboardOptions(options: DashboardOptions): Required<Pick<DashboardOptions, 'port' | 'host'>> {
  checkDashboardEntryOptions('startDashboard', options);
  checkStore(options.store);
  return { port: options.port ?? DEFAULT_DASHBOARD_PORT, host: options.host ?? DEFAULT_DASHBOARD_HOST };
}

interface Context {
  source: DashboardSource;
  assets: Map<string, Asset>;
  token: string | undefined;
  loopback: boolean;
  closed: Promise<void>;
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': 'no-store', ...extra });
  res.end(body);
}

function sendAsset(res: ServerResponse, ctx: Context, name: string, extra: Record<string, string>): void {
  const asset = ctx.assets.get(name);
  if (!asset) {
    send(res, 503, 'text/plain; charset=utf-8', 'llmtrace dashboard: the page is not built: run `npm run build` (the package ships it in dist/dashboard/ui)\n');
    return;
  }
  send(res, 200, asset.type, asset.body, extra);
}

async function handle(req: IncomingMessage, res: ServerResponse, ctx: Context): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(res, 405, 'text/plain; charset=utf-8', 'llmtrace dashboard is read-only: only GET and HEAD\n', { Allow: 'GET, HEAD' });
    return;
  }
  if (ctx.loopback && !hostHeaderIsLoopback(req)) {
    send(res, 421, 'text/plain; charset=utf-8', 'llmtrace dashboard: open it as 127.0.0.1 or localhost\n');
    return;
  }
  const url = new URL(req.url ?? '/', 'http://dashboard.invalid');
  const extra: Record<string, string> = {};
  if (ctx.token !== undefined) {
    const given = tokenOf(req, url, ctx.token);
    if (!given) {
      send(res, 401, 'text/plain; charset=utf-8', 'llmtrace dashboard: open the URL printed at start (it carries ?token=...)\n');
      return;
    }
    if (given === 'url') extra['Set-Cookie'] = `${TOKEN_COOKIE}=${ctx.token}; HttpOnly; SameSite=Strict; Path=/`;
  }
  const path = url.pathname;
  if (path === '/' || path === '/index.html') return sendAsset(res, ctx, 'index.html', extra);
  if (path === '/app.js' || path === '/app.css') return sendAsset(res, ctx, path.slice(1), extra);
  if (path === '/api/live') return streamLive(res, ctx.source, { ...SECURITY_HEADERS, ...extra }, ctx.closed);
  if (path.startsWith('/api/')) {
    const answer = await answerApi(decodeURIComponent(path.slice('/api/'.length)), url.searchParams, ctx.source, Date.now());
    send(res, answer.status, 'application/json; charset=utf-8', JSON.stringify(answer.body), extra);
    return;
  }
  send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/**
 * Starts serving the dashboard and resolves once it listens.
 * @throws TypeError on a bad option; the listen error (EADDRINUSE, ...) when the port cannot be bound.
 * @example
 * const dashboard = await startDashboard({ store: getStore() }); // also shows ./.llmtrace
 * console.log(dashboard.url); // http://127.0.0.1:3014/
 */
export async function startDashboard(options: DashboardOptions = {}): Promise<DashboardHandle> {
  const { port, host } = checkDashboardOptions(options);
  const print = options.print ?? ((line: string) => process.stderr.write(`${line}\n`));
  const loopback = isLoopbackHost(host);
  const token = loopback ? undefined : newAccessToken();
  let closeStreams!: () => void;
  const closed = new Promise<void>((resolve) => (closeStreams = resolve));
  const dir = options.dir === false ? undefined : (options.dir ?? DEFAULT_DASHBOARD_DIR);
  const ctx: Context = { source: new DashboardSource(dir, options.store), assets: await loadAssets(defaultAssetsDir()), token, loopback, closed };
  const server = createServer((req, res) => {
    handle(req, res, ctx).catch((error: unknown) => {
      reportInternalError('dashboard.request', error);
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'llmtrace dashboard: internal error (see the llmtrace log)\n');
      else res.end();
    });
  });
  const address = await listen(server, port, host);
  // In-process, the dashboard lives as long as the program: it never keeps it running on its own.
  if (options.store) server.unref();
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${shownHost}:${address.port}/${token === undefined ? '' : `?token=${token}`}`;
  if (!loopback) {
    print(`llmtrace dashboard: WARNING: listening on ${host}, reachable from other machines; anyone with the URL (it carries the access token) can read every trace`);
  }
  let stopping: Promise<void> | undefined;
  return {
    url,
    port: address.port,
    host,
    token,
    close() {
      stopping ??= new Promise<void>((resolve) => {
        closeStreams();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}
