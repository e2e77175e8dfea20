/**
 * `llmtrace dashboard`: serves the local dashboard over the store on http://127.0.0.1:3014 and
 * prints the URL (with --json `{ "url", "dir" }`, dir absolute, for a script that opens it); runs
 * until Ctrl-C. A missing store or a file is refused before anything listens, as `runs` and the
 * other reading commands refuse it; an empty store is served (the dashboard is live: the spans of a
 * program started next show up as they are written), with a note on stderr. Thin over
 * dashboard/server startDashboard.
 */
import { DEFAULT_DASHBOARD_HOST, DEFAULT_DASHBOARD_PORT, startDashboard } from '../../dashboard/server/index.js';
import { booleanFlag, numberFlag, stringFlag } from '../args.js';
import type { Command } from '../command.js';
import { printJson } from '../output.js';
import { openStoreDirFromArgs, shownPath, storeDirFromArgs } from '../query-flags.js';
import { UsageError } from '../usage-error.js';

/** `llmtrace dashboard`. */
export const dashboardCommand: Command = {
  name: 'dashboard',
  summary: 'serve the local dashboard in the browser (overview, traces, waterfall, models, live)',
  usage: 'dashboard [--port <n>] [--host <address>]',
  examples: ['llmtrace dashboard', 'llmtrace dashboard --dir /var/lib/app/.llmtrace --port 8080'],
  arguments: [],
  flags: {
    port: { type: 'string', value: '<n>', description: `port to listen on, 0 for any free one (default ${DEFAULT_DASHBOARD_PORT})` },
    host: { type: 'string', value: '<address>', description: `address to bind (default ${DEFAULT_DASHBOARD_HOST}); any other needs the printed token` },
  },
  async run(args, io) {
    const port = numberFlag(args, 'port', 'dashboard') ?? DEFAULT_DASHBOARD_PORT;
    if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`llmtrace dashboard: --port must be an integer from 0 to 65535, got ${port}`);
    const host = stringFlag(args, 'host') ?? DEFAULT_DASHBOARD_HOST;
    const store = await openStoreDirFromArgs(args, io);
    const inventory = await store.inventory();
    if (inventory.spanSegments + inventory.summarySegments === 0) {
      io.err(`llmtrace dashboard: no spans in ${shownPath(storeDirFromArgs(args, io), io)} yet: they show up as the program writes them\n`);
    }
    const dashboard = await startDashboard({ dir: store.path, port, host, print: (line) => io.err(`${line}\n`) });
    if (booleanFlag(args, 'json')) printJson(io, { url: dashboard.url, dir: store.path });
    else io.out(`llmtrace dashboard: ${shownPath(storeDirFromArgs(args, io), io)} on ${dashboard.url} (Ctrl-C to stop)\n`);
    await io.stopped;
    await dashboard.close();
    return 0;
  },
};
