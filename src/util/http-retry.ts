/**
 * A small bounded wait-and-retry for vendor calls. Vendors tell us how long to wait (Retry-After,
 * rate-limit reset headers); we honour that up to a ceiling and otherwise give up with an error
 * the engine can reschedule, rather than holding a job for minutes.
 */

/** Waits `ms` milliseconds; injected in tests so a 60-second Retry-After costs nothing. */
export type Sleep = (ms: number) => Promise<void>;

/** The real sleep. */
export const sleepFor: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reads a Retry-After header (delta-seconds or an HTTP date) as milliseconds from `now`.
 * Returns undefined for a missing or unparsable header.
 */
export function parseRetryAfter(value: string | null | undefined, now: Date = new Date()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // An HTTP date always names its weekday and month; bare numbers like "-5" are not dates.
  const at = /^[A-Za-z]{3},/.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

export interface RetryPolicy {
  /** Total attempts, the first one included. */
  attempts: number;
  /** How long to wait before the next attempt after `error`, or undefined to give up at once. */
  delayFor(error: unknown, attempt: number): number | undefined;
  /** The longest single wait we accept; a longer requested wait gives up instead. */
  maxDelayMs: number;
  sleep?: Sleep;
}

/** Runs `fn`, retrying as `policy` allows; the last error is thrown unchanged. */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, policy: RetryPolicy): Promise<T> {
  const sleep = policy.sleep ?? sleepFor;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= policy.attempts) throw error;
      const delay = policy.delayFor(error, attempt);
      if (delay === undefined || delay > policy.maxDelayMs) throw error;
      await sleep(delay);
    }
  }
}
