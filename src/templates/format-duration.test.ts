import { describe, expect, it } from 'vitest';
import { describeDuration, formatDuration, readDurationMs } from './format-duration.js';

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [45_000, '45 s'],
    [59_999, '59 s'],
    [60_000, '1 min'],
    [31 * 60_000 + 59_000, '31 min'],
    [2 * 3_600_000 + 5 * 60_000, '2 h 5 min'],
    [3_600_000, '1 h'],
    [3 * 86_400_000 + 4 * 3_600_000 + 59 * 60_000, '3 d 4 h'],
    [86_400_000, '1 d'],
    [-5 * 60_000, '-5 min'],
  ])('%d ms reads %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('readDurationMs', () => {
  it('reads milliseconds, numeric strings, ISO durations and intervals', () => {
    expect(readDurationMs(1500)).toBe(1500);
    expect(readDurationMs('1860000')).toBe(1_860_000);
    expect(readDurationMs('PT31M')).toBe(1_860_000);
    expect(readDurationMs('P1DT2H')).toBe(93_600_000);
    expect(readDurationMs('P2W')).toBe(14 * 86_400_000);
    expect(readDurationMs('PT1.5S')).toBe(1500);
    expect(readDurationMs('2026-01-01T04:00:00Z/2026-01-01T04:31:00Z')).toBe(1_860_000);
  });

  it('measures from an instant to another when given one', () => {
    expect(readDurationMs('2026-01-01T04:00:00Z', new Date('2026-01-01T04:31:00Z'))).toBe(1_860_000);
    expect(readDurationMs('2026-01-01T06:00:00+02:00', '2026-01-01T04:10:00Z')).toBe(600_000);
  });

  it.each(['P', 'PT', 'P1DT', 'soon', '$(reboot)', 'NaN', '1e400', 'x'.repeat(1_000_000), '2026-01-01T04:00:00Z/', 'yesterday/today', ''])('refuses %j', (input) => {
    expect(describeDuration(input)).toBeUndefined();
  });

  it('refuses non-values and absurd lengths', () => {
    expect(describeDuration(undefined)).toBeUndefined();
    expect(describeDuration({ ms: 5 })).toBeUndefined();
    expect(describeDuration(Infinity)).toBeUndefined();
    expect(describeDuration(1e300)).toBeUndefined();
    expect(describeDuration('tomorrow', 'now')).toBeUndefined();
  });
});
