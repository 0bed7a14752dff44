import { describe, expect, it } from 'vitest';
import { parseRetryAfter, withRetry } from './http-retry.js';

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, and nothing else', () => {
    const now = new Date('2026-01-01T04:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 04:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 03:00:00 GMT', now)).toBe(0);
    for (const bad of [undefined, null, '', 'soon', '-5', '1e9999x']) expect(parseRetryAfter(bad as string, now)).toBeUndefined();
  });
});

describe('withRetry', () => {
  it('retries as long as the policy gives a delay within bounds, then throws the last error', async () => {
    const slept: number[] = [];
    let calls = 0;
    const policy = { attempts: 3, maxDelayMs: 100, delayFor: () => 50, sleep: async (ms: number) => void slept.push(ms) };
    await expect(withRetry(async () => { calls++; throw new Error(`no ${calls}`); }, policy)).rejects.toThrow('no 3');
    expect(slept).toEqual([50, 50]);
    calls = 0;
    expect(await withRetry(async () => (++calls < 2 ? Promise.reject(new Error('x')) : 'ok'), policy)).toBe('ok');
  });

  it('gives up at once when the wait is too long or the error is not retryable', async () => {
    let calls = 0;
    await expect(withRetry(async () => { calls++; throw new Error('x'); }, { attempts: 5, maxDelayMs: 10, delayFor: () => 11, sleep: async () => {} })).rejects.toThrow();
    await expect(withRetry(async () => { calls++; throw new Error('x'); }, { attempts: 5, maxDelayMs: 10, delayFor: () => undefined, sleep: async () => {} })).rejects.toThrow();
    expect(calls).toBe(2);
  });
});
