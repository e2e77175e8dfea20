/**
 * The page's files, built by `npm run build` into dist/dashboard/ui/ next to this module's
 * dist/dashboard/server/: a fixed list, read once, served from memory. Nothing else on disk is
 * reachable through the dashboard.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The built page files and their content types. */
export const ASSET_TYPES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

/** One file in memory. */
export interface Asset {
  type: string;
  body: Buffer;
}

/** Where the built page is. */
export function defaultAssetsDir(): string {
  return fileURLToPath(new URL('../ui/', import.meta.url));
}

/** Reads the page files from `dir`; missing ones are left out (the server then answers 503 with the fix). */
export async function loadAssets(dir: string): Promise<Map<string, Asset>> {
  const assets = new Map<string, Asset>();
  for (const [name, type] of Object.entries(ASSET_TYPES)) {
    const body = await readFile(join(dir, name)).catch(() => undefined);
    if (body) assets.set(name, { type, body });
  }
  return assets;
}
