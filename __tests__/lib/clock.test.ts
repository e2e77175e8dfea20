/** The span clock stays on the wall clock: a span's times line up with Date.now() even after the wall clock moves. */
import { jest } from '@jest/globals';
import { traced } from '../../index.js';
import { freshStore } from '../helpers/fresh-store.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function spanStartingNow(): Promise<{ startTime: number; endTime: number; duration: number }> {
  const store = freshStore();
  await traced(async () => sleep(2), { name: 'tick' })();
  return store.getRecent(1)[0]!;
}

describe('the span clock', () => {
  afterEach(() => jest.restoreAllMocks());

  it('follows the wall clock when it steps (an NTP correction, a resumed VM), within about a second', async () => {
    await sleep(1_100); // past the anchor's next check
    const realNow = Date.now.bind(Date);
    const before = await spanStartingNow();
    expect(Math.abs(before.startTime - realNow())).toBeLessThan(50);

    const step = 60_000;
    jest.spyOn(Date, 'now').mockImplementation(() => realNow() + step);
    await sleep(1_100);
    const after = await spanStartingNow();
    expect(Math.abs(after.startTime - Date.now())).toBeLessThan(50); // on the stepped wall clock
    expect(after.endTime).toBeGreaterThanOrEqual(after.startTime);
    expect(after.duration).toBeGreaterThanOrEqual(1);
    expect(after.duration).toBeLessThan(1_000); // the step is not a duration

    jest.restoreAllMocks();
    await sleep(1_100);
    const back = await spanStartingNow();
    expect(Math.abs(back.startTime - realNow())).toBeLessThan(50);
    expect(back.duration).toBeGreaterThanOrEqual(0);
  });
});
