import { VendorError } from '../errors/vendor-error.js';

/** Stable codes for meeting failures; the meeting box falls back to Jitsi on any of them. */
export type MeetingErrorCode = 'MEETING_NOT_CONFIGURED' | 'MEETING_AUTH_FAILED' | 'MEETING_RATE_LIMITED' | 'MEETING_REJECTED' | 'MEETING_UNAVAILABLE';

/** A meeting provider failed. The message says what to fix and never holds a credential. */
export class MeetingError extends VendorError<MeetingErrorCode, { status?: number; vendorCode?: number; retryAfterMs?: number }> {
  override readonly name = 'MeetingError';
}
