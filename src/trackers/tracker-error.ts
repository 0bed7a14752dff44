/** Stable codes for filing failures. `transient` ones are worth retrying later; the others need a fix. */
export type TrackerErrorCode =
  | 'TRACKER_NOT_CONFIGURED'
  | 'TRACKER_AUTH_FAILED'
  | 'TRACKER_FORBIDDEN'
  | 'TRACKER_NOT_FOUND'
  | 'TRACKER_REJECTED'
  | 'TRACKER_RATE_LIMITED'
  | 'TRACKER_UNAVAILABLE'
  | 'TRACKER_WRITE_FAILED';

/** An issue tracker failed. The message says what to fix and never holds a token. */
export class TrackerError extends Error {
  override readonly name = 'TrackerError';
  constructor(
    readonly code: TrackerErrorCode,
    message: string,
    readonly details: { status?: number; retryAfterMs?: number; transient?: boolean } = {},
  ) {
    super(`${code}: ${message}`);
  }
}
