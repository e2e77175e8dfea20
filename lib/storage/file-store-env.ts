/**
 * The file store's options from the environment: the only place the store reads it, kept apart from
 * the store itself so the root entry can export it without loading the store.
 */
import type { FileStoreOptions } from './file-store.js';
import { STORE_DIR_ENV } from './layout.js';

/**
 * File-store options from the environment: `dir` from `LLMTRACE_DIR` when set. The only place the
 * store reads the environment; merge with your own options (`{ ...fileStoreOptionsFromEnv(), ... }`).
 */
export function fileStoreOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): FileStoreOptions {
  const dir = env[STORE_DIR_ENV];
  return dir ? { dir } : {};
}
