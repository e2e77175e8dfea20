/**
 * What the dashboard reads: a store directory (through lib/query's read-only source) and, in
 * in-process mode, the running program's own TraceStore, merged (a span in both is counted once).
 * The trace listing is kept and followed, checked at most once a second: only the span segments
 * that are new or changed (size or modification time) are read again and the deleted ones dropped
 * (lib/query/span-file-follower.ts), and the in-memory spans not on disk are one more part,
 * refolded when either side changed. So a page of 100,000 traces costs one pass over the rows
 * (lib/query/trace-listing.ts), and a new span costs a read of its segment, not of the store.
 * Never writes.
 */
import { resolve } from 'node:path';
import type { WindowSummary } from '../../lib/aggregator/window-summary.js';
import { getEvaluations, readEvaluations, type EvaluationFilter, type EvaluationRecord } from '../../lib/evaluations/index.js';
import { openSource, type QuerySource } from '../../lib/query/index.js';
import { readOnlyFileSystem } from '../../lib/query/read-only-fs.js';
import { SpanFileFollower } from '../../lib/query/span-file-follower.js';
import { TraceListing } from '../../lib/query/trace-listing.js';
import type { SpanData } from '../../lib/span.js';
import { nodeFileSystem, type StorageFileSystem } from '../../lib/storage/fs-facade.js';
import type { TimeRange } from '../../lib/storage/file-store-reader.js';
import type { TraceStore } from '../../lib/trace-store.js';

/** How long a trace listing is trusted before the store is looked at again, ms. */
export const LISTING_RECHECK_MS = 1_000;

/** The listing part of the in-memory spans (segment parts are keyed by absolute path). */
const MEMORY_PART = 'memory';

/** The store directory and/or in-memory store the dashboard shows. */
export class DashboardSource {
  /** Absolute store directory, when one is shown. */
  readonly dir: string | undefined;
  /** The in-process TraceStore, when one is shown. */
  readonly store: TraceStore | undefined;
  readonly #fs: StorageFileSystem;
  #source: QuerySource | undefined;
  readonly #listing = new TraceListing();
  #follower: SpanFileFollower | undefined;
  /** `added/size` of the in-memory store when its part was last folded. */
  #memorySignature: string | undefined;
  #checkedAt = -Infinity;
  #building: Promise<TraceListing> | undefined;

  /** @param fs the file-system seam the store directory is read through (read-only use). @default nodeFileSystem */
  constructor(dir: string | undefined, store: TraceStore | undefined, fs: StorageFileSystem = nodeFileSystem) {
    this.dir = dir === undefined ? undefined : resolve(dir);
    this.store = store;
    this.#fs = fs;
  }

  /** The disk source, opened on first use (undefined while the directory does not exist). */
  async source(): Promise<QuerySource | undefined> {
    if (this.#source || this.dir === undefined) return this.#source;
    this.#source = await openSource(this.dir, { fs: this.#fs }).catch(() => undefined);
    return this.#source;
  }

  #memorySpans(): SpanData[] {
    return this.store ? this.store.getRecent(Number.MAX_SAFE_INTEGER).map((span) => span.toJSON()) : [];
  }

  /** Spans that ended within `range`: the store directory's, then the in-memory ones not on disk. */
  async *spans(range: TimeRange = {}): AsyncGenerator<SpanData> {
    const memory = this.#memorySpans().filter((s) => s.endTime >= (range.from ?? -Infinity) && s.endTime < (range.to ?? Infinity));
    const inMemory = new Set(memory.map((s) => s.id));
    const source = await this.source();
    if (source) for await (const span of source.spans(range)) if (!inMemory.has(span.id)) yield span;
    yield* memory;
  }

  /** Stored window summaries starting within `range`. */
  async summaries(range: TimeRange = {}): Promise<WindowSummary[]> {
    const source = await this.source();
    return source ? source.summaries(range) : [];
  }

  /** The trace listing, brought up to date with what changed when it was last checked over LISTING_RECHECK_MS ago. */
  async listing(now = Date.now()): Promise<TraceListing> {
    if (now - this.#checkedAt < LISTING_RECHECK_MS) return this.#listing;
    this.#building ??= (async () => {
      try {
        await this.#follow();
        this.#checkedAt = now;
        return this.#listing;
      } finally {
        this.#building = undefined;
      }
    })();
    return this.#building;
  }

  async #follow(): Promise<void> {
    const source = await this.source();
    let diskChanged = false;
    if (source) {
      this.#follower ??= new SpanFileFollower(source, this.#listing);
      const { read, dropped } = await this.#follower.refresh();
      diskChanged = read + dropped > 0;
    }
    if (!this.store) return;
    const { added, size } = this.store.stats();
    const signature = `${added}/${size}`;
    if (!diskChanged && signature === this.#memorySignature) return;
    this.#listing.deletePart(MEMORY_PART);
    this.#listing.setPart(MEMORY_PART, this.#memorySpans().filter((span) => !this.#listing.holds(span)));
    this.#memorySignature = signature;
  }

  /**
   * Every span of one trace (exact id): the store directory's, read only from the segments whose
   * trace-id index can hold it, then the in-memory ones not on disk.
   */
  async traceSpans(traceId: string): Promise<SpanData[]> {
    const memory = this.#memorySpans().filter((s) => s.traceId === traceId);
    const inMemory = new Set(memory.map((s) => s.id));
    const out: SpanData[] = [];
    const source = await this.source();
    if (source) for await (const span of source.traceSpans(traceId)) if (span.traceId === traceId && !inMemory.has(span.id)) out.push(span);
    return [...out, ...memory];
  }

  /**
   * Evaluations matching `filter`, at most `limit`: the store directory's, then (in-process) the
   * program's own ones not on disk (recorded without a file store, or not yet written).
   */
  async evaluations(filter: EvaluationFilter, limit = Infinity): Promise<EvaluationRecord[]> {
    const out: EvaluationRecord[] = [];
    const stored = new Set<string>();
    if ((await this.source())?.kind === 'store') {
      for await (const record of readEvaluations(this.dir!, filter, { fs: readOnlyFileSystem(nodeFileSystem) })) {
        out.push(record);
        stored.add(record.id);
        if (out.length >= limit) return out;
      }
    }
    if (!this.store) return out;
    for (const record of getEvaluations(filter)) {
      if (stored.has(record.id)) continue;
      out.push(record);
      if (out.length >= limit) break;
    }
    return out;
  }
}
