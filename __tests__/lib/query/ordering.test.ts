/**
 * The two ways the trace listing orders rows without sorting them all for every page: an order kept
 * up to date (SortedRows) equals a fresh sort after any changes, and the first k items picked
 * (firstInOrder) equal the first k of a sort.
 */
import { describe, expect, test } from '@jest/globals';
import { firstInOrder } from '../../../lib/query/first-in-order.js';
import { SortedRows } from '../../../lib/query/sorted-rows.js';
import { seededUniform } from '../../helpers/seeded-random.js';

interface Item {
  key: number;
  id: number;
  live: boolean;
}

const byKeyThenId = (a: Item, b: Item): number => a.key - b.key || a.id - b.id;

function items(count: number, random: () => number, keys = 50): Item[] {
  return Array.from({ length: count }, (_, id) => ({ key: Math.floor(random() * keys), id, live: true }));
}

describe('an order kept up to date', () => {
  test('after replacing, deleting and adding items it holds the live items as a fresh sort would', () => {
    const random = seededUniform(3);
    let all = items(500, random);
    const order = new SortedRows(all, byKeyThenId, (item) => item.live);
    let nextId = all.length;
    for (let round = 0; round < 20; round++) {
      const added: Item[] = [];
      for (const item of all) {
        const r = random();
        if (r < 0.05) {
          item.live = false; // replaced by a new item for the same id
          added.push({ key: Math.floor(random() * 50), id: item.id, live: true });
        } else if (r < 0.08) item.live = false; // deleted
      }
      for (let i = 0; i < 10; i++) added.push({ key: Math.floor(random() * 50), id: nextId++, live: true });
      all = [...all.filter((item) => item.live), ...added];
      order.changed(added);
      // Some rounds are not read: changes pile up until the next read.
      if (round % 3 !== 1) expect(order.items).toEqual([...all].sort(byKeyThenId));
    }
    expect(order.items).toEqual([...all].sort(byKeyThenId));
  });

  test('unread through more changes than it holds, it stays bounded and still reads as a fresh sort', () => {
    const random = seededUniform(4);
    let all = items(100, random);
    const order = new SortedRows(all, byKeyThenId, (item) => item.live);
    for (let round = 0; round < 50; round++) {
      const added = all.filter(() => random() < 0.3).map((item) => {
        item.live = false;
        return { key: Math.floor(random() * 50), id: item.id, live: true };
      });
      all = [...all.filter((item) => item.live), ...added];
      order.changed(added);
      // Replaced items are not kept forever: at most twice the live ones (100).
      expect(order.held).toBeLessThanOrEqual(2 * all.length);
    }
    expect(order.items).toEqual([...all].sort(byKeyThenId));
  });
});

describe('the first k in order', () => {
  test('are the first k of a sort, for any k, including none and more than there are', () => {
    const random = seededUniform(5);
    for (const count of [0, 1, 7, 300]) {
      const list = items(count, random, 10);
      for (const k of [0, 1, 5, 100, 400]) expect(firstInOrder(list, k, byKeyThenId)).toEqual([...list].sort(byKeyThenId).slice(0, k));
    }
  });

  test('reads any iterable once, in one pass (a generator)', () => {
    const random = seededUniform(9);
    const list = items(200, random);
    let read = 0;
    function* once(): Generator<Item> {
      for (const item of list) {
        read++;
        yield item;
      }
    }
    expect(firstInOrder(once(), 10, byKeyThenId)).toEqual([...list].sort(byKeyThenId).slice(0, 10));
    expect(read).toBe(200);
  });
});
