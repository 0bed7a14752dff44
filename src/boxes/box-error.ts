/** How a retryable failure asks to be tried again (read by the engine's retry policy). */
export interface RetryHint {
  /** The service said when to come back (Retry-After); the retry waits at least this long. */
  retryAfterMs?: number;
  /** "Not yet" rather than a failure (chat pacing): run again later without using an attempt. */
  deferral?: boolean;
  /** A time budget instead of the attempt count: keep retrying while failures last less than this. */
  retryForMs?: number;
}

/** A box failing for a reason a flow author can fix; the code is stable, the message says how. */
export class BoxError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** False when retrying cannot help (bad settings, missing playbook). */
    readonly retryable = false,
    readonly retry: RetryHint = {},
  ) {
    super(message);
    this.name = 'BoxError';
  }
}
