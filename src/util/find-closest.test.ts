import { describe, expect, it } from 'vitest';
import { findClosest, measureEditDistance } from './find-closest.js';

describe('findClosest', () => {
  it('suggests the id a typo most likely meant', () => {
    expect(findClosest('chek-tunnel', ['start', 'check-tunnel', 'tunnel-down'])).toBe('check-tunnel');
    expect(findClosest('tunel-down', ['start', 'check-tunnel', 'tunnel-down'])).toBe('tunnel-down');
  });

  it('suggests nothing when nothing is close or there is nothing to choose from', () => {
    expect(findClosest('rollback', ['start', 'check-tunnel'])).toBeUndefined();
    expect(findClosest('start', [])).toBeUndefined();
  });

  it('stays cheap and sane on huge ids', () => {
    const huge = 'a'.repeat(1_000_000);
    expect(findClosest(huge, ['a', huge.slice(1)])).toBeUndefined();
    expect(measureEditDistance(huge, 'a')).toBeGreaterThan(200);
  });

  it('measures edit distance', () => {
    expect(measureEditDistance('kitten', 'sitting')).toBe(3);
    expect(measureEditDistance('', 'abc')).toBe(3);
    expect(measureEditDistance('same', 'same')).toBe(0);
  });
});
