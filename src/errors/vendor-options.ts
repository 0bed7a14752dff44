import type { SidekickErrorOptions } from './sidekick-error.js';

/**
 * The options of a vendor error (tracker, meeting, graph): its own retryability when the vendor
 * said (else the catalogue's for the code), and the vendor's Retry-After as the retry's wait.
 */
export function vendorOptions(retryable: boolean | undefined, retryAfterMs: number | undefined): SidekickErrorOptions {
  return { ...(retryable === undefined ? {} : { retryable }), ...(retryAfterMs === undefined ? {} : { retry: { retryAfterMs } }) };
}
