import { VendorError } from '../errors/vendor-error.js';

/** Stable codes for filing failures. `transient` ones are worth retrying later; the others need a fix. */
export type TrackerErrorCode =
  'TRACKER_NOT_CONFIGURED' | 'TRACKER_AUTH_FAILED' | 'TRACKER_FORBIDDEN' | 'TRACKER_NOT_FOUND' | 'TRACKER_REJECTED' | 'TRACKER_RATE_LIMITED' | 'TRACKER_UNAVAILABLE' | 'TRACKER_WRITE_FAILED';

/**
 * An issue tracker failed. The message says what to fix and never holds a token. `transient`
 * (when given) is the retryability; `retryAfterMs` is the tracker's Retry-After, which the
 * engine's retry waits for.
 */
export class TrackerError extends VendorError<TrackerErrorCode, { status?: number; retryAfterMs?: number; transient?: boolean }> {
  override readonly name = 'TrackerError';
}
