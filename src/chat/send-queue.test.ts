import { describe, expect, it } from 'vitest';
import { SendQueue } from './send-queue.js';

function clock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

describe('SendQueue', () => {
  it('lets a burst through, then answers how long until the next turn instead of waiting', () => {
    const time = clock();
    const queue = new SendQueue({ ratePerSecond: 1, burst: 3, now: time.now });
    expect([queue.reserve('C1'), queue.reserve('C1'), queue.reserve('C1')]).toEqual([0, 0, 0]);
    expect(queue.reserve('C1')).toBe(1000);
    time.advance(1000);
    expect(queue.reserve('C1')).toBe(0);
  });

  it('spreads keyed waiters one turn apart, and each goes at its turn without taking another', () => {
    const time = clock();
    const queue = new SendQueue({ ratePerSecond: 1, burst: 1, now: time.now });
    expect(queue.reserve('C1', 'a')).toBe(0);
    expect(['b', 'c', 'd'].map((key) => queue.reserve('C1', key))).toEqual([1000, 2000, 3000]);
    expect(queue.busyChannels).toBe(1);
    time.advance(1000);
    expect(queue.reserve('C1', 'c')).toBe(1000); // not c's turn yet
    expect(queue.reserve('C1', 'b')).toBe(0);
    time.advance(2000);
    expect(queue.reserve('C1', 'c')).toBe(0);
    expect(queue.reserve('C1', 'd')).toBe(0);
    expect(queue.busyChannels).toBe(0);
  });

  it('says whether keyed posts wait for a channel, until each took its turn', () => {
    const time = clock();
    const queue = new SendQueue({ ratePerSecond: 1, burst: 1, now: time.now });
    expect(queue.hasWaiting('C1')).toBe(false);
    expect(queue.reserve('C1', 'a')).toBe(0);
    expect(queue.hasWaiting('C1')).toBe(false);
    expect(queue.reserve('C1', 'b')).toBe(1000);
    expect(queue.hasWaiting('C1')).toBe(true);
    expect(queue.hasWaiting('C2')).toBe(false);
    time.advance(1000);
    expect(queue.reserve('C1', 'b')).toBe(0);
    expect(queue.hasWaiting('C1')).toBe(false);
  });

  it('keeps channels independent', () => {
    const queue = new SendQueue({ ratePerSecond: 1, burst: 1, now: clock().now });
    expect(queue.reserve('C1')).toBe(0);
    expect(queue.reserve('C2')).toBe(0);
  });

  it('holds a paused channel for the Retry-After, then paces again', () => {
    const time = clock();
    const queue = new SendQueue({ ratePerSecond: 2, burst: 5, now: time.now });
    expect(queue.reserve('C1')).toBe(0);
    queue.pause('C1', 7000);
    expect(queue.reserve('C1', 'k')).toBe(7000);
    time.advance(7000);
    expect(queue.reserve('C1')).toBe(0);
    expect(queue.reserve('C1')).toBe(500);
  });

  it('gives a released turn back to the channel (a post that went out folded)', () => {
    const time = clock();
    const queue = new SendQueue({ ratePerSecond: 1, burst: 1, now: time.now });
    expect(queue.reserve('C1', 'a')).toBe(0);
    expect(queue.reserve('C1', 'b')).toBe(1000);
    expect(queue.reserve('C1', 'c')).toBe(2000);
    queue.release('C1', 'c');
    time.advance(1000);
    expect(queue.reserve('C1', 'b')).toBe(0);
    expect(queue.reserve('C1', 'e')).toBe(1000);
  });

  it('refuses nonsense rates', () => {
    expect(() => new SendQueue({ ratePerSecond: 0, burst: 1 })).toThrow(RangeError);
    expect(() => new SendQueue({ ratePerSecond: Number.NaN, burst: 1 })).toThrow(RangeError);
    expect(() => new SendQueue({ ratePerSecond: 1, burst: 0 })).toThrow(RangeError);
  });
});
