import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './http-retry.js';

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, and nothing else', () => {
    const now = new Date('2026-01-01T04:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 04:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 03:00:00 GMT', now)).toBe(0);
    for (const bad of [undefined, null, '', 'soon', '-5', '1e9999x']) expect(parseRetryAfter(bad as string, now)).toBeUndefined();
  });
});
