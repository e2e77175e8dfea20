/**
 * Builds the dashboard page (run by `npm run build` after tsc): bundles dashboard/ui/main.tsx with
 * Preact and uPlot into one minified dist/dashboard/ui/app.js, the styles (ours and uPlot's) into
 * app.css, and copies index.html. Everything the page loads is in these three files: the page
 * makes no request to anywhere but the dashboard server (see docs/dashboard.md#security).
 */
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = process.argv[2] ?? `${root}dist/dashboard/ui`;
await mkdir(outdir, { recursive: true });
await build({
  entryPoints: { app: `${root}dashboard/ui/main.tsx` },
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outdir,
  logLevel: 'warning',
  legalComments: 'none',
});
await build({
  entryPoints: { app: `${root}dashboard/ui/styles.css` },
  bundle: true,
  minify: true,
  outdir,
  logLevel: 'warning',
});
await copyFile(`${root}dashboard/ui/index.html`, `${outdir}/index.html`);
