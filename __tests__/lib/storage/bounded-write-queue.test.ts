import { BoundedWriteQueue } from '../../../lib/storage/bounded-write-queue.js';

interface Batch {
  id: number;
  bytes: number;
}

/** A queue whose writes wait for `release()`, recording what was written and dropped. */
function heldQueue(maxPending: number, maxBytes?: number) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const written: number[] = [];
  const dropped: number[] = [];
  const queue = new BoundedWriteQueue<Batch>(
    maxPending,
    async (batch) => {
      await gate;
      written.push(batch.id);
    },
    (batch) => dropped.push(batch.id),
    maxBytes === undefined ? undefined : { maxBytes, sizeOf: (batch) => batch.bytes },
  );
  return { queue, written, dropped, release };
}

describe('BoundedWriteQueue', () => {
  test('drops the oldest waiting batches to keep the waiting bytes under the bound; every batch is written or dropped once', async () => {
    const { queue, written, dropped, release } = heldQueue(1_000, 100);
    for (let id = 0; id < 20; id++) {
      queue.push({ id, bytes: 30 });
      expect(queue.pendingBytes).toBeLessThanOrEqual(100);
    }
    release();
    await queue.onIdle();
    expect([...written, ...dropped].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(written).toContain(19); // the newest are kept
    expect(dropped).toContain(1);
    expect(queue.pendingBytes).toBe(0);
  });

  test('keeps the newest batch even when it alone is over the byte bound', async () => {
    const { queue, written, dropped, release } = heldQueue(10, 50);
    queue.push({ id: 0, bytes: 10 }); // taken by the writer at once (not waiting)
    queue.push({ id: 1, bytes: 10 });
    queue.push({ id: 2, bytes: 500 });
    expect(queue.pending.map((b) => b.id)).toEqual([2]);
    release();
    await queue.onIdle();
    expect(written).toEqual([0, 2]);
    expect(dropped).toEqual([1]);
  });

  test('bounded by count alone when no byte bound is given', async () => {
    const { queue, written, dropped, release } = heldQueue(3);
    for (let id = 0; id < 10; id++) queue.push({ id, bytes: 1_000_000 });
    expect(queue.pending).toHaveLength(3);
    expect(queue.pendingBytes).toBe(0);
    release();
    await queue.onIdle();
    expect(written.length + dropped.length).toBe(10);
  });
});
