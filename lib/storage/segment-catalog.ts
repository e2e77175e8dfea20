/**
 * The segment catalog: `<dir>/catalog.json`, a cache of the size and modification time of every
 * segment file the store has already looked at, so that `open()` and the retention pass cost what
 * changed since the last pass, not what the store holds (benchmarks/store-open.ts). A segment is
 * entered once its tail has been checked (whole, or a line-layout segment with its last line cut
 * short) and it has been stat'ed; its content is not read again (but for its last bytes when it
 * changed, to see whether its writer sealed it), and once it is final (sealed, or `isFinal`) neither
 * is its stat. The catalog is only a cache: two processes may replace it one after the other and
 * lose each other's entries (they are found again, at the cost of a stat and a tail read); entries
 * of files gone are dropped; nothing is ever deleted on its word alone (retention stats a deletion
 * candidate again and proves ownership from its head, ownership.ts). A `catalog.json` llmtrace did
 * not write, or of a newer schema version, is left as it is and the store works without one. The
 * file is a lowdb document (`Low` over our atomic `JsonFileAdapter`): read once, written whole.
 */
import { join } from 'node:path';
import { Low } from 'lowdb';
import { reportForeignFile } from './ownership.js';
import { JsonFileAdapter } from './json-file-adapter.js';
import type { StorageFileSystem } from './fs-facade.js';
import { DEFAULT_SEGMENT_WINDOW_MS, STORE_SCHEMA_VERSION, type SegmentKind, type SegmentName } from './layout.js';

/** Name of the catalog file in the store directory. */
export const CATALOG_FILE = 'catalog.json';

/** Format tag written first in `catalog.json`. */
export const CATALOG_FORMAT = 'llmtrace.catalog';

/**
 * A segment whose name is the newest of its window for its writer, and that is not sealed, may
 * still be appended to by that writer (which keeps the current and the previous window open), so
 * its entry is trusted only once it has not changed for this long: three default windows.
 */
export const SETTLED_AFTER_MS = 3 * DEFAULT_SEGMENT_WINDOW_MS;

/**
 * What the catalog knows of one segment file: `[size in bytes, mtime in epoch ms, final]`, `final`
 * 1 when the stat was taken once the file could no longer change (`isFinal`), else 0.
 */
export type CatalogEntry = readonly [size: number, mtimeMs: number, final: 0 | 1];

/** `catalog.json`. */
interface CatalogDoc {
  format: typeof CATALOG_FORMAT;
  schemaVersion: number;
  /** By path relative to the store directory (`spans/<name>`). */
  segments: Record<string, CatalogEntry>;
}

function isCatalogDoc(value: unknown): value is CatalogDoc {
  const doc = value as Partial<CatalogDoc> | null;
  return (
    doc !== null &&
    typeof doc === 'object' &&
    doc.format === CATALOG_FORMAT &&
    typeof doc.schemaVersion === 'number' &&
    typeof doc.segments === 'object' &&
    doc.segments !== null
  );
}

function isEntry(value: unknown): value is CatalogEntry {
  return Array.isArray(value) && value.length === 3 && Number.isFinite(value[0]) && Number.isFinite(value[1]) && (value[2] === 0 || value[2] === 1);
}

/**
 * Whether a segment stat'ed now, last modified at `mtimeMs`, can no longer change, so its stat
 * stays true: it is sealed (a newer segment of its window by the same writer exists: the writer
 * rotated past it) or has not changed for SETTLED_AFTER_MS.
 * @param newestOfWindow whether no segment of the same kind, writer and window has a higher sequence number
 */
export function isFinal(mtimeMs: number, newestOfWindow: boolean, now: number): boolean {
  return !newestOfWindow || now - mtimeMs > SETTLED_AFTER_MS;
}

/** The key of a segment's kind, window and writer, to find the newest segment of each. */
export function windowKey(kind: SegmentKind, name: SegmentName): string {
  return `${kind}/${name.windowStart}/${name.instance}`;
}

/** The catalog of one store directory, loaded once and saved after each pass that changed it. */
export class SegmentCatalog {
  readonly #adapter: JsonFileAdapter<CatalogDoc>;
  readonly #db: Low<CatalogDoc>;
  readonly #entries = new Map<string, CatalogEntry>();
  /** False when the file on disk is not ours to replace (foreign, or of a newer schema version). */
  #writable = true;
  #dirty = false;

  private constructor(fs: StorageFileSystem, root: string) {
    this.#adapter = new JsonFileAdapter(fs, join(root, CATALOG_FILE), isCatalogDoc);
    this.#db = new Low<CatalogDoc>(this.#adapter, { format: CATALOG_FORMAT, schemaVersion: STORE_SCHEMA_VERSION, segments: {} });
  }

  /** Reads `<root>/catalog.json` (a missing one is an empty catalog: the document's default). Never rejects: an unreadable catalog is an empty one. */
  static async load(fs: StorageFileSystem, root: string): Promise<SegmentCatalog> {
    const catalog = new SegmentCatalog(fs, root);
    await catalog.#db.read().catch(() => undefined);
    const doc = catalog.#db.data;
    if (catalog.#adapter.lastReadWasCorrupt) {
      catalog.#writable = false;
      reportForeignFile(catalog.#adapter.path, 'catalog.json is not an llmtrace catalog; left as it is, the store works without one');
    } else if (doc.schemaVersion > STORE_SCHEMA_VERSION) {
      catalog.#writable = false;
    } else {
      for (const [key, entry] of Object.entries(doc.segments)) if (isEntry(entry)) catalog.#entries.set(key, entry);
    }
    return catalog;
  }

  /** The entry of the segment at `key` (relative path), if any. */
  get(key: string): CatalogEntry | undefined {
    return this.#entries.get(key);
  }

  /** Records what a stat of the segment at `key` found (`final`: see `isFinal`). */
  set(key: string, size: number, mtimeMs: number, final: boolean): void {
    const entry = this.#entries.get(key);
    const flag = final ? 1 : 0;
    if (entry && entry[0] === size && entry[1] === mtimeMs && entry[2] === flag) return;
    this.#entries.set(key, [size, mtimeMs, flag]);
    this.#dirty = true;
  }

  /** Forgets the segment at `key` (deleted, moved aside, or gone). */
  delete(key: string): void {
    if (this.#entries.delete(key)) this.#dirty = true;
  }

  /** Forgets every entry whose key is not in `present` (files another process deleted). */
  keepOnly(present: ReadonlySet<string>): void {
    for (const key of this.#entries.keys()) if (!present.has(key)) this.delete(key);
  }

  /** Writes the catalog when it changed and the file is ours to replace. Rejects on I/O failure. */
  async save(): Promise<void> {
    if (!this.#dirty || !this.#writable) return;
    this.#db.data = { format: CATALOG_FORMAT, schemaVersion: STORE_SCHEMA_VERSION, segments: Object.fromEntries(this.#entries) };
    await this.#db.write();
    this.#dirty = false;
  }
}
