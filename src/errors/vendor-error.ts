import { SidekickError } from './sidekick-error.js';

/** What a vendor's answer adds to its error: the HTTP status, its Retry-After, whether it is passing. */
export interface VendorDetails {
  status?: number;
  /** The vendor's Retry-After; the engine's retry waits at least this long. */
  retryAfterMs?: number;
  /** When the vendor said whether it will pass; else the catalogue's default for the code. */
  transient?: boolean;
}

/**
 * A vendor (tracker, meeting, graph provider) failed: the message, prefixed with the code, says
 * what to fix and never holds a credential; `details` become the retry fields.
 */
export class VendorError<Code extends string, Details extends VendorDetails = VendorDetails> extends SidekickError {
  constructor(
    override readonly code: Code,
    message: string,
    readonly details: Details = {} as Details,
  ) {
    super(code, `${code}: ${message}`, {
      ...(details.transient === undefined ? {} : { retryable: details.transient }),
      ...(details.retryAfterMs === undefined ? {} : { retry: { retryAfterMs: details.retryAfterMs } }),
    });
  }
}
