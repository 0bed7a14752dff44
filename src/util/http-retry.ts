/**
 * Reading how long a vendor asks us to wait. Nothing here waits: a vendor error carries the wait
 * as `retryAfterMs`, and the engine runs the job again that much later (engine/retry-policy.ts),
 * so no worker slot is held while a vendor is down or limiting us.
 */

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
