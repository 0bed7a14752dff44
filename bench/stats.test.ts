import { describe, expect, it } from 'vitest';
import { formatCount, formatMs, percentile, summarise } from './stats.js';

describe('percentile', () => {
  it('takes the nearest rank, never an interpolated value', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile([10, 20], 50)).toBe(10);
  });

  it('does not depend on the order of the input and leaves it unsorted', () => {
    const values = [9, 1, 5, 3, 7];
    expect(percentile(values, 50)).toBe(5);
    expect(values).toEqual([9, 1, 5, 3, 7]);
  });

  it('ignores NaN and infinities (a lost message must not become the p99)', () => {
    expect(percentile([1, Number.NaN, 2, Infinity, -Infinity, 3], 99)).toBe(3);
    expect(percentile([Number.NaN], 50)).toBeNaN();
    expect(percentile([], 50)).toBeNaN();
  });

  it('refuses a percentile outside 0..100', () => {
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], -1)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });
});

describe('summarise', () => {
  it('summarises 100,000 values without blowing the stack', () => {
    const values = Array.from({ length: 100_000 }, (_, i) => i % 1000);
    const summary = summarise(values);
    expect(summary).toMatchObject({ count: 100_000, min: 0, max: 999, p50: 499 });
    expect(summary.mean).toBeCloseTo(499.5);
  });

  it('reports NaN fields, not zeros, when nothing was measured', () => {
    const summary = summarise([]);
    expect(summary.count).toBe(0);
    expect(summary.p50).toBeNaN();
    expect(summary.max).toBeNaN();
  });
});

describe('formatting', () => {
  it('formats durations and counts for the report', () => {
    expect(formatMs(0.4213)).toBe('0.42 ms');
    expect(formatMs(12.34)).toBe('12.3 ms');
    expect(formatMs(1520)).toBe('1.52 s');
    expect(formatMs(Number.NaN)).toBe('n/a');
    expect(formatCount(20000)).toBe('20,000');
    expect(formatCount(Number.POSITIVE_INFINITY)).toBe('n/a');
  });
});
