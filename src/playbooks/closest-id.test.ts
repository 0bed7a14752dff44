import { describe, expect, it } from 'vitest';
import { findClosestId, measureEditDistance } from './closest-id.js';

describe('findClosestId', () => {
  it('suggests the id a typo most likely meant', () => {
    expect(findClosestId('chek-tunnel', ['start', 'check-tunnel', 'tunnel-down'])).toBe('check-tunnel');
    expect(findClosestId('tunel-down', ['start', 'check-tunnel', 'tunnel-down'])).toBe('tunnel-down');
  });

  it('suggests nothing when nothing is close or there is nothing to choose from', () => {
    expect(findClosestId('rollback', ['start', 'check-tunnel'])).toBeUndefined();
    expect(findClosestId('start', [])).toBeUndefined();
  });

  it('stays cheap and sane on huge ids', () => {
    const huge = 'a'.repeat(1_000_000);
    expect(findClosestId(huge, ['a', huge.slice(1)])).toBeUndefined();
    expect(measureEditDistance(huge, 'a')).toBeGreaterThan(200);
  });

  it('measures edit distance', () => {
    expect(measureEditDistance('kitten', 'sitting')).toBe(3);
    expect(measureEditDistance('', 'abc')).toBe(3);
    expect(measureEditDistance('same', 'same')).toBe(0);
  });
});
