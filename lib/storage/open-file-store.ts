/**
 * `openFileStore` as the root entry exports it: loads the JSON file store (lib/storage/file-store.ts,
 * with p-queue) on the first call rather than at `import 'llmtrace'`
 * (benchmarks/import-time.ts). The synchronous `createFileStore` is on `llmtrace/extend`, where
 * importing it loads the store at once.
 */
import type { FileStore, FileStoreOptions } from './file-store.js';

/**
 * Creates a JSON file store and opens it: directory, `meta.json`, stale temp files removed and a
 * retention pass (corrupt files moved aside). Resolves even when the disk fails (the failure is
 * reported once and counted; writes keep retrying), so a broken disk never stops the program.
 * Rejects with a TypeError naming the option when an option is invalid.
 * @example
 * const fileStore = await openFileStore({ ...fileStoreOptionsFromEnv(), retentionMs: 3 * 24 * 3600_000 });
 * new BatchSpanProcessor(fileStore).attach(getStore());
 */
export async function openFileStore(options: FileStoreOptions = {}): Promise<FileStore> {
  const store = await import('./file-store.js');
  return store.openFileStore(options);
}
