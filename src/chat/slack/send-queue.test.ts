import { describe, expect, it } from 'vitest';
import { SendQueue } from './send-queue.js';

function clock() {
  let now = 0;
  return { now: () => now, sleep: async (ms: number) => void (now += ms) };
}

describe('SendQueue', () => {
  it('lets a burst through, then one per second per channel', async () => {
    const time = clock();
    const queue = new SendQueue({ ratePerSecond: 1, burst: 3, ...time });
    const times: number[] = [];
    for (let i = 0; i < 6; i++) {
      await queue.take('C1');
      times.push(time.now());
    }
    expect(times).toEqual([0, 0, 0, 1000, 2000, 3000]);
  });

  it('serves concurrent takers of one channel in order', async () => {
    const time = clock();
    const queue = new SendQueue({ ratePerSecond: 1, burst: 1, ...time });
    const order: number[] = [];
    await Promise.all(Array.from({ length: 5 }, (_, i) => queue.take('C1').then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(time.now()).toBe(4000);
  });

  it('keeps channels independent', async () => {
    const time = clock();
    const queue = new SendQueue({ ratePerSecond: 1, burst: 1, ...time });
    await queue.take('C1');
    await queue.take('C2');
    expect(time.now()).toBe(0);
  });

  it('holds a paused channel for the Retry-After, then paces again', async () => {
    const time = clock();
    const queue = new SendQueue({ ratePerSecond: 2, burst: 5, ...time });
    await queue.take('C1');
    queue.pause('C1', 7000);
    await queue.take('C1');
    expect(time.now()).toBeGreaterThanOrEqual(7000);
    const after = time.now();
    await queue.take('C1');
    expect(time.now() - after).toBe(500);
    expect(queue.busyChannels).toBe(0);
  });

  it('refuses nonsense rates', () => {
    expect(() => new SendQueue({ ratePerSecond: 0, burst: 1 })).toThrow(RangeError);
    expect(() => new SendQueue({ ratePerSecond: Number.NaN, burst: 1 })).toThrow(RangeError);
    expect(() => new SendQueue({ ratePerSecond: 1, burst: 0 })).toThrow(RangeError);
  });
});
