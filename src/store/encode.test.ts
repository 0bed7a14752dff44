import { describe, expect, it } from 'vitest';
import { clampLimit, dropUndefined, toIso, toJsonText, toJsonTextUnlessUndefined, toMillis } from './encode.js';
import { StoreError } from './store-error.js';

describe('encode', () => {
  it('turns ISO times into epoch ms and back in UTC', () => {
    expect(toMillis('2026-01-01T04:00:00Z', 't')).toBe(Date.UTC(2026, 0, 1, 4));
    expect(toIso(Date.UTC(2026, 0, 1, 4))).toBe('2026-01-01T04:00:00.000Z');
    expect(toIso(String(Date.UTC(2026, 0, 1, 4)))).toBe('2026-01-01T04:00:00.000Z');
  });

  it('rejects what is not a time with STORE_INVALID_TIME and a short message', () => {
    for (const bad of ['', 'soon', '2026-13-45', 'x'.repeat(10_000), undefined as unknown as string, 5 as unknown as string]) {
      expect(() => toMillis(bad, 'field')).toThrow(StoreError);
    }
    try {
      toMillis('y'.repeat(10_000), 'alert.startsAt');
    } catch (error) {
      expect((error as StoreError).code).toBe('STORE_INVALID_TIME');
      expect((error as Error).message.length).toBeLessThan(200);
      expect((error as Error).message).toContain('alert.startsAt');
    }
  });

  it('clamps limits from untrusted input', () => {
    expect(clampLimit(undefined, 50, 100)).toBe(50);
    expect(clampLimit(Number.NaN, 50, 100)).toBe(50);
    expect(clampLimit(Number.POSITIVE_INFINITY, 50, 100)).toBe(50);
    expect(clampLimit(-3, 50, 100)).toBe(0);
    expect(clampLimit(2.9, 50, 100)).toBe(2);
    expect(clampLimit(1e9, 50, 100)).toBe(100);
  });

  it('stores undefined as JSON null, or as SQL NULL while keeping a real null', () => {
    expect(toJsonText(undefined)).toBe('null');
    expect(toJsonTextUnlessUndefined(undefined)).toBeNull();
    expect(toJsonTextUnlessUndefined(null)).toBe('null');
  });

  it('drops undefined keys only', () => {
    expect(dropUndefined({ a: undefined, b: null, c: 0, d: '' })).toEqual({ b: null, c: 0, d: '' });
    expect(Object.keys(dropUndefined({ a: undefined, b: 1 }))).toEqual(['b']);
  });
});
