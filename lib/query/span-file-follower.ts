/**
 * Keeping a trace listing in step with a source as it grows (what the dashboard's trace list
 * does, at most once a second): each `refresh` lists the source's span files, reads again only the
 * files that are new or whose size or modification time changed, and drops the files that are
 * gone, each file being one part of the listing. A change costs what changed (one segment of
 * 1,000 spans), not a read of the store. Never writes.
 */
import type { QuerySource } from './source.js';
import type { TraceListing } from './trace-listing.js';

/** What one `refresh` did. */
export interface FollowStep {
  /** Files read (new or changed). */
  read: number;
  /** Files gone since the last refresh, whose spans left the listing. */
  dropped: number;
}

/** Follows the span files of one source into one TraceListing (a part per file, keyed by path). */
export class SpanFileFollower {
  readonly #source: QuerySource;
  readonly #listing: TraceListing;
  readonly #known = new Map<string, { bytes: number; mtimeMs: number }>();

  constructor(source: QuerySource, listing: TraceListing) {
    this.#source = source;
    this.#listing = listing;
  }

  /** Reads the new and changed files into the listing and drops the ones gone. */
  async refresh(): Promise<FollowStep> {
    const files = await this.#source.spanFiles();
    const present = new Set(files.map((file) => file.path));
    let dropped = 0;
    for (const path of [...this.#known.keys()]) {
      if (present.has(path)) continue;
      this.#listing.deletePart(path);
      this.#known.delete(path);
      dropped++;
    }
    let read = 0;
    for (const { path, bytes, mtimeMs } of files) {
      const known = this.#known.get(path);
      if (known && known.bytes === bytes && known.mtimeMs === mtimeMs) continue;
      this.#listing.setPart(path, await this.#source.spansOfFile(path));
      this.#known.set(path, { bytes, mtimeMs });
      read++;
    }
    return { read, dropped };
  }
}
