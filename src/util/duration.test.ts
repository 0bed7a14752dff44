import { describe, expect, it } from 'vitest';
import { DurationError, formatDuration, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
    ['1d2h3m4s5ms', 93_784_005],
    ['1.5h', 5_400_000],
    [' 10m ', 600_000],
    ['0', 0],
  ])('reads %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '5', 'm', '-5m', '5 m', '5min', '5m1h', '1m1m', '1h 30m', '5M', '$(id)', '1e3s', '∞s', '٣s'])('refuses %j with a message saying what was expected', (text) => {
    expect(() => parseDuration(text)).toThrow(DurationError);
    expect(() => parseDuration(text)).toThrow(/expected e\.g\. 500ms, 30s, 5m/);
  });

  it('refuses durations beyond safe integers', () => {
    expect(() => parseDuration(`${'9'.repeat(30)}d`)).toThrow(/too long/);
  });

  it('cuts an enormous input in the message', () => {
    const error = (() => {
      try {
        parseDuration('x'.repeat(10_000));
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error?.message.length).toBeLessThan(200);
  });

  it('formats back to what it reads', () => {
    for (const ms of [1, 999, 1000, 61_000, 5_400_000, 93_784_005]) expect(parseDuration(formatDuration(ms))).toBe(ms);
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(0)).toBe('0s');
  });
});
