import { SidekickError, type RetryHint } from '../errors/sidekick-error.js';

export type { RetryHint } from '../errors/sidekick-error.js';

/** A box failing for a reason a flow author can fix; the code is stable, the message says how. */
export class BoxError extends SidekickError {
  constructor(
    code: string,
    message: string,
    /** False when retrying cannot help (bad settings, missing playbook); the catalogue's default when left out. */
    retryable?: boolean,
    retry: RetryHint = {},
  ) {
    super(code, message, { ...(retryable === undefined ? {} : { retryable }), retry });
    this.name = 'BoxError';
  }
}
