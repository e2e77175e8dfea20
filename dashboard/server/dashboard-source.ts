/**
 * What the dashboard reads: a store directory (through lib/query's read-only source) and, in
 * in-process mode, the running program's own TraceStore, merged (a span in both is counted once,
 * the in-memory copy wins). The trace listing is folded once and kept until the store changes
 * (new segment bytes or new in-memory spans), checked at most once a second, so paging through
 * 100,000 traces costs a sort of rows, not a read of the store. Never writes.
 */
import { resolve } from 'node:path';
import type { WindowSummary } from '../../lib/aggregator/window-summary.js';
import { readEvaluations, type EvaluationFilter, type EvaluationRecord } from '../../lib/evaluations/index.js';
import { openSource, type QuerySource } from '../../lib/query/index.js';
import { readOnlyFileSystem } from '../../lib/query/read-only-fs.js';
import { TraceListing } from '../../lib/query/trace-listing.js';
import type { SpanData } from '../../lib/span.js';
import { nodeFileSystem } from '../../lib/storage/fs-facade.js';
import type { TimeRange } from '../../lib/storage/file-store-reader.js';
import type { TraceStore } from '../../lib/trace-store.js';

/** How long a trace listing is trusted before the store is looked at again, ms. */
export const LISTING_RECHECK_MS = 1_000;

/** The store directory and/or in-memory store the dashboard shows. */
export class DashboardSource {
  /** Absolute store directory, when one is shown. */
  readonly dir: string | undefined;
  /** The in-process TraceStore, when one is shown. */
  readonly store: TraceStore | undefined;
  #source: QuerySource | undefined;
  #listing: { listing: TraceListing; signature: string; checkedAt: number } | undefined;
  #building: Promise<TraceListing> | undefined;

  constructor(dir: string | undefined, store: TraceStore | undefined) {
    this.dir = dir === undefined ? undefined : resolve(dir);
    this.store = store;
  }

  /** The disk source, opened on first use (undefined while the directory does not exist). */
  async source(): Promise<QuerySource | undefined> {
    if (this.#source || this.dir === undefined) return this.#source;
    this.#source = await openSource(this.dir).catch(() => undefined);
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

  async #signature(): Promise<string> {
    const source = await this.source();
    const inventory = source ? await source.inventory() : undefined;
    const memory = this.store?.stats();
    return `${inventory?.spanSegments}/${inventory?.bytes}/${memory?.added}/${memory?.size}`;
  }

  /** The trace listing, rebuilt when the store changed since it was built. */
  async listing(now = Date.now()): Promise<TraceListing> {
    const cached = this.#listing;
    if (cached && now - cached.checkedAt < LISTING_RECHECK_MS) return cached.listing;
    this.#building ??= (async () => {
      try {
        const signature = await this.#signature();
        if (cached && cached.signature === signature) {
          cached.checkedAt = now;
          return cached.listing;
        }
        const listing = new TraceListing();
        for await (const span of this.spans()) listing.add(span);
        this.#listing = { listing, signature, checkedAt: now };
        return listing;
      } finally {
        this.#building = undefined;
      }
    })();
    return this.#building;
  }

  /** Every span of one trace (exact id), read only from the time range the listing knows it spans. */
  async traceSpans(traceId: string): Promise<SpanData[]> {
    const row = (await this.listing()).get(traceId);
    if (!row) return [];
    const out: SpanData[] = [];
    for await (const span of this.spans({ from: row.start, to: row.end + 1 })) if (span.traceId === traceId) out.push(span);
    return out;
  }

  /** Evaluations in the store directory matching `filter`, at most `limit`. */
  async evaluations(filter: EvaluationFilter, limit = Infinity): Promise<EvaluationRecord[]> {
    if ((await this.source())?.kind !== 'store') return [];
    const out: EvaluationRecord[] = [];
    for await (const record of readEvaluations(this.dir!, filter, { fs: readOnlyFileSystem(nodeFileSystem) })) {
      out.push(record);
      if (out.length >= limit) break;
    }
    return out;
  }
}
