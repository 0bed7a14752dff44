import { SidekickError } from '../errors/sidekick-error.js';
import { vendorOptions } from '../errors/vendor-options.js';

/** Stable codes for meeting failures; the meeting box falls back to Jitsi on any of them. */
export type MeetingErrorCode =
  | 'MEETING_NOT_CONFIGURED'
  | 'MEETING_AUTH_FAILED'
  | 'MEETING_RATE_LIMITED'
  | 'MEETING_REJECTED'
  | 'MEETING_UNAVAILABLE';

/** A meeting provider failed. The message says what to fix and never holds a credential. */
export class MeetingError extends SidekickError {
  override readonly name = 'MeetingError';
  constructor(
    override readonly code: MeetingErrorCode,
    message: string,
    readonly details: { status?: number; vendorCode?: number; retryAfterMs?: number } = {},
  ) {
    super(code, `${code}: ${message}`, vendorOptions(undefined, details.retryAfterMs));
  }
}
